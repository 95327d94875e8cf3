#pragma once

#include "policy/policy.hpp"
#include "store/schema.hpp"
#include "util/json.hpp"

#include <string>
#include <vector>

namespace dbmcp::policy {

// What `dbmcp policy check` finds in a policy against a live catalog.
struct CheckReport
{
  // Each a line naming the key: an unknown table or column (with "did you mean"), a hidden or
  // masked primary-key column, a row filter that does not fit its table.
  std::vector<std::string> errors;
  // Each a line: e.g. "inserts into users will fail: hidden column 'x' is NOT NULL without a default".
  std::vector<std::string> warnings;
  // What the model will see, per visible table: {table, access, columns, masked_columns,
  // row_filter, max_affected_rows}.
  Json tables = Json::array();

  bool valid() const { return errors.empty(); }
  Json to_json() const;
};

// Checks `policy` against `schema`, the catalog as the connection flags show it (the policy's own
// hiding not yet applied).
CheckReport check_policy(const Policy& policy, const store::Schema& schema);

// The errors of check_policy about hidden or masked primary-key columns of the tables of `schema`
// (the full catalog), each a line naming the key; the server refuses to start on any.
std::vector<std::string> key_column_errors(const Policy& policy, const store::Schema& schema);

} // namespace dbmcp::policy
