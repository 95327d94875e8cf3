#pragma once

#include "backends/sql/engine.hpp"
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

// The parts of a libpq error message ("ERROR:  …\nDETAIL:  …\nCONTEXT:  …\n").
struct ServerMessage
{
  std::string primary;
  std::string detail;
  std::string context;
};
ServerMessage parse_server_message(std::string_view text);

// The StoreError for an error with `sqlstate` and full message `text`, explained with the
// constraints of `scope.catalog` and the values `scope.bound`. 57014 (query canceled) maps to
// timeout, described with `statement_timeout`; the caller turns it into Cancelled when its call
// was cancelled.
store::StoreError map_sql_error(const std::string& sqlstate, std::string_view text, const sql::ErrorScope& scope,
                                std::chrono::milliseconds statement_timeout = std::chrono::milliseconds(0));

// The 1-based line number in a COPY error's CONTEXT ("COPY users, line 12, column age: …"), or
// nullopt.
std::optional<int64_t> copy_line(std::string_view context);

// Removes the redundant parentheses PostgreSQL adds when it prints an expression:
// "((age >= 0) AND (age <= 150))" -> "age >= 0 AND age <= 150".
std::string simplify_expression(std::string_view expression);

} // namespace dbmcp::backends::postgres
