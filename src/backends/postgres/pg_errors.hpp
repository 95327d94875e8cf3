#pragma once

#include "store/errors.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Maps PostgreSQL errors (SQLSTATE plus the server's message, DETAIL and CONTEXT lines) to the
// store's error taxonomy with one-line messages a person can act on.
namespace dbmcp::backends::postgres {

// A constraint as the catalog describes it, for messages that quote its definition.
struct ConstraintInfo
{
  std::string table;
  std::vector<std::string> columns;
  std::string definition;              // CHECK: "age >= 0 AND age <= 150"
  std::string ref_table;               // FOREIGN KEY: the referenced table and columns
  std::vector<std::string> ref_columns;
  bool hidden = false; // names a table that --tables/--exclude-tables hides: never shown in errors
};

using ConstraintMap = std::map<std::string, ConstraintInfo>; // by constraint name

// What the caller knows about the failing statement.
struct ErrorScope
{
  const ConstraintMap* constraints = nullptr;
  std::string table;                        // the table the statement writes or reads
  std::vector<std::pair<std::string, std::optional<std::string>>> bound; // column, value bound
  std::chrono::milliseconds statement_timeout{0};
  std::optional<int64_t> row; // the failing row of a batch, when known
};

// The parts of a libpq error message ("ERROR:  …\nDETAIL:  …\nCONTEXT:  …\n").
struct ServerMessage
{
  std::string primary;
  std::string detail;
  std::string context;
};
ServerMessage parse_server_message(std::string_view text);

// The StoreError for an error with `sqlstate` and full message `text`. 57014 (query canceled)
// maps to timeout; the caller turns it into Cancelled when its call was cancelled. With
// `scope.row` set, the message starts "row N: " and the details carry {"row": N}.
store::StoreError map_sql_error(const std::string& sqlstate, std::string_view text, const ErrorScope& scope);

// The 1-based line number in a COPY error's CONTEXT ("COPY users, line 12, column age: …"), or
// nullopt.
std::optional<int64_t> copy_line(std::string_view context);

// Removes the redundant parentheses PostgreSQL adds when it prints an expression:
// "((age >= 0) AND (age <= 150))" -> "age >= 0 AND age <= 150".
std::string simplify_expression(std::string_view expression);

} // namespace dbmcp::backends::postgres
