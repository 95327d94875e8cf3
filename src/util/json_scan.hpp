#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

// Finds where JSON values begin and end in text, byte by byte, without building anything: so that
// one part of a large message can be left unparsed. The scanner does not validate: on text that is
// not JSON it returns some bounds or nullopt, never reads outside `text`; callers validate the
// parts they cut (a valid message with one array value swapped for `[]`, and that array alone,
// make a valid message again).
namespace dbmcp::json_scan {

// Bytes [begin, end) of `text`.
struct Slice
{
  size_t begin = 0;
  size_t end = 0;
};

// The offset of the first byte at or after `pos` that is not JSON whitespace.
size_t skip_whitespace(std::string_view text, size_t pos);

// The offset just past the value whose first byte is at `pos`; nullopt when the text ends first.
std::optional<size_t> value_end(std::string_view text, size_t pos);

// The value reached from the root object through the object keys of `path` (e.g. params,
// arguments, records). Nullopt when a step is missing or not an object, or when an object on the
// way has a key holding an escape sequence or names the next step twice: what such a key means is
// for a real parser to say.
std::optional<Slice> find_path(std::string_view text, std::span<const std::string_view> path);

// Validates `text` as one JSON array (whitespace around it allowed) nested at most `max_depth`
// arrays and objects deep, the array itself included, exactly as nlohmann's parser accepts JSON
// (UTF-8 checked, surrogate pairs matched, a number that overflows a double refused); returns its
// number of elements, or nullopt. Builds nothing, and costs a fraction of a parse.
std::optional<size_t> validate_array(std::string_view text, size_t max_depth);

// The elements of the array `array` (its brackets included), in order.
class ArrayElements
{
public:
  ArrayElements(std::string_view text, Slice array);
  // The next element, or nullopt after the last (or where the text is not an array).
  std::optional<Slice> next();

private:
  std::string_view m_text;
  size_t m_pos;
  size_t m_end;
};

} // namespace dbmcp::json_scan
