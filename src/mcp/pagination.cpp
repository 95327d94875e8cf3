#include "mcp/pagination.hpp"

#include "jsonrpc/error.hpp"
#include "util/base64.hpp"
#include "util/hmac.hpp"

#include <algorithm>
#include <charconv>

namespace dbmcp::mcp {
namespace {

constexpr std::string_view k_prefix = "offset:";

// HMAC-SHA256 of `payload` under this process's key, base64url: a client cannot forge a cursor.
std::string signature(std::string_view payload)
{
  const Sha256Digest tag = hmac_sha256(process_secret_key(), payload);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
}

// "<base64url of offset:N>.<signature>".
std::string make_cursor(size_t offset)
{
  const std::string payload = base64url_encode(std::string(k_prefix) + std::to_string(offset));
  return payload + "." + signature(payload);
}

std::optional<size_t> read_cursor(const std::string& cursor)
{
  const std::string_view text(cursor);
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || !constant_time_equal(signature(text.substr(0, dot)), text.substr(dot + 1))) {
    return std::nullopt;
  }
  const auto decoded = base64url_decode(text.substr(0, dot));
  if (!decoded || decoded->rfind(k_prefix, 0) != 0) {
    return std::nullopt;
  }
  const char* first = decoded->data() + k_prefix.size();
  const char* last = decoded->data() + decoded->size();
  size_t offset = 0;
  const auto [end, error] = std::from_chars(first, last, offset);
  if (error != std::errc() || end != last || first == last) {
    return std::nullopt;
  }
  return offset;
}

} // namespace

PageSlice paginate(const Json& params, size_t total, size_t page_size)
{
  size_t begin = 0;
  if (params.is_object() && params.contains("cursor") && !params["cursor"].is_null()) {
    const Json& cursor = params["cursor"];
    const auto offset = cursor.is_string() ? read_cursor(cursor.get<std::string>()) : std::nullopt;
    if (!offset || *offset > total || *offset == 0) {
      throw jsonrpc::invalid_params("invalid cursor");
    }
    begin = *offset;
  }
  PageSlice page;
  page.begin = begin;
  page.end = std::min(total, begin + std::max<size_t>(page_size, 1));
  if (page.end < total) {
    page.next_cursor = make_cursor(page.end);
  }
  return page;
}

void add_next_cursor(Json& result, const PageSlice& page)
{
  if (page.next_cursor) {
    result["nextCursor"] = *page.next_cursor;
  }
}

} // namespace dbmcp::mcp
