// The MySQL/MariaDB backend as a loadable module (dbmcp-mysql.so): MariaDB Connector/C and what it
// pulls in (TLS) are loaded only when a mysql:// or mariadb:// URL is opened, so SQLite start-up
// does not pay for them.
#include "backends/module_abi.hpp"
#include "backends/mysql/mysql_store.hpp"
#include "util/log.hpp"

DBMCP_MODULE_ABI()

extern "C" __attribute__((visibility("default"))) dbmcp::store::Store*
dbmcp_open_store(const dbmcp::store::StoreOptions& options, dbmcp::LogLevel stderr_level)
{
  // The module has its own copy of the logging state: take the executable's level.
  dbmcp::log::set_stderr_level(stderr_level);
  return dbmcp::backends::mysql::open_mysql_store(options).release();
}
