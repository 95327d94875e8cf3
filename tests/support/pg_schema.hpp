#pragma once
// A PostgreSQL schema of its own per test, on the scripts/with-postgres.sh server, selected through
// search_path in the URL and dropped afterwards; and psql, to act on the database outside the binary
// under test.
#include "support/process.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <unistd.h>

namespace dbmcp::test {

// Runs `sql` with psql; returns its unaligned output. Fails the test when psql fails.
inline std::string psql(const std::string& url, const std::string& sql)
{
  const auto result = run({"/usr/bin/env", "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql});
  REQUIRE_MESSAGE(result.exit_code == 0, "psql failed: " << result.err);
  return result.out;
}

class PgSchema
{
public:
  PgSchema()
  {
    static std::atomic<int> counter{0};
    m_name = "e2e_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    psql(postgres_url(), "DROP SCHEMA IF EXISTS " + m_name + " CASCADE; CREATE SCHEMA " + m_name);
  }
  ~PgSchema()
  {
    run({"/usr/bin/env", "psql", "-X", "-q", "-d", postgres_url(), "-c", "DROP SCHEMA IF EXISTS " + m_name + " CASCADE"});
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  std::string url() const { return postgres_url() + "?options=-csearch_path%3D" + m_name; }
  std::string sql(const std::string& text) const { return psql(url(), text); }

  // The demo schema (users, posts, products, tasks) through `dbmcp init --demo`; returns url().
  std::string demo() const
  {
    const auto init = run_dbmcp({"--db", url(), "init", "--demo"});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    return url();
  }

private:
  std::string m_name;
};

} // namespace dbmcp::test
