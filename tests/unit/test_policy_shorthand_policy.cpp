// The policy --tables / --exclude-tables / --read-only stand for without a policy file.
#include "policy/shorthand_policy.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::policy;

TEST_SUITE("policy::shorthand_policy")
{
  TEST_CASE("shorthand: --exclude-tables hides each named table, in any case; the others stay writable")
  {
    const Policy policy = shorthand_policy({.exclude = {"secrets"}}, false, "command line (--exclude-tables)");
    CHECK(policy.source == "command line (--exclude-tables)");
    CHECK(policy.access_of("Secrets").is_hidden());
    CHECK(policy.access_of("accounts") == Access::read_write());
    CHECK(policy.allowed_somewhere() == Access::read_write());
    CHECK(shorthand_flags({.exclude = {"secrets"}}, false) == "--exclude-tables");
  }

  TEST_CASE("shorthand: --tables shows only the named tables, less the excluded ones")
  {
    const Policy policy = shorthand_policy({.include = {"a", "b"}, .exclude = {"b"}}, false, "flags");
    CHECK(policy.access_of("a") == Access::read_write());
    CHECK(policy.access_of("b").is_hidden());
    CHECK(policy.access_of("c").is_hidden());
    const store::Visibility visibility = merged_visibility(policy, {.include = {"a", "b"}, .exclude = {"b"}});
    CHECK(visibility.visible("a"));
    CHECK_FALSE(visibility.visible("b"));
    CHECK_FALSE(visibility.visible("c"));
  }

  TEST_CASE("shorthand: --read-only makes every table at most readable; no flag names nothing")
  {
    const Policy policy = shorthand_policy({}, true, "command line (--read-only)");
    CHECK(policy.access_of("any") == Access::read_only());
    CHECK_FALSE(policy.allowed_somewhere().writes());
    CHECK(policy.to_json()["read_only"] == true);
    CHECK(shorthand_flags({.include = {"a"}, .exclude = {"b"}}, true) == "--tables, --exclude-tables, --read-only");
    CHECK(shorthand_flags({}, false).empty());
  }
}
