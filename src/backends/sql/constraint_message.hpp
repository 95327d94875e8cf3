#pragma once

#include "store/errors.hpp"
#include "store/schema.hpp"
#include "util/json.hpp"

#include <optional>
#include <string>
#include <vector>

// The one wording of constraint failures on every relational engine. An engine maps its error
// numbers to one of these kinds and passes the facts its catalog knows; the words are chosen here.
namespace dbmcp::backends::sql::constraint_message {

// A value as a message shows it: text quoted ('ada@example.com'), numbers and booleans bare,
// null, <bytes> for a blob.
std::string show(const Json& value);
// A value known only as the database printed it, shown like show(): quoted unless `column` holds
// numbers or booleans (or, when `column` is null, unless `printed` is a number).
std::string show_printed(const store::Column* column, const std::string& printed);

// "email 'ada@example.com' already exists in users (unique)",
// "student 1, course 'maths' already exists in enrolments (primary key)"; `shown` holds one shown
// value per column, or is empty when the values are unknown:
// "a row with the same email already exists in users (unique)". (primary key) when `columns` are
// `table`'s primary key (when `table` is known).
store::StoreError unique(const std::string& table_name, const store::TableInfo* table,
                         const std::vector<std::string>& columns, const std::vector<std::string>& shown,
                         Json details = Json::object());

// "age violates CHECK (age >= 0 AND age <= 150)"; `subject` is the column(s) the check names, or
// its table.
store::StoreError check(const std::string& subject, const std::string& definition, Json details = Json::object());
// A check whose definition is unknown: "a row of users violates CHECK constraint users_age_check".
store::StoreError unknown_check(const std::string& table, const std::string& name, Json details = Json::object());

// Insert or update of a child row whose parent does not exist:
// "posts.author_id 99 has no matching users.id" (`shown` empty: "posts.author_id has no matching users.id").
store::StoreError missing_parent(const std::string& table, const std::vector<std::string>& columns,
                                 const std::vector<std::string>& shown, const std::string& ref_table,
                                 const std::vector<std::string>& ref_columns, Json details = Json::object());
// Delete or key update of a parent row that children still reference:
// "users.id 1 is still referenced from posts.author_id" (`shown` empty:
// "rows of users are still referenced from posts.author_id (foreign key)").
store::StoreError still_referenced(const std::string& ref_table, const std::vector<std::string>& ref_columns,
                                   const std::vector<std::string>& shown, const std::string& table,
                                   const std::vector<std::string>& columns, Json details = Json::object());
// Either direction when the other table is unknown or hidden (--tables/--exclude-tables): names only
// `table`, the table the statement wrote.
store::StoreError missing_parent_unnamed(const std::string& table);
store::StoreError still_referenced_unnamed(const std::string& table);

// "users.name must not be null".
store::StoreError not_null(const std::string& table, const std::string& column);

} // namespace dbmcp::backends::sql::constraint_message
