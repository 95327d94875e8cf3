// libFuzzer target: the fast JSON paths against nlohmann's, byte for byte. The input is parsed by
// parse_json_fast; whatever it accepts nlohmann must accept and give the same value, types and
// member order included. dump_json of that value, and of the input taken as one string (invalid
// UTF-8 included), must be exactly nlohmann's compact dump. Any difference aborts.
#include "util/json_fast_dump.hpp"
#include "util/json_fast_parse.hpp"
#include "util/json_parse.hpp"

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
  const Json raw = std::string(text);
  if (dump_json(raw) != nlohmann_dump(raw)) {
    std::abort();
  }
  return 0;
}
