#include "util/base64.hpp"

#include <array>
#include <cstdint>

namespace dbmcp {
namespace {

constexpr std::string_view k_standard = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view k_url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view bytes, std::string_view alphabet, bool pad)
{
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (rest == 2) {
      n |= uint8_t(bytes[i + 1]) << 8;
    }
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    if (rest == 2) {
      out += alphabet[(n >> 6) & 63];
    }
    if (pad) {
      out.append(3 - rest, '=');
    }
  }
  return out;
}

// `text` (no padding) decoded with `alphabet`; nullopt for a character outside it or a dangling
// sextet, which no encoder writes.
std::optional<std::string> decode(std::string_view text, std::string_view alphabet)
{
  std::array<int, 256> value{};
  value.fill(-1);
  for (size_t i = 0; i < alphabet.size(); ++i) {
    value[uint8_t(alphabet[i])] = static_cast<int>(i);
  }
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int v = value[uint8_t(c)];
    if (v < 0) {
      return std::nullopt;
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (bits >= 6) {
    return std::nullopt;
  }
  return out;
}

} // namespace

std::string base64url_encode(std::string_view bytes)
{
  return encode(bytes, k_url, false);
}

std::string base64_encode(std::string_view bytes)
{
  return encode(bytes, k_standard, true);
}

std::optional<std::string> base64url_decode(std::string_view text)
{
  return decode(text, k_url);
}

std::optional<std::string> base64_decode(std::string_view text)
{
  const size_t data_end = text.find('=');
  if (data_end != std::string_view::npos) {
    const size_t padding = text.size() - data_end;
    if (padding > 2 || text.find_first_not_of('=', data_end) != std::string_view::npos || text.size() % 4 != 0) {
      return std::nullopt;
    }
    text = text.substr(0, data_end);
  }
  return decode(text, k_standard);
}

} // namespace dbmcp
