#pragma once

#include "util/json.hpp"

namespace dbmcp {

// Frees everything in `value` and leaves it null: what `value = Json()` does, without the vector
// nlohmann's destructor allocates for every object and array it frees (its guard against deep
// recursion). Containers are emptied from the leaves up, where that vector stays empty; those
// nested deeper than a fixed bound are left to nlohmann's destructor, so that the stack stays
// bounded whatever the depth.
void release_json(Json& value);

} // namespace dbmcp
