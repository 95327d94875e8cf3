#pragma once

// The query-result cache (--cache) as a client sees it, on any database with the demo schema
// (users, posts with ON DELETE CASCADE to users): shared by the SQLite and PostgreSQL e2e tests.
#include "support/mcp_client.hpp"

#include <doctest/doctest.h>

namespace dbmcp::test {

// Whether `answer` was served from the cache.
inline bool cached(const Json& answer)
{
  return answer.value("cached", false);
}

// Runs every scenario against `db` (a database with the demo schema) through `dbmcp --cache memory`.
inline void check_result_cache(const std::string& db)
{
  // doctest runs this once per SUBCASE, each time on a fresh server: one author each time.
  static int run = 0;
  const std::string email = "ada" + std::to_string(++run) + "@cache.test";
  McpClient client({"--db", db, "--cache", "memory"});
  const int64_t author =
      client.call_ok("insert_record", {{"table", "users"},
                                       {"record", {{"name", "Ada"}, {"email", email}, {"age", 36}}},
                                       {"related", {{"posts", {{{"title", "Engines"}, {"content", "analytical"}}}}}}})
          ["record"]["id"]
              .get<int64_t>();
  const Json search = {{"table", "users"}, {"query", email}};

  SUBCASE("a repeated search is served cached, with its age; a write through dbmcp invalidates it")
  {
    const Json first = client.call_ok("search_records", search);
    CHECK_FALSE(cached(first));
    const Json second = client.call_ok("search_records", search);
    CHECK(cached(second));
    CHECK(second["cache_age_ms"].get<int64_t>() >= 0);
    CHECK(second["rows"] == first["rows"]);
    // Equal after normalisation: the same arguments in another order.
    CHECK(cached(client.call_ok("search_records", {{"query", email}, {"table", "users"}})));
    client.call_ok("update_record", {{"table", "users"}, {"id", author}, {"set", {{"name", "Ada Lovelace"}}}});
    const Json after = client.call_ok("search_records", search);
    CHECK_FALSE(cached(after));
    REQUIRE(after["rows"].size() == 1);
    CHECK(after["rows"][0]["name"] == "Ada Lovelace");
  }

  SUBCASE("cache: false reads the database; the tools list offers the argument")
  {
    client.call_ok("count_records", {{"table", "users"}});
    CHECK(cached(client.call_ok("count_records", {{"table", "users"}})));
    CHECK_FALSE(cached(client.call_ok("count_records", {{"table", "users"}, {"cache", false}})));
    CHECK(client.call_error("count_records", {{"table", "users"}, {"cache", "no"}})["code"] == "invalid_argument");
    const Json list = client.request("tools/list", Json::object())["result"]["tools"];
    for (const auto& tool : list) {
      if (tool["name"] == "get_record") {
        CHECK(tool["inputSchema"]["properties"].contains("cache"));
      }
    }
  }

  SUBCASE("errors are never cached: a missing row found after its insert")
  {
    const Json missing = {{"table", "users"}, {"id", 987654}};
    CHECK(client.call_error("get_record", missing)["code"] == "not_found");
    CHECK(client.call_error("get_record", missing)["code"] == "not_found");
    client.call_ok("insert_record",
                   {{"table", "users"}, {"record", {{"id", 987654}, {"name", "Late"}, {"email", "late@cache.test"}}}});
    const Json found = client.call_ok("get_record", missing);
    CHECK_FALSE(cached(found));
    CHECK(found["record"]["name"] == "Late");
  }

  SUBCASE("a write to an included related table invalidates the answer that included it")
  {
    const Json with_posts = {{"table", "users"}, {"id", author}, {"include", {"posts"}}};
    CHECK(client.call_ok("get_record", with_posts)["related"]["posts"]["rows"].size() == 1);
    CHECK(cached(client.call_ok("get_record", with_posts)));
    client.call_ok("insert_record",
                   {{"table", "posts"}, {"record", {{"title", "Notes"}, {"content", "G"}, {"author_id", author}}}});
    const Json after = client.call_ok("get_record", with_posts);
    CHECK_FALSE(cached(after));
    CHECK(after["related"]["posts"]["rows"].size() == 2);
  }

  SUBCASE("a delete cascading to a child table invalidates the child's cached answers")
  {
    const Json posts = {{"table", "posts"}, {"where", {{"author_id", author}}}};
    CHECK(client.call_ok("count_records", posts)["count"] == 1);
    CHECK(cached(client.call_ok("count_records", posts)));
    client.call_ok("delete_record", {{"table", "users"}, {"id", author}});
    const Json after = client.call_ok("count_records", posts);
    CHECK_FALSE(cached(after));
    CHECK(after["count"] == 0);
  }

  SUBCASE("diagnostics report hits, misses, the hit ratio, bytes and invalidations")
  {
    client.call_ok("aggregate_records", {{"table", "users"}});
    client.call_ok("aggregate_records", {{"table", "users"}});
    const Json stats = client.call_ok("database_diagnostics", Json::object())["result_cache"];
    CHECK(stats["state"] == "up");
    CHECK(stats["hits"].get<int64_t>() >= 1);
    CHECK(stats["misses"].get<int64_t>() >= 1);
    CHECK(stats["hit_ratio"].get<double>() > 0);
    CHECK(stats["bytes"].get<int64_t>() > 0);
    CHECK(stats["invalidations"].get<int64_t>() >= 1); // the insert above
    CHECK(stats["backend"].get<std::string>().find("memory") == 0);
  }
}

} // namespace dbmcp::test
