#pragma once

#include "store/query.hpp"
#include "store/schema.hpp"

#include <SQLiteCpp/Statement.h>

#include <map>
#include <string>
#include <vector>

namespace dbmcp::backends::sqlite {

// The ValueKind of a column from its declared SQLite type, by SQLite's affinity rules
// (with BOOLEAN and date/time types told apart).
store::ValueKind kind_of_declared_type(std::string_view declared);

// Throws invalid_argument when `values` gives an INTEGER column a number that is not a whole
// number within int64 (SQLite would store it as REAL).
void require_integers(const store::TableInfo& table, const store::Row& values);

// `value` as bound for `column` of the table `table_name`: a blob column's base64 decoded into
// JSON binary; a number for an INTEGER column checked as require_integers() does. Throws
// invalid_argument naming `table_name`.`column`.
Json encode_column(std::string_view table_name, const store::Column& column, const Json& value);

// `values` with every blob column's base64 string decoded into JSON binary, ready to bind.
// Throws invalid_argument for a string that is not base64.
store::Row encode_values(const store::TableInfo& table, const store::Row& values);
// `where` with the values of blob columns decoded likewise.
store::Filter encode_filter(const store::TableInfo& table, const store::Filter& where);

// Binds `value` at 1-based `index`: null, booleans as 0/1, integers, reals, strings, JSON
// binary as a blob. A string is bound without a copy, so `value` must outlive the step.
void bind_value(SQLite::Statement& statement, int index, const Json& value);
// Binds every value of `params` in order.
void bind_all(SQLite::Statement& statement, const std::vector<Json>& params);

// How to read the columns of a result: the boolean columns by name (read 0/1 as false/true).
struct RowShape
{
  std::vector<std::string> booleans;
  static RowShape of(const store::TableInfo& table);
};

// The current result row as a JSON object: integers, reals, text, blobs as base64, NULL as null.
store::Row read_row(SQLite::Statement& statement, const RowShape& shape);
// Steps `statement` to the end and returns every row.
std::vector<store::Row> read_rows(SQLite::Statement& statement, const RowShape& shape);

} // namespace dbmcp::backends::sqlite
