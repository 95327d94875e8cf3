#include "util/deferred_array.hpp"

#include "util/json_parse.hpp"

#include <stdexcept>

namespace dbmcp {
namespace {

Json parse_valid(std::string_view text)
{
  std::string failure;
  auto value = parse_json_bounded(text, &failure);
  if (!value) {
    // Cannot happen for an array validated when it was deferred.
    throw std::logic_error("a deferred array does not parse: " + failure);
  }
  return std::move(*value);
}

} // namespace

Json DeferredArray::parse() const
{
  return parse_valid(text());
}

DeferredArray::Reader::Reader(const DeferredArray& array)
  : m_text(*array.m_line), m_elements(m_text, array.m_array)
{
}

std::optional<Json> DeferredArray::Reader::next()
{
  const auto element = m_elements.next();
  if (!element) {
    return std::nullopt;
  }
  return parse_valid(m_text.substr(element->begin, element->end - element->begin));
}

} // namespace dbmcp
