#include "util/json_fast_dump.hpp"

#include "util/utf8.hpp"

#include <array>
#include <charconv>
#include <cstdint>

namespace dbmcp {
namespace {

// True for the bytes written as they are without a look: printable ASCII but " and \.
constexpr std::array<bool, 256> k_plain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) {
    plain[static_cast<size_t>(c)] = c != '"' && c != '\\';
  }
  return plain;
}();

// `text` as a JSON string, escaped as nlohmann escapes it with ensure_ascii off: the short escapes
// for \b \t \n \f \r " and \, \u00xx (lowercase) for the other control characters, everything else
// as is. False, with `out` partly written, at the first byte that is not well-formed UTF-8.
bool write_string(std::string& out, const std::string& text)
{
  static constexpr char k_hex[] = "0123456789abcdef";
  out.push_back('"');
  const char* at = text.data();
  const char* const end = at + text.size();
  while (at != end) {
    const char* run = at;
    while (at != end && k_plain[static_cast<unsigned char>(*at)]) {
      ++at;
    }
    out.append(run, static_cast<size_t>(at - run));
    if (at == end) {
      break;
    }
    const auto c = static_cast<unsigned char>(*at);
    if (c >= 0x80) {
      const size_t length = utf8_sequence_length(at, end);
      if (length == 0) {
        return false;
      }
      out.append(at, length);
      at += length;
      continue;
    }
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\t': out += "\\t"; break;
    case '\n': out += "\\n"; break;
    case '\f': out += "\\f"; break;
    case '\r': out += "\\r"; break;
    default:
      out += "\\u00";
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 0xF]);
      break;
    }
    ++at;
  }
  out.push_back('"');
  return true;
}

template<typename Number>
void write_integer(std::string& out, Number number)
{
  char digits[24];
  const auto written = std::to_chars(digits, digits + sizeof digits, number);
  out.append(digits, written.ptr);
}

// False, with `out` partly written, for a value only nlohmann's serializer writes as it must.
bool write_value(std::string& out, const Json& value)
{
  switch (value.type()) {
  case Json::value_t::null: out += "null"; return true;
  case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return true;
  case Json::value_t::number_integer: write_integer(out, value.get<Json::number_integer_t>()); return true;
  case Json::value_t::number_unsigned: write_integer(out, value.get<Json::number_unsigned_t>()); return true;
  case Json::value_t::number_float: out += value.dump(); return true;
  case Json::value_t::string: return write_string(out, value.get_ref<const std::string&>());
  case Json::value_t::object: {
    out.push_back('{');
    bool first = true;
    for (const auto& [key, item] : value.get_ref<const Json::object_t&>()) {
      if (!first) {
        out.push_back(',');
      }
      first = false;
      if (!write_string(out, key)) {
        return false;
      }
      out.push_back(':');
      if (!write_value(out, item)) {
        return false;
      }
    }
    out.push_back('}');
    return true;
  }
  case Json::value_t::array: {
    out.push_back('[');
    bool first = true;
    for (const Json& item : value.get_ref<const Json::array_t&>()) {
      if (!first) {
        out.push_back(',');
      }
      first = false;
      if (!write_value(out, item)) {
        return false;
      }
    }
    out.push_back(']');
    return true;
  }
  case Json::value_t::binary:
  case Json::value_t::discarded: break;
  }
  return false;
}

} // namespace

void append_json(std::string& out, const Json& value)
{
  const size_t start = out.size();
  if (!write_value(out, value)) {
    out.resize(start);
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
}

std::string dump_json(const Json& value)
{
  std::string out;
  out.reserve(256); // a point read's whole line: no growth on the way
  append_json(out, value);
  return out;
}

} // namespace dbmcp
