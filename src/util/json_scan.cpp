#include "util/json_scan.hpp"

#include "util/utf8.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace dbmcp::json_scan {
namespace {

bool is_whitespace(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The offset just past the string whose opening quote is at `pos`. Byte by byte: the strings of
// rows are short, and a loop beats a memchr call per string there.
std::optional<size_t> string_end(std::string_view text, size_t pos)
{
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::nullopt;
}

// An object's key at `pos` (its quotes included), and whether it holds an escape sequence.
struct Key
{
  std::string_view name; // without its quotes
  bool escaped = false;
  size_t end = 0;
};

std::optional<Key> key_at(std::string_view text, size_t pos)
{
  if (pos >= text.size() || text[pos] != '"') {
    return std::nullopt;
  }
  const auto end = string_end(text, pos);
  if (!end) {
    return std::nullopt;
  }
  const std::string_view name = text.substr(pos + 1, *end - pos - 2);
  return Key{name, name.find('\\') != std::string_view::npos, *end};
}

// The end of the object whose `{` is at `pos`, and the value at `path` inside it (descended into
// as the object is scanned, so that every byte is scanned once); nullopt as find_path says.
std::optional<std::pair<size_t, Slice>> walk(std::string_view text, size_t pos, std::span<const std::string_view> path)
{
  if (pos >= text.size() || text[pos] != '{') {
    return std::nullopt;
  }
  std::optional<Slice> found;
  size_t i = skip_whitespace(text, pos + 1);
  if (i < text.size() && text[i] == '}') {
    return std::nullopt;
  }
  for (;;) {
    const auto name = key_at(text, i);
    if (!name || name->escaped) {
      return std::nullopt;
    }
    i = skip_whitespace(text, name->end);
    if (i >= text.size() || text[i] != ':') {
      return std::nullopt;
    }
    const size_t begin = skip_whitespace(text, i + 1);
    std::optional<size_t> end;
    if (name->name == path.front()) {
      if (found) {
        return std::nullopt; // twice: the parser keeps the last value at the first one's place
      }
      if (path.size() == 1) {
        end = value_end(text, begin);
        found = Slice{begin, end.value_or(begin)};
      } else if (const auto inner = walk(text, begin, path.subspan(1))) {
        end = inner->first;
        found = inner->second;
      } else {
        return std::nullopt;
      }
    } else {
      end = value_end(text, begin);
    }
    if (!end) {
      return std::nullopt;
    }
    i = skip_whitespace(text, *end);
    if (i >= text.size()) {
      return std::nullopt;
    }
    if (text[i] == '}') {
      return found ? std::optional<std::pair<size_t, Slice>>({i + 1, *found}) : std::nullopt;
    }
    if (text[i] != ',') {
      return std::nullopt;
    }
    i = skip_whitespace(text, i + 1);
  }
}

bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

int hex_value(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// The code unit of the \uXXXX escape whose backslash is at `pos`, or -1.
long unicode_escape(std::string_view text, size_t pos)
{
  if (pos + 6 > text.size() || text[pos] != '\\' || text[pos + 1] != 'u') {
    return -1;
  }
  long unit = 0;
  for (size_t k = pos + 2; k < pos + 6; ++k) {
    const int digit = hex_value(text[k]);
    if (digit < 0) {
      return -1;
    }
    unit = unit * 16 + digit;
  }
  return unit;
}

// Checks the string whose opening quote is at `pos`; returns the offset past it, or nullopt.
std::optional<size_t> valid_string(std::string_view text, size_t pos)
{
  size_t i = pos + 1;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"') {
      return i + 1;
    }
    if (c < 0x20) {
      return std::nullopt;
    }
    if (c == '\\') {
      if (i + 1 >= text.size()) {
        return std::nullopt;
      }
      const char escaped = text[i + 1];
      if (escaped != 'u') {
        if (std::strchr("\"\\/bfnrt", escaped) == nullptr || escaped == '\0') {
          return std::nullopt;
        }
        i += 2;
        continue;
      }
      const long unit = unicode_escape(text, i);
      if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) {
        return std::nullopt; // a low surrogate must follow a high one
      }
      i += 6;
      if (unit >= 0xD800 && unit <= 0xDBFF) {
        const long low = unicode_escape(text, i);
        if (low < 0xDC00 || low > 0xDFFF) {
          return std::nullopt;
        }
        i += 6;
      }
      continue;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t length = utf8_sequence_length(text.data() + i, text.data() + text.size());
    if (length == 0) {
      return std::nullopt;
    }
    i += length;
  }
  return std::nullopt;
}

// Checks the number at `pos`; returns the offset past it, or nullopt. One that overflows a double
// is refused, as nlohmann's parser refuses it.
std::optional<size_t> valid_number(std::string_view text, size_t pos)
{
  size_t i = pos;
  if (i < text.size() && text[i] == '-') {
    ++i;
  }
  if (i >= text.size() || !is_digit(text[i])) {
    return std::nullopt;
  }
  if (text[i] == '0') {
    ++i;
  } else {
    while (i < text.size() && is_digit(text[i])) {
      ++i;
    }
  }
  bool fractional = false;
  if (i < text.size() && text[i] == '.') {
    fractional = true;
    ++i;
    if (i >= text.size() || !is_digit(text[i])) {
      return std::nullopt;
    }
    while (i < text.size() && is_digit(text[i])) {
      ++i;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    fractional = true;
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      ++i;
    }
    if (i >= text.size() || !is_digit(text[i])) {
      return std::nullopt;
    }
    while (i < text.size() && is_digit(text[i])) {
      ++i;
    }
  }
  if (fractional || i - pos > 18) { // a double, or an integer that may not fit 64 bits
    const std::string token(text.substr(pos, i - pos));
    if (!std::isfinite(std::strtod(token.c_str(), nullptr))) {
      return std::nullopt;
    }
  }
  return i;
}

std::optional<size_t> valid_literal(std::string_view text, size_t pos)
{
  for (const std::string_view literal : {std::string_view("true"), std::string_view("false"),
                                         std::string_view("null")}) {
    if (text.substr(pos, literal.size()) == literal) {
      return pos + literal.size();
    }
  }
  return std::nullopt;
}

} // namespace

std::optional<size_t> validate_array(std::string_view text, size_t max_depth)
{
  enum class Want { value, value_or_end, key, key_or_end, after_value };
  std::vector<char> open; // the containers around the position: '[' or '{'
  size_t count = 0;
  Want want = Want::value;
  size_t i = skip_whitespace(text, 0);
  if (i >= text.size() || text[i] != '[') {
    return std::nullopt;
  }
  for (;;) {
    i = skip_whitespace(text, i);
    if (i >= text.size()) {
      return want == Want::after_value && open.empty() ? std::optional<size_t>(count) : std::nullopt;
    }
    const char c = text[i];
    switch (want) {
    case Want::key_or_end:
    case Want::key:
      if (c == '}' && want == Want::key_or_end) {
        open.pop_back();
        ++i;
        want = Want::after_value;
        continue;
      }
      if (c != '"') {
        return std::nullopt;
      }
      if (const auto end = valid_string(text, i)) {
        i = skip_whitespace(text, *end);
      } else {
        return std::nullopt;
      }
      if (i >= text.size() || text[i] != ':') {
        return std::nullopt;
      }
      ++i;
      want = Want::value;
      continue;
    case Want::value_or_end:
    case Want::value: {
      if (c == ']' && want == Want::value_or_end) {
        open.pop_back();
        ++i;
        want = Want::after_value;
        continue;
      }
      if (open.size() == 1) {
        ++count; // an element of the outermost array
      }
      if (c == '[' || c == '{') {
        if (open.size() >= max_depth) {
          return std::nullopt;
        }
        open.push_back(c);
        ++i;
        want = c == '[' ? Want::value_or_end : Want::key_or_end;
        continue;
      }
      std::optional<size_t> end;
      if (c == '"') {
        end = valid_string(text, i);
      } else if (c == '-' || is_digit(c)) {
        end = valid_number(text, i);
      } else {
        end = valid_literal(text, i);
      }
      if (!end) {
        return std::nullopt;
      }
      i = *end;
      want = Want::after_value;
      continue;
    }
    case Want::after_value:
      if (open.empty()) {
        return std::nullopt; // something after the array
      }
      if (c == ',') {
        ++i;
        want = open.back() == '[' ? Want::value : Want::key;
        continue;
      }
      if (c != (open.back() == '[' ? ']' : '}')) {
        return std::nullopt;
      }
      open.pop_back();
      ++i;
      continue;
    }
  }
}

size_t skip_whitespace(std::string_view text, size_t pos)
{
  while (pos < text.size() && is_whitespace(text[pos])) {
    ++pos;
  }
  return pos;
}

std::optional<size_t> value_end(std::string_view text, size_t pos)
{
  if (pos >= text.size()) {
    return std::nullopt;
  }
  const char first = text[pos];
  if (first == '"') {
    return string_end(text, pos);
  }
  if (first == '{' || first == '[') {
    size_t depth = 0;
    for (size_t i = pos; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '"') {
        const auto end = string_end(text, i);
        if (!end) {
          return std::nullopt;
        }
        i = *end - 1;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i + 1;
        }
      }
    }
    return std::nullopt;
  }
  // A number, true, false or null: up to the next delimiter.
  size_t i = pos;
  while (i < text.size() && !is_whitespace(text[i]) && text[i] != ',' && text[i] != ']' && text[i] != '}') {
    ++i;
  }
  return i > pos ? std::optional<size_t>(i) : std::nullopt;
}

std::optional<Slice> find_path(std::string_view text, std::span<const std::string_view> path)
{
  if (path.empty()) {
    return Slice{skip_whitespace(text, 0), text.size()};
  }
  const auto walked = walk(text, skip_whitespace(text, 0), path);
  return walked ? std::optional<Slice>(walked->second) : std::nullopt;
}

ArrayElements::ArrayElements(std::string_view text, Slice array) : m_text(text), m_pos(array.begin), m_end(array.end)
{
  if (m_pos < m_end && m_end <= text.size() && text[m_pos] == '[') {
    ++m_pos;
  } else {
    m_pos = m_end; // not an array: no elements
  }
}

std::optional<Slice> ArrayElements::next()
{
  const std::string_view text = m_text.substr(0, m_end);
  size_t i = skip_whitespace(text, m_pos);
  if (i < text.size() && text[i] == ',') {
    i = skip_whitespace(text, i + 1);
  }
  if (i >= text.size() || text[i] == ']') {
    m_pos = m_end;
    return std::nullopt;
  }
  const auto end = value_end(text, i);
  if (!end) {
    m_pos = m_end;
    return std::nullopt;
  }
  m_pos = *end;
  return Slice{i, *end};
}

} // namespace dbmcp::json_scan
