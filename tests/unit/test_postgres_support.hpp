#pragma once
// Shared by the PostgreSQL unit tests: the server that scripts/with-postgres.sh started, and a
// private schema per test so that tests never see each other's tables.
#include "support/servers.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace dbmcp::test {

// Runs `sql` on a fresh connection of its own (setup and inspection, outside the code under test).
inline void admin_exec(const std::string& sql, const std::string& url = postgres_url())
{
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  tx.exec(sql);
}

// A schema created for one test and dropped after it; `url()` selects it through search_path,
// so the store introspects it as its current schema.
class TestSchema
{
public:
  explicit TestSchema(const std::string& setup_sql = "")
  {
    static std::atomic<int> counter{0};
    m_name = fmt::format("t_{}_{}", ::getpid(), counter++);
    admin_exec(fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0};", m_name));
    if (!setup_sql.empty()) {
      admin_exec(fmt::format("SET search_path TO {};\n{}", m_name, setup_sql));
    }
  }
  ~TestSchema()
  {
    try {
      admin_exec(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", m_name));
    } catch (...) {
    }
  }
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;

  const std::string& name() const { return m_name; }
  std::string url(const std::string& extra = "") const
  {
    return fmt::format("{}?options=-csearch_path%3D{}{}", postgres_url(), m_name, extra);
  }
  void exec(const std::string& sql) const { admin_exec(fmt::format("SET search_path TO {};\n{}", m_name, sql)); }

private:
  std::string m_name;
};

// Restarts the server (pg_ctl restart -m fast) through the variables scripts/with-postgres.sh
// exports; fails the test when they are missing or the restart fails.
inline void restart_server()
{
  const std::string command = fmt::format("'{}' -D '{}' -m fast -w -t 60 restart >/dev/null 2>&1", postgres_pg_ctl(),
                                          postgres_data_dir());
  REQUIRE_MESSAGE(std::system(command.c_str()) == 0, "pg_ctl restart failed: " << command);
}

// Polls `condition` every 10 ms until it holds or `limit` passes; returns whether it held.
template<typename Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds limit = std::chrono::seconds(10))
{
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    ::usleep(10000);
  }
  return condition();
}

} // namespace dbmcp::test
