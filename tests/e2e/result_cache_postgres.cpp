// The query-result cache (--cache, issue 11) through the built binary on PostgreSQL
// (scripts/with-postgres.sh).
#include "support/pg_schema.hpp"
#include "support/result_cache_scenarios.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <unistd.h>

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("e2e: result cache on PostgreSQL")
{
  TEST_CASE("result cache: cached reads, invalidation by writes, bypass, errors, related tables, diagnostics")
  {
    const PgSchema schema;
    const std::string url = schema.demo();
    check_result_cache(url);
  }
}
