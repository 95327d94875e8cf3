#include "util/json_fast_parse.hpp"

#include "util/utf8.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace dbmcp {
namespace {

// A recursive descent over the text. Every method returns false, leaving the parse to the full
// parser, as soon as the text leaves the subset described in json_fast_parse.hpp.
class FastParser
{
public:
  FastParser(std::string_view text, size_t max_depth)
    : m_at(text.data()), m_end(text.data() + text.size()), m_max_depth(max_depth)
  {
    // Enough for the members open at once in a request line (a tools/call holds about ten), so
    // that the stack is allocated once rather than grown four times.
    m_members.reserve(16);
  }

  bool document(Json& out)
  {
    skip_space();
    if (!value(out, 0)) {
      return false;
    }
    skip_space();
    return m_at == m_end;
  }

private:
  void skip_space()
  {
    while (m_at != m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t')) {
      ++m_at;
    }
  }

  // True when the next byte is `c`, which is then consumed.
  bool take(char c)
  {
    if (m_at != m_end && *m_at == c) {
      ++m_at;
      return true;
    }
    return false;
  }

  // A value inside `depth` open arrays and objects.
  bool value(Json& out, size_t depth)
  {
    if (m_at == m_end) {
      return false;
    }
    switch (*m_at) {
    case '{': return object(out, depth + 1);
    case '[': return array(out, depth + 1);
    case '"': {
      std::string text;
      if (!string(text)) {
        return false;
      }
      out = std::move(text);
      return true;
    }
    case 't': return literal("true", Json(true), out);
    case 'f': return literal("false", Json(false), out);
    case 'n': return literal("null", Json(nullptr), out);
    default: return number(out);
    }
  }

  bool literal(std::string_view word, Json given, Json& out)
  {
    if (static_cast<size_t>(m_end - m_at) < word.size() || std::memcmp(m_at, word.data(), word.size()) != 0) {
      return false;
    }
    m_at += word.size();
    out = std::move(given);
    return true;
  }

  // The members are gathered on m_members (above those of the objects still open around this one)
  // and moved into the object once, so that its vector is allocated once, at its size.
  bool object(Json& out, size_t depth)
  {
    if (depth > m_max_depth) {
      return false;
    }
    ++m_at; // {
    const size_t base = m_members.size();
    skip_space();
    if (!take('}')) {
      do {
        skip_space();
        std::string key;
        if (m_at == m_end || *m_at != '"' || !string(key)) {
          return false;
        }
        skip_space();
        if (!take(':')) {
          return false;
        }
        skip_space();
        Json item;
        if (!value(item, depth)) {
          return false;
        }
        add_member(base, std::move(key), std::move(item));
        if (m_members.size() - base > k_fast_parse_members) {
          return false;
        }
        skip_space();
      } while (take(','));
      if (!take('}')) {
        return false;
      }
    }
    out = Json::object();
    auto& map = out.get_ref<Json::object_t&>();
    map.reserve(m_members.size() - base);
    for (size_t i = base; i < m_members.size(); ++i) {
      // Straight into the vector underneath: the keys are unique already.
      map.Json::object_t::Container::emplace_back(std::move(m_members[i].first), std::move(m_members[i].second));
    }
    m_members.resize(base);
    return true;
  }

  // A repeated key keeps its first position and takes its last value.
  void add_member(size_t base, std::string key, Json item)
  {
    for (size_t i = base; i < m_members.size(); ++i) {
      if (m_members[i].first == key) {
        m_members[i].second = std::move(item);
        return;
      }
    }
    m_members.emplace_back(std::move(key), std::move(item));
  }

  // As object(), with the elements gathered on m_items.
  bool array(Json& out, size_t depth)
  {
    if (depth > m_max_depth) {
      return false;
    }
    ++m_at; // [
    const size_t base = m_items.size();
    skip_space();
    if (!take(']')) {
      do {
        skip_space();
        Json item;
        if (!value(item, depth)) {
          return false;
        }
        m_items.push_back(std::move(item));
        skip_space();
      } while (take(','));
      if (!take(']')) {
        return false;
      }
    }
    out = Json::array();
    auto& items = out.get_ref<Json::array_t&>();
    items.reserve(m_items.size() - base);
    for (size_t i = base; i < m_items.size(); ++i) {
      items.push_back(std::move(m_items[i]));
    }
    m_items.resize(base);
    return true;
  }

  // A string from its opening quote: runs of plain ASCII are copied whole.
  bool string(std::string& out)
  {
    ++m_at; // "
    for (;;) {
      const char* run = m_at;
      while (m_at != m_end) {
        const auto c = static_cast<unsigned char>(*m_at);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
          break;
        }
        ++m_at;
      }
      out.append(run, static_cast<size_t>(m_at - run));
      if (m_at == m_end) {
        return false;
      }
      const auto c = static_cast<unsigned char>(*m_at);
      if (c == '"') {
        ++m_at;
        return true;
      }
      if (c < 0x20 || (c == '\\' ? !escape(out) : !utf8_sequence(out))) {
        return false;
      }
    }
  }

  // One escape from its backslash. \u gives the UTF-8 of its code point; a high surrogate must be
  // followed by a \u low surrogate, as nlohmann's lexer requires (a lone one is an error there).
  bool escape(std::string& out)
  {
    if (m_end - m_at < 2) {
      return false;
    }
    char decoded = 0;
    switch (m_at[1]) {
    case '"': decoded = '"'; break;
    case '\\': decoded = '\\'; break;
    case '/': decoded = '/'; break;
    case 'b': decoded = '\b'; break;
    case 'f': decoded = '\f'; break;
    case 'n': decoded = '\n'; break;
    case 'r': decoded = '\r'; break;
    case 't': decoded = '\t'; break;
    case 'u': return unicode_escape(out);
    default: return false;
    }
    out.push_back(decoded);
    m_at += 2;
    return true;
  }

  bool unicode_escape(std::string& out)
  {
    uint32_t code = 0;
    if (!hex4(m_at + 2, code) || (code >= 0xDC00 && code <= 0xDFFF)) {
      return false;
    }
    m_at += 6;
    if (code >= 0xD800 && code <= 0xDBFF) {
      uint32_t low = 0;
      if (m_end - m_at < 2 || m_at[0] != '\\' || m_at[1] != 'u' || !hex4(m_at + 2, low) || low < 0xDC00
          || low > 0xDFFF) {
        return false;
      }
      m_at += 6;
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, code);
    return true;
  }

  // The four hex digits at `at` (within the text) as `code`.
  bool hex4(const char* at, uint32_t& code) const
  {
    if (m_end - at < 4) {
      return false;
    }
    code = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = at[i];
      const int digit = c >= '0' && c <= '9'   ? c - '0'
                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                               : -1;
      if (digit < 0) {
        return false;
      }
      code = code * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  static void append_utf8(std::string& out, uint32_t code)
  {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // One multi-byte UTF-8 sequence, well-formed (util/utf8.hpp) as nlohmann's lexer wants it.
  bool utf8_sequence(std::string& out)
  {
    const size_t length = utf8_sequence_length(m_at, m_end);
    if (length == 0) {
      return false;
    }
    out.append(m_at, length);
    m_at += length;
    return true;
  }

  // A number: an integer of at most 18 digits (it fits either integer type) exactly, anything with
  // a fraction or an exponent with strtod, as nlohmann's lexer converts it (in the C locale, which
  // the program never changes); a longer integer, or one out of double's range, is left to the full
  // parser.
  bool number(Json& out)
  {
    const char* start = m_at;
    const bool negative = take('-');
    const char* digits = m_at;
    if (!take_digits(true)) {
      return false;
    }
    const auto integer_digits = m_at - digits;
    bool fraction = false;
    if (take('.')) {
      fraction = true;
      if (!take_digits(false)) {
        return false;
      }
    }
    if (take('e') || take('E')) {
      fraction = true;
      if (!take('+')) {
        take('-');
      }
      if (!take_digits(false)) {
        return false;
      }
    }
    if (fraction) {
      const std::string token(start, m_at);
      char* parsed_to = nullptr;
      const double value = std::strtod(token.c_str(), &parsed_to);
      if (parsed_to != token.c_str() + token.size() || !std::isfinite(value)) {
        return false;
      }
      out = value;
      return true;
    }
    if (integer_digits > 18) {
      return false;
    }
    uint64_t value = 0;
    for (const char* digit = digits; digit != m_at; ++digit) {
      value = value * 10 + static_cast<uint64_t>(*digit - '0');
    }
    if (negative) {
      out = static_cast<Json::number_integer_t>(-static_cast<int64_t>(value));
    } else {
      out = static_cast<Json::number_unsigned_t>(value);
    }
    return true;
  }

  // One or more digits; for an integer part (`integer`), a lone 0 or digits that do not start with 0.
  bool take_digits(bool integer)
  {
    if (m_at == m_end || *m_at < '0' || *m_at > '9') {
      return false;
    }
    if (integer && *m_at == '0') {
      ++m_at;
      return true;
    }
    while (m_at != m_end && *m_at >= '0' && *m_at <= '9') {
      ++m_at;
    }
    return true;
  }

  const char* m_at;
  const char* m_end;
  size_t m_max_depth;
  std::vector<std::pair<std::string, Json>> m_members; // of the objects being read, innermost last
  std::vector<Json> m_items;                           // of the arrays being read, innermost last
};

} // namespace

std::optional<Json> parse_json_fast(std::string_view text, size_t max_depth)
{
  FastParser parser(text, max_depth);
  Json value;
  if (!parser.document(value)) {
    return std::nullopt;
  }
  return value;
}

} // namespace dbmcp
