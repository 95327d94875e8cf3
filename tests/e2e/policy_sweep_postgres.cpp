// The access-policy leak sweep (issue 16, "Done when") through the built binary on PostgreSQL
// (scripts/with-postgres.sh): the scenarios of support/policy_sweep_scenarios.hpp and
// policy_sweep_probes.hpp, each on a schema of its own.
#include "support/pg_schema.hpp"
#include "support/policy_sweep_probes.hpp"

#include <doctest/doctest.h>

#include <memory>

using namespace dbmcp;
using namespace dbmcp::test;
using namespace dbmcp::test::policy_sweep;

namespace {

// A fresh schema, dropped at the end of the test case; SQL run on it with psql.
Database fresh_postgres(std::vector<std::unique_ptr<PgSchema>>& schemas)
{
  schemas.push_back(std::make_unique<PgSchema>());
  const PgSchema* schema = schemas.back().get();
  return {schema->url(), [schema](const std::string& sql) { return schema->sql(sql); }};
}

} // namespace

TEST_SUITE("e2e: access policy sweep on PostgreSQL")
{
  TEST_CASE("policy sweep: no tool or argument shape reveals a hidden name, a "
            "masked value or another tenant's row")
  {
    std::vector<std::unique_ptr<PgSchema>> schemas;
    SUBCASE("legacy protocol (2025-06-18), policy in JSON")
    {
      sweep_every_tool(fresh_postgres(schemas), Era::legacy, false);
    }
    SUBCASE("modern protocol (2026-07-28), policy in TOML")
    {
      sweep_every_tool(fresh_postgres(schemas), Era::modern, true);
    }
  }

  TEST_CASE("policy sweep: a hidden table or column is answered exactly as an "
            "unknown one")
  {
    std::vector<std::unique_ptr<PgSchema>> schemas;
    check_hidden_names_look_unknown(fresh_postgres(schemas), Era::modern);
  }

  TEST_CASE("policy sweep: on_conflict replace cannot write over another tenant's row or a read-only table")
  {
    std::vector<std::unique_ptr<PgSchema>> schemas;
    check_upserts(fresh_postgres(schemas), Era::modern);
  }

  TEST_CASE("policy sweep: with --audit every call is recorded once and "
            "nothing secret")
  {
    std::vector<std::unique_ptr<PgSchema>> schemas;
    check_audit(fresh_postgres(schemas));
  }

  TEST_CASE("policy sweep: DB_POLICY applies the policy from the environment")
  {
    std::vector<std::unique_ptr<PgSchema>> schemas;
    check_policy_from_environment(fresh_postgres(schemas));
  }
}
