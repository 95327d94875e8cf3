#pragma once
// The throw-away database servers of scripts/with-postgres.sh, with-mariadb.sh and with-redis.sh,
// as the variables those scripts export describe them. Every lookup fails the test, never skips
// it, when its variable is missing or empty: in CI a missing server is a failure.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

namespace dbmcp::test {

// The value of the environment variable `name`, which `script` exports; fails the test, naming
// both and a command to run, when it is unset or empty.
inline std::string server_setting(const char* name, const char* script, const char* tests)
{
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    // doctest prints a const char* as an address: strings, so that the names show.
    FAIL(std::string(name) << " is not set: run the tests that need it through " << std::string(script)
                           << ", e.g. " << std::string(script) << " ctest --test-dir build -R " << std::string(tests));
    return {};
  }
  return value;
}

// postgresql://postgres@127.0.0.1:PORT/dbmcp_test (trust auth).
inline std::string postgres_url()
{
  return server_setting("DBMCP_TEST_POSTGRES_URL", "scripts/with-postgres.sh", "postgres");
}

// A pg_ctl that works from the test's user, and the data directory it takes with -D.
inline std::string postgres_pg_ctl()
{
  return server_setting("DBMCP_TEST_PG_CTL", "scripts/with-postgres.sh", "postgres");
}

inline std::string postgres_data_dir()
{
  return server_setting("DBMCP_TEST_PGDATA", "scripts/with-postgres.sh", "postgres");
}

// mysql://dbmcp:PASSWORD@127.0.0.1:PORT/dbmcp_test.
inline std::string mysql_url()
{
  return server_setting("DBMCP_TEST_MYSQL_URL", "scripts/with-mariadb.sh", "mysql");
}

// A command that stops the MariaDB server and starts it again on the same port.
inline std::string mysql_restart_command()
{
  return server_setting("DBMCP_TEST_MYSQL_RESTART", "scripts/with-mariadb.sh", "mysql");
}

// mysql://x509user:PASSWORD@127.0.0.1:PORT/dbmcp_test, without TLS parameters: a user the server
// admits only with a client certificate signed by the CA in mysql_tls_dir().
inline std::string mysql_tls_url()
{
  return server_setting("DBMCP_TEST_MYSQL_TLS_URL", "scripts/with-mariadb.sh", "mysql");
}

// The folder of ca.pem (the server's certificate names 127.0.0.1), client-cert.pem and client-key.pem.
inline std::string mysql_tls_dir()
{
  return server_setting("DBMCP_TEST_MYSQL_TLS_DIR", "scripts/with-mariadb.sh", "mysql");
}

// redis://127.0.0.1:PORT/0.
inline std::string redis_url()
{
  return server_setting("DBMCP_TEST_REDIS_URL", "scripts/with-redis.sh", "redis");
}

// A command that stops the Redis server and starts it again on the same port.
inline std::string redis_restart_command()
{
  return server_setting("DBMCP_TEST_REDIS_RESTART", "scripts/with-redis.sh", "redis");
}

// rediss://localhost:TLSPORT/0, the same server over TLS, and the throw-away CA that signed its
// certificate (for the name localhost only).
inline std::string redis_tls_url()
{
  return server_setting("DBMCP_TEST_REDIS_TLS_URL", "scripts/with-redis.sh", "redis");
}

inline std::string redis_tls_ca()
{
  return server_setting("DBMCP_TEST_REDIS_TLS_CA", "scripts/with-redis.sh", "redis");
}

} // namespace dbmcp::test
