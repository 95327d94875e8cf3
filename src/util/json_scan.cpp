#include "util/json_scan.hpp"

#include <cstring>

namespace dbmcp::json_scan {
namespace {

bool is_whitespace(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// The offset just past the string whose opening quote is at `pos`: the first quote after it that
// an odd number of backslashes does not escape (found with memchr, much faster than byte by byte).
std::optional<size_t> string_end(std::string_view text, size_t pos)
{
  size_t from = pos + 1;
  while (from < text.size()) {
    const void* quote = std::memchr(text.data() + from, '"', text.size() - from);
    if (!quote) {
      return std::nullopt;
    }
    const size_t at = static_cast<size_t>(static_cast<const char*>(quote) - text.data());
    size_t backslashes = 0;
    while (at - backslashes > pos + 1 && text[at - backslashes - 1] == '\\') {
      ++backslashes;
    }
    if (backslashes % 2 == 0) {
      return at + 1;
    }
    from = at + 1;
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

// The value of `key` in the object whose `{` is at `pos`; nullopt as find_path says.
std::optional<Slice> member(std::string_view text, size_t pos, std::string_view key)
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
    const auto end = value_end(text, begin);
    if (!end) {
      return std::nullopt;
    }
    if (name->name == key) {
      if (found) {
        return std::nullopt; // twice: the parser keeps the last value at the first one's place
      }
      found = Slice{begin, *end};
    }
    i = skip_whitespace(text, *end);
    if (i >= text.size()) {
      return std::nullopt;
    }
    if (text[i] == '}') {
      return found;
    }
    if (text[i] != ',') {
      return std::nullopt;
    }
    i = skip_whitespace(text, i + 1);
  }
}

} // namespace

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
  Slice value{skip_whitespace(text, 0), text.size()};
  for (const std::string_view key : path) {
    const auto next = member(text, value.begin, key);
    if (!next) {
      return std::nullopt;
    }
    value = *next;
  }
  return value;
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
