#pragma once

#include "backends/mysql/mysql_connection.hpp"
#include "backends/sql/engine.hpp"
#include "store/errors.hpp"

#include <chrono>

// Maps MySQL/MariaDB error numbers to the store's error taxonomy with one-line messages a person
// can act on, in the wording of the other backends.
namespace dbmcp::backends::mysql {

// The StoreError for `error`, explained with the catalog, table and bound values of `scope`:
// 1062 unique; 1451/1452 foreign key (both directions); 3819/4025 check; 1048/1364 not null;
// 1205/1213 (lock wait, deadlock), 1969/3024 (statement timeout) and 1317 (interrupted) timeout;
// 1792 read_only; value errors invalid_argument; anything else internal with the server's text.
store::StoreError map_error(const MysqlError& error, const sql::ErrorScope& scope,
                            std::chrono::milliseconds statement_timeout);

} // namespace dbmcp::backends::mysql
