#include "tools/cursor.hpp"

#include "store/errors.hpp"
#include "util/base64.hpp"
#include "util/json_parse.hpp"
#include "util/hmac.hpp"

namespace dbmcp::tools {
namespace {

store::StoreError invalid_cursor()
{
  return store::invalid_argument("invalid cursor: it was altered, belongs to another query, or has expired (cursors do "
                                 "not survive a restart of dbmcp); pass back next_cursor exactly as received, with the "
                                 "same table, where, order_by and search, or start again without a cursor");
}

// HMAC-SHA256 of `payload` under this process's key, base64url.
std::string signature(std::string_view payload)
{
  const Sha256Digest tag = hmac_sha256(process_secret_key(), payload);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
}

} // namespace

std::string sign_cursor_state(const Json& state)
{
  const std::string payload = base64url_encode(state.dump());
  return payload + "." + signature(payload);
}

std::string encode_cursor(const std::string& fingerprint, int64_t offset, const std::optional<Json>& keyset)
{
  Json state{{"f", fingerprint}, {"o", offset}};
  if (keyset) {
    state["k"] = *keyset;
  }
  return sign_cursor_state(state);
}

CursorState decode_cursor(const std::string& cursor, const std::string& expected_fingerprint)
{
  const std::string_view text(cursor);
  const auto dot = text.find('.');
  if (dot == std::string_view::npos || !constant_time_equal(signature(text.substr(0, dot)), text.substr(dot + 1))) {
    throw invalid_cursor();
  }
  const auto bytes = base64url_decode(text.substr(0, dot));
  if (!bytes) {
    throw invalid_cursor();
  }
  const Json state = parse_json_bounded(*bytes).value_or(Json());
  if (!state.is_object() || state.value("f", "") != expected_fingerprint || !state.contains("o")
      || !state["o"].is_number_integer()) {
    throw invalid_cursor();
  }
  const Json& offset = state["o"];
  if ((offset.is_number_unsigned() && offset.get<uint64_t>() > uint64_t(k_max_offset)) || offset.get<int64_t>() < 0
      || offset.get<int64_t>() > k_max_offset) {
    throw invalid_cursor();
  }
  CursorState result{offset.get<int64_t>(), std::nullopt};
  if (state.contains("k")) {
    if (!state["k"].is_array()) {
      throw invalid_cursor();
    }
    result.keyset = state["k"].get<std::vector<Json>>();
  }
  return result;
}

} // namespace dbmcp::tools
