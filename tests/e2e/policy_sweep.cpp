// The access-policy leak sweep (issue 16, "Done when") through the built binary on SQLite: every tool and argument
// shape, both eras of the protocol, the row filter on every read and write, dry_run, max_affected_rows, the audit
// trail (scenarios in support/policy_sweep_scenarios.hpp and policy_sweep_probes.hpp).
#include "support/policy_sweep_probes.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::test;
using namespace dbmcp::test::policy_sweep;

namespace {

// A fresh SQLite file, SQL run on it with the sqlite3 shell.
Database fresh_sqlite()
{
  static int databases = 0;
  const std::string path = temp_dir() + "/sweep" + std::to_string(++databases) + ".db";
  return {path, [path](const std::string& sql) {
            const auto result = run({"/usr/bin/env", "sqlite3", path, sql});
            REQUIRE_MESSAGE(result.exit_code == 0, "sqlite3 failed: " << result.err);
            return result.out;
          }};
}

} // namespace

TEST_SUITE("e2e: access policy sweep on SQLite")
{
  TEST_CASE("policy sweep: no tool or argument shape reveals a hidden name, a "
            "masked value or another tenant's row")
  {
    SUBCASE("legacy protocol (2025-06-18), policy in TOML")
    {
      sweep_every_tool(fresh_sqlite(), Era::legacy, true);
    }
    SUBCASE("modern protocol (2026-07-28), policy in JSON")
    {
      sweep_every_tool(fresh_sqlite(), Era::modern, false);
    }
  }

  TEST_CASE("policy sweep: a hidden table or column is answered exactly as an "
            "unknown one")
  {
    SUBCASE("legacy")
    {
      check_hidden_names_look_unknown(fresh_sqlite(), Era::legacy);
    }
    SUBCASE("modern")
    {
      check_hidden_names_look_unknown(fresh_sqlite(), Era::modern);
    }
  }

  TEST_CASE("policy sweep: on_conflict replace cannot write over another tenant's row or a read-only table")
  {
    check_upserts(fresh_sqlite(), Era::legacy);
  }

  TEST_CASE("policy sweep: with --audit every call is recorded once and "
            "nothing secret")
  {
    check_audit(fresh_sqlite());
  }

  TEST_CASE("policy sweep: DB_POLICY applies the policy from the environment")
  {
    check_policy_from_environment(fresh_sqlite());
  }
}
