// libFuzzer target: the fast JSON paths against nlohmann's, byte for byte. The input is parsed by
// parse_json_fast; whatever it accepts nlohmann must accept and give the same value, types and
// member order included. json_scan::validate_array (streamed insert_records) must accept exactly
// the arrays nlohmann accepts, and count their elements. dump_json of the value, and of the input
// taken as one string (invalid UTF-8 included), must be exactly nlohmann's compact dump. Any
// difference aborts.
#include "util/json_fast_dump.hpp"
#include "util/json_fast_parse.hpp"
#include "util/json_parse.hpp"
#include "util/json_scan.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace dbmcp;

namespace {

bool same(const Json& a, const Json& b)
{
  if (a.type() != b.type()) {
    return false;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) {
      return false;
    }
    for (auto x = a.begin(), y = b.begin(); x != a.end(); ++x, ++y) {
      if (x.key() != y.key() || !same(x.value(), y.value())) {
        return false;
      }
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) {
      return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  return a == b;
}

// Arrays and objects nest at most `limit` deep in `value` (the value itself counts as one).
bool depth_at_most(const Json& value, size_t limit)
{
  if (!value.is_structured()) {
    return true;
  }
  if (limit == 0) {
    return false;
  }
  for (const auto& element : value) {
    if (!depth_at_most(element, limit - 1)) {
      return false;
    }
  }
  return true;
}

std::string nlohmann_dump(const Json& value)
{
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto fast = parse_json_fast(text, k_max_json_depth)) {
    const Json full = Json::parse(text, nullptr, false);
    if (full.is_discarded() || !same(*fast, full)) {
      std::abort(); // the fast parser accepted what nlohmann refuses, or read it differently
    }
    if (dump_json(*fast) != nlohmann_dump(*fast)) {
      std::abort();
    }
  }
  if (size <= 4096) { // nlohmann's recursive parse is the reference: keep its depth small
    // nlohmann's lexer takes a NUL byte for the end of its input and ignores what follows: the
    // scanner refuses any NUL (never valid JSON text), so the reference is then "not an array".
    const bool has_nul = text.find('\0') != std::string_view::npos;
    const Json full = Json::parse(text, nullptr, false);
    const bool array = !has_nul && !full.is_discarded() && full.is_array() && depth_at_most(full, k_max_json_depth);
    const auto elements = json_scan::validate_array(text, k_max_json_depth);
    if (array != elements.has_value() || (array && *elements != full.size())) {
      std::abort();
    }
  }
  const Json raw = std::string(text);
  if (dump_json(raw) != nlohmann_dump(raw)) {
    std::abort();
  }
  return 0;
}
