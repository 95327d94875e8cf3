// The access policy (--policy, issue 16) through the built binary on PostgreSQL
// (scripts/with-postgres.sh): the scenarios shared with the SQLite test.
#include "support/access_policy_scenarios.hpp"
#include "support/pg_schema.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("e2e: access policy on PostgreSQL")
{
  TEST_CASE("policy: hidden names in errors, key columns, tool set, write-only tables, one reading of the file, "
            "diagnostics and health")
  {
    // doctest runs this once per SUBCASE: a fresh schema each time.
    const PgSchema schema;
    schema.sql(k_policy_scenario_schema);
    schema.sql(k_postgres_scenario_trigger);
    check_access_policy_scenarios(schema.url());
  }
}
