#pragma once

#include <nlohmann/json.hpp>

namespace dbmcp {

// One JSON type for the whole program. Ordered, so that rows keep their column order and
// responses keep the field order of the specification's examples.
using Json = nlohmann::ordered_json;

} // namespace dbmcp
