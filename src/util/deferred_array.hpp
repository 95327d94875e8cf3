#pragma once

#include "util/json.hpp"
#include "util/json_scan.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace dbmcp {

// A JSON array of a request left as bytes in its line, so that a large one (insert_records'
// records) is parsed one element at a time while it is used, never whole. The line is shared:
// it lives as long as the array. The array was validated when it was cut out (valid JSON, nesting
// within the limit), so its elements parse.
class DeferredArray
{
public:
  DeferredArray(std::shared_ptr<const std::string> line, json_scan::Slice array, size_t size)
    : m_line(std::move(line)), m_array(array), m_size(size)
  {
  }

  size_t size() const { return m_size; }
  std::string_view text() const { return std::string_view(*m_line).substr(m_array.begin, m_array.end - m_array.begin); }

  // The whole array, parsed.
  Json parse() const;

  // The elements in order, each parsed when it is reached.
  class Reader
  {
  public:
    explicit Reader(const DeferredArray& array);
    // The next element, or nullopt after the last.
    std::optional<Json> next();

  private:
    std::string_view m_text;
    json_scan::ArrayElements m_elements;
  };

private:
  std::shared_ptr<const std::string> m_line;
  json_scan::Slice m_array;
  size_t m_size;
};

} // namespace dbmcp
