#pragma once

#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>

namespace dbmcp::backends::mysql {

// Opens a MySQL or MariaDB database from `options.url` (mysql://… or mariadb://…): the generic
// SqlStore over the MySQL engine. Throws StoreError (unavailable when the server cannot be
// reached, invalid_argument for a bad URL or pool size).
std::unique_ptr<store::Store> open_mysql_store(const store::StoreOptions& options);

} // namespace dbmcp::backends::mysql
