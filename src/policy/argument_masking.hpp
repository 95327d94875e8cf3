#pragma once

#include "policy/policy.hpp"
#include "util/json.hpp"

namespace dbmcp::policy {

// A tool call's `arguments` as the audit trail records them under `policy`: every value given
// for a masked column of the call's "table" (in a record, rows, values or a where filter, and in
// "related" rows for the child table's masked columns) is masked as the column's mask says.
Json mask_arguments(const Policy& policy, const Json& arguments);

} // namespace dbmcp::policy
