#pragma once

#include "backends/mysql/mysql_connection.hpp"
#include "backends/sql/engine.hpp"

// Introspection from information_schema: what the store knows about the database's tables.
namespace dbmcp::backends::mysql {

// Reads the tables and views of the connection's database that `visibility` lets through:
// columns (types, nullability, defaults, auto_increment), primary keys, unique and other indexes,
// FULLTEXT indexes, foreign keys in both directions, CHECK constraints and row estimates
// (information_schema.TABLES.TABLE_ROWS). A MariaDB JSON column (LONGTEXT with a json_valid
// CHECK) has the type "json".
sql::Catalog read_catalog(Connection& connection, const store::Visibility& visibility);

// MariaDB's CHECK text without identifier quotes and with upper-case connectives:
// "`age` >= 0 and `age` <= 150" -> "age >= 0 AND age <= 150".
std::string readable_check(std::string clause);

} // namespace dbmcp::backends::mysql
