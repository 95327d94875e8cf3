#pragma once

#include <cstddef>

namespace dbmcp {

// The length of the well-formed UTF-8 sequence of two to four bytes that starts at `at` (before
// `end`), or 0 when there is none there: checked against the Unicode standard's table 3-7 (no
// overlong forms, no surrogates, nothing above U+10FFFF), the bytes nlohmann's lexer and
// serializer accept. A single ASCII byte is not a sequence here: 0 too.
inline size_t utf8_sequence_length(const char* at, const char* end)
{
  const auto lead = static_cast<unsigned char>(*at);
  size_t length = 0;
  unsigned char low = 0x80; // the range of the second byte
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    low = lead == 0xE0 ? 0xA0 : 0x80;
    high = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    low = lead == 0xF0 ? 0x90 : 0x80;
    high = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (static_cast<size_t>(end - at) < length) {
    return 0;
  }
  const auto second = static_cast<unsigned char>(at[1]);
  if (second < low || second > high) {
    return 0;
  }
  for (size_t i = 2; i < length; ++i) {
    const auto next = static_cast<unsigned char>(at[i]);
    if (next < 0x80 || next > 0xBF) {
      return 0;
    }
  }
  return length;
}

} // namespace dbmcp
