// The query-result cache (--cache, issue 11) through the built binary on PostgreSQL
// (scripts/with-postgres.sh).
#include "support/result_cache_scenarios.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <unistd.h>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

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
    psql(postgres_url(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
    const std::string url = postgres_url() + "?options=-csearch_path%3D" + schema;
    const auto init = run_dbmcp({"--db", url, "init", "--demo"});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    check_result_cache(url);
    psql(postgres_url(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }
}
