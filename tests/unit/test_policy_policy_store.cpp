// The catalog as the policy shows it: hidden columns leave the columns, the key, the indexes, the
// foreign keys (both ways) and the checks that name them.
#include "policy/policy_file.hpp"
#include "policy/policy_store.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::policy;

namespace {

store::Schema sample_schema()
{
  store::TableInfo users{.name = "users"};
  users.columns = {{.name = "id"}, {.name = "email"}, {.name = "token"}};
  users.primary_key = {"id"};
  users.indexes = {{.name = "users_email", .columns = {"email"}, .unique = true}, {.name = "users_token", .columns = {"token"}}};
  users.checks = {"length(token) > 3", "email LIKE '%@%'"};
  users.row_estimate = 10;
  const store::ForeignKey authored{.name = "fk", .table = "posts", .columns = {"author_id"}, .ref_table = "users",
                                   .ref_columns = {"id"}};
  users.referenced_by = {authored};
  store::TableInfo posts{.name = "posts"};
  posts.columns = {{.name = "id"}, {.name = "author_id"}};
  posts.primary_key = {"id"};
  posts.foreign_keys = {authored};
  posts.row_estimate = 5;
  store::Schema schema;
  schema.tables = {posts, users};
  return schema;
}

} // namespace

TEST_SUITE("policy::policy_store")
{
  TEST_CASE("visible_schema: a hidden column takes its indexes, checks and foreign keys with it")
  {
    const Policy policy = parse_policy("[tables.users]\nhidden_columns = [\"token\"]\nrow_filter = { id = 1 }\n"
                                       "[tables.posts]\nhidden_columns = [\"author_id\"]\n",
                                       FileFormat::toml, "p.toml");
    const store::Schema visible = visible_schema(sample_schema(), policy);
    const store::TableInfo& users = *visible.find_table("users");
    CHECK(users.columns.size() == 2);
    CHECK_FALSE(users.find_column("token"));
    REQUIRE(users.indexes.size() == 1);
    CHECK(users.indexes[0].name == "users_email");
    CHECK(users.checks == std::vector<std::string>{"email LIKE '%@%'"});
    CHECK(users.referenced_by.empty()); // posts.author_id is hidden
    CHECK_FALSE(users.row_estimate);    // row-filtered: the table's size is not told
    const store::TableInfo& posts = *visible.find_table("posts");
    CHECK(posts.foreign_keys.empty());
    CHECK(posts.row_estimate == 5);
    CHECK_THROWS_WITH(users.require_column("toke"), "unknown column 'toke' in users");
  }

  TEST_CASE("visible_schema: without hidden columns the catalog is unchanged")
  {
    const store::Schema visible = visible_schema(sample_schema(), parse_policy("", FileFormat::toml, "p.toml"));
    CHECK(visible.find_table("users")->indexes.size() == 2);
    CHECK(visible.find_table("users")->referenced_by.size() == 1);
    CHECK(visible.find_table("posts")->foreign_keys.size() == 1);
  }
}
