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

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points beyond
// U+10FFFF), which is what JSON text can carry.
bool is_utf8(std::string_view text)
{
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t point = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, point = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, point = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) {
      return false;
    }
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      point = (point << 6) | (next & 0x3F);
    }
    if ((length == 3 && (point < 0x800 || (point >= 0xD800 && point <= 0xDFFF)))
        || (length == 4 && (point < 0x10000 || point > 0x10FFFF))) {
      return false;
    }
    i += length;
  }
  return true;
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
    // A text value that is not UTF-8 (SQLite stores any bytes as TEXT) cannot go into JSON: it
    // travels as base64 of its exact bytes, its index listed in "b", and comes back as the same
    // bytes, so that the next page starts exactly after it.
    for (size_t i = 0; i < state["k"].size(); ++i) {
      Json& value = state["k"][i];
      if (value.is_string() && !is_utf8(value.get_ref<const std::string&>())) {
        value = base64url_encode(value.get_ref<const std::string&>());
        state["b"].push_back(i);
      }
    }
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
    for (const Json& index : state.value("b", Json::array())) {
      if (!index.is_number_unsigned() || index.get<size_t>() >= result.keyset->size()
          || !(*result.keyset)[index.get<size_t>()].is_string()) {
        throw invalid_cursor();
      }
      Json& value = (*result.keyset)[index.get<size_t>()];
      const auto bytes = base64url_decode(value.get_ref<const std::string&>());
      if (!bytes) {
        throw invalid_cursor();
      }
      value = *bytes;
    }
  }
  return result;
}

} // namespace dbmcp::tools
