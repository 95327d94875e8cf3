#pragma once

#include "store/query.hpp"
#include "store/schema.hpp"
#include "util/json.hpp"

#include <string>
#include <vector>

// Turns the JSON a client sends into Store queries, checking every name against the live schema
// and every value against its column's kind. All failures throw store::StoreError
// invalid_argument with a message naming the column and what was expected.
namespace dbmcp::tools {

// The `where` language: {"col": value} for equality (null: IS NULL), or
// {"col": {"gte": 1, "lt": 9}} with operators eq ne lt lte gt gte in not_in like ilike is_null.
store::Filter parse_where(const Json& where, const store::TableInfo& table);

// `order_by`: "col", "-col", "col desc", a list of those, or [{"column": "col", "direction": "desc"}].
std::vector<store::OrderKey> parse_order_by(const Json& order_by, const store::TableInfo& table);

// Column names for a projection; every name must exist. Empty input: every column.
std::vector<std::string> parse_columns(const std::vector<std::string>& columns, const store::TableInfo& table);

// Checks that `value` suits `column` (an integer column takes integers, a text column strings, …)
// and that it is a scalar. `what` prefixes the message, e.g. "row 12: ".
void check_value(const store::Column& column, const store::TableInfo& table, const Json& value,
                 const std::string& what = "");

// Checks a row to write: an object whose keys are columns of `table` and whose values suit them;
// a JSON column (store::is_json_column) also takes an object or an array.
void check_row(const Json& row, const store::TableInfo& table, const std::string& what = "");

// The primary key filter for get/update/delete_record: `id` (a scalar, single-column keys) or
// `key` (an object with every key column). Throws invalid_argument when the table has no primary
// key or the key is incomplete.
store::Filter parse_key(const Json* id, const Json* key, const store::TableInfo& table);

// "42" or "(1, 'a')": the key as a person reads it, for messages.
std::string describe_key(const store::Filter& key);

} // namespace dbmcp::tools
