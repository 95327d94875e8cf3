// The query-result cache (--cache, issue 11) through the built binary on PostgreSQL
// (scripts/with-postgres.sh).
#include "support/result_cache_scenarios.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <unistd.h>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

std::string server_url()
{
  const char* url = std::getenv("DBMCP_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    FAIL("DBMCP_TEST_POSTGRES_URL is not set: run through scripts/with-postgres.sh, e.g. "
         "scripts/with-postgres.sh ctest --test-dir build -R result_cache_postgres");
  }
  return url;
}

void psql(const std::string& url, const std::string& sql)
{
  const auto result = run({"/usr/bin/env", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql});
  REQUIRE_MESSAGE(result.exit_code == 0, "psql failed: " << result.err);
}

} // namespace

TEST_SUITE("e2e: result cache on PostgreSQL")
{
  TEST_CASE("result cache: cached reads, invalidation by writes, bypass, errors, related tables, diagnostics")
  {
    const std::string schema = "e2e_cache_" + std::to_string(::getpid());
    psql(server_url(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
    const std::string url = server_url() + "?options=-csearch_path%3D" + schema;
    const auto init = run_dbmcp({"--db", url, "init", "--demo"});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    check_result_cache(url);
    psql(server_url(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }
}
