#pragma once

#include "store/query.hpp"
#include "util/json.hpp"

#include <optional>
#include <string>

namespace dbmcp::policy {

// Whether the row `values` (column -> JSON value) satisfies `condition`, evaluated in memory as
// the database would for the where language's operators; nullopt when `condition` names a column
// that `values` does not hold. Numbers compare as numbers, strings as strings (byte order).
std::optional<bool> evaluate(const store::Condition& condition, const Json& values);

// Whether `condition` names `column`, itself or through one of its children.
bool names_column(const store::Condition& condition, const std::string& column);

// A row filter as a person reads it: "tenant_id = 42 AND age >= 18".
std::string describe(const store::Filter& filter);

} // namespace dbmcp::policy
