// The PostgreSQL backend as a loadable module (dbmcp-postgres.so). libpq and the libraries it
// pulls in (Kerberos, LDAP, GnuTLS: ~25 shared objects, ~8 ms to load and relocate) are loaded
// only when a postgresql:// URL is opened, so SQLite start-up does not pay for them.
#include "backends/module_abi.hpp"
#include "backends/postgres/postgres_store.hpp"
#include "util/log.hpp"

DBMCP_MODULE_ABI()

extern "C" __attribute__((visibility("default"))) dbmcp::store::Store*
dbmcp_open_store(const dbmcp::store::StoreOptions& options, dbmcp::LogLevel stderr_level)
{
  // The module has its own copy of the logging state: take the executable's level.
  dbmcp::log::set_stderr_level(stderr_level);
  return dbmcp::backends::postgres::open_postgres_store(options).release();
}
