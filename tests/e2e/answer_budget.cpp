// The answer byte budget (--max-answer-bytes) and the truncation signals,
// through the built binary on SQLite: pages stop before the row that would
// cross the budget and continue exactly after it, oversized values are cut with
// their length said, bulk writes keep exact counts, and include and
// aggregate_records say when there is more.
#include "support/mcp_client.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

// Runs `sql` on the SQLite file `path` with the sqlite3 shell (outside the
// binary under test).
void sqlite(const std::string &path, const std::string &sql) {
  const auto result = run({"/usr/bin/env", "sqlite3", path}, sql);
  REQUIRE_MESSAGE(result.exit_code == 0, "sqlite3 failed: " << result.err);
}

// A table `wide` of `rows` rows: an integer key and 60 text columns of 500
// bytes (~31 KB a row).
std::string wide_database(int rows) {
  const std::string path = temp_dir() + "/wide.db";
  std::string columns;
  std::string values;
  for (int i = 1; i <= 60; ++i) {
    columns += ", c" + std::to_string(i) + " TEXT";
    values += ", substr(hex(randomblob(250)), 1, 500)";
  }
  sqlite(path, "CREATE TABLE wide (id INTEGER PRIMARY KEY" + columns +
                   ");\n"
                   "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                   "FROM n WHERE x < " +
                   std::to_string(rows) + ") INSERT INTO wide SELECT x" +
                   values + " FROM n;\n");
  return path;
}

// The text content of a successful call: what the model reads.
std::string text_of(const Json &result) {
  REQUIRE_FALSE(result.value("isError", false));
  return result["content"][0]["text"].get<std::string>();
}

} // namespace

TEST_SUITE("e2e: answer byte budget") {
  TEST_CASE("a 60-column table pages through every row with next_cursor, no "
            "answer over the budget") {
    McpClient client({"--db", wide_database(300)});
    std::set<int64_t> seen;
    Json arguments{{"table", "wide"}, {"limit", 50}};
    int pages = 0;
    while (true) {
      const Json result = client.call("list_records", arguments);
      const std::string text = text_of(result);
      CHECK(text.size() <= 100'000);
      const Json page = result["structuredContent"];
      for (const auto &row : page["rows"]) {
        CHECK_MESSAGE(seen.insert(row["id"].get<int64_t>()).second,
                      "row repeated: " << row["id"]);
        CHECK(row.size() == 61);
      }
      ++pages;
      if (!page["has_more"].get<bool>()) {
        CHECK_FALSE(page.contains("truncated"));
        break;
      }
      REQUIRE(page.contains("truncated"));
      CHECK(page["truncated"]["rows_omitted"].get<int64_t>() > 0);
      CHECK(page["truncated"]["values_cut"] == 0);
      CHECK(page["truncated"]["hint"].get<std::string>().find("columns") !=
            std::string::npos);
      if (pages == 1) {
        CHECK(page["total"] == 300); // counted on the first page only
      } else {
        CHECK_FALSE(page.contains("total"));
      }
      arguments["cursor"] = page["next_cursor"];
      REQUIRE(pages < 400);
    }
    CHECK(seen.size() == 300);
    CHECK(*seen.begin() == 1);
    CHECK(*seen.rbegin() == 300);
    CHECK(pages > 50); // about three rows fit in 100,000 bytes

    // Fewer columns: more rows per answer, and the limit is the only cut.
    const Json narrow = client.call_ok(
        "list_records",
        {{"table", "wide"}, {"limit", 50}, {"columns", {"id", "c1"}}});
    CHECK(narrow["rows"].size() == 50);
    CHECK_FALSE(narrow.contains("truncated"));
  }

  TEST_CASE("--max-answer-bytes sets the budget; offset paging continues after "
            "the last row given") {
    McpClient client(
        {"--db", wide_database(20), "--max-answer-bytes", "40000"});
    const Json result = client.call(
        "list_records", {{"table", "wide"}, {"limit", 10}, {"offset", 2}});
    CHECK(text_of(result).size() <= 40'000);
    const Json page = result["structuredContent"];
    REQUIRE(page["rows"].size() == 1);
    CHECK(page["rows"][0]["id"] == 3);
    const Json next = client.call_ok(
        "list_records",
        {{"table", "wide"}, {"limit", 10}, {"cursor", page["next_cursor"]}});
    CHECK(next["rows"][0]["id"] == 4);
    CHECK(next["offset"] == 3);

    const auto refused = run_dbmcp({"--max-answer-bytes", "10", "tools"});
    CHECK(refused.exit_code == 2);
  }

  TEST_CASE("an oversized value is cut with a marker keeping its length; the "
            "next page goes on") {
    const std::string db = wide_database(3);
    sqlite(db, "UPDATE wide SET c7 = substr(hex(randomblob(150000)), 1, "
               "300000) WHERE id = 2;");
    McpClient client({"--db", db});
    const Json first =
        client.call_ok("list_records", {{"table", "wide"}, {"limit", 10}});
    CHECK(first["rows"].size() == 1); // row 2 does not fit after row 1
    const Json second_result = client.call(
        "list_records", {{"table", "wide"}, {"cursor", first["next_cursor"]}});
    CHECK(text_of(second_result).size() <= 100'000);
    const Json second = second_result["structuredContent"];
    REQUIRE(second["rows"].size() == 1);
    CHECK(second["rows"][0]["id"] == 2);
    CHECK(second["rows"][0]["c7"].get<std::string>().ends_with(
        "…[cut: 300000 bytes in all]"));
    CHECK(second["truncated"]["values_cut"] == 1);
    const Json third = client.call_ok(
        "list_records", {{"table", "wide"}, {"cursor", second["next_cursor"]}});
    CHECK(third["rows"][0]["id"] == 3);
    CHECK(third["has_more"] == false);

    const Json record =
        client.call_ok("get_record", {{"table", "wide"}, {"id", 2}});
    CHECK(record["record"]["c7"].get<std::string>().ends_with(
        "…[cut: 300000 bytes in all]"));
    CHECK(record["truncated"]["values_cut"] == 1);
  }

  TEST_CASE("update_records and delete_records keep exact counts when the "
            "returned rows are cut") {
    McpClient client({"--db", wide_database(100), "--max-rows", "100"});
    const Json result =
        client.call("update_records", {{"table", "wide"},
                                       {"where", {{"id", {{"gte", 1}}}}},
                                       {"set", {{"c1", "changed"}}}});
    CHECK(text_of(result).size() <= 100'000);
    const Json updated = result["structuredContent"];
    CHECK(updated["updated"] == 100);
    CHECK(updated["rows"].size() < 100);
    CHECK(updated["rows_truncated"] == true);
    CHECK(updated["truncated"]["rows_omitted"] ==
          100 - static_cast<int64_t>(updated["rows"].size()));
    CHECK(client.call_ok("count_records",
                         {{"table", "wide"},
                          {"where", {{"c1", "changed"}}}})["count"] == 100);

    const Json deleted =
        client.call_ok("delete_records",
                       {{"table", "wide"}, {"where", {{"id", {{"gt", 0}}}}}});
    CHECK(deleted["deleted"] == 100);
    CHECK(deleted["rows"].size() < 100);
    CHECK(deleted.contains("truncated"));
  }

  TEST_CASE("aggregate_records says has_more; include gives total and has_more "
            "and takes include_limit") {
    McpClient client({"--db", wide_database(30)});
    const Json groups = client.call_ok(
        "aggregate_records",
        {{"table", "wide"}, {"group_by", {"id"}}, {"limit", 10}});
    CHECK(groups["rows"].size() == 10);
    CHECK(groups["has_more"] == true);
    const Json all = client.call_ok(
        "aggregate_records",
        {{"table", "wide"}, {"group_by", {"id"}}, {"limit", 30}});
    CHECK(all["rows"].size() == 30);
    CHECK(all["has_more"] == false);
    const Json big =
        client.call_ok("aggregate_records",
                       {{"table", "wide"}, {"group_by", {"id", "c1", "c2"}}});
    CHECK(big["has_more"] == false);

    const std::string demo = temp_dir() + "/demo.db";
    REQUIRE(run_dbmcp({"--db", demo, "init", "--demo"}).exit_code == 0);
    McpClient demo_client({"--db", demo});
    Json posts = Json::array();
    for (int i = 0; i < 120; ++i) {
      posts.push_back({{"title", "post " + std::to_string(i)},
                       {"content", "text"},
                       {"author_id", 1}});
    }
    demo_client.call_ok("insert_records",
                        {{"table", "posts"}, {"records", posts}});
    const Json ada = demo_client.call_ok("get_record", {{"table", "users"},
                                                        {"id", 1},
                                                        {"include", {"posts"}},
                                                        {"include_limit", 10}});
    CHECK(ada["related"]["posts"]["rows"].size() == 10);
    CHECK(ada["related"]["posts"]["total"] == 121);
    CHECK(ada["related"]["posts"]["has_more"] == true);
    const Json ada_default = demo_client.call_ok(
        "get_record", {{"table", "users"}, {"id", 1}, {"include", {"posts"}}});
    CHECK(ada_default["related"]["posts"]["rows"].size() == 50);
    CHECK(ada_default["related"]["posts"]["total"] == 121);
  }

  TEST_CASE("list_tables filters by glob and pages with a cursor; where takes "
            "and/or/not") {
    const std::string path = temp_dir() + "/many.db";
    std::string sql;
    for (int i = 0; i < 250; ++i) {
      sql += "CREATE TABLE t_" + std::to_string(1000 + i) +
             " (id INTEGER PRIMARY KEY);\n";
    }
    sql += "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age "
           "INTEGER);\n"
           "INSERT INTO people VALUES (1, 'Ada', 36), (2, 'Alan', 41), (3, "
           "'Grace', NULL), (4, 'Edsger', 72);\n";
    sqlite(path, sql);
    McpClient client({"--db", path});
    std::set<std::string> names;
    Json arguments{{"pattern", "T_1*"}};
    int pages = 0;
    while (true) {
      const Json page = client.call_ok("list_tables", arguments);
      CHECK(page["total"] == 250);
      for (const auto &table : page["tables"]) {
        CHECK(names.insert(table["name"].get<std::string>()).second);
      }
      ++pages;
      if (!page["has_more"].get<bool>()) {
        break;
      }
      arguments["cursor"] = page["next_cursor"];
      REQUIRE(pages < 10);
    }
    CHECK(names.size() == 250);
    CHECK(pages == 3);
    const Json one = client.call_ok("list_tables", {{"pattern", "peo?le"}});
    REQUIRE(one["tables"].size() == 1);
    CHECK(one["tables"][0]["name"] == "people");
    CHECK(client.call_error("list_tables",
                            {{"pattern", "*"}, {"cursor", "nope"}})["code"] ==
          "invalid_argument");

    const Json either = client.call_ok(
        "count_records",
        {{"table", "people"},
         {"where", Json::parse(R"({"or": [{"age": 36}, {"age": 41}]})")}});
    CHECK(either["count"] == 2);
    const Json unknown = client.call_error(
        "list_records", {{"table", "people"}, {"where", {{"xor", {1}}}}});
    CHECK(unknown["message"].get<std::string>().find("and, or, not") !=
          std::string::npos);
  }

  TEST_CASE("aggregate_records continues with next_offset through every group, "
            "none repeated") {
    McpClient client({"--db", wide_database(30)});
    std::set<int64_t> seen;
    Json arguments{{"table", "wide"}, {"group_by", {"id"}}, {"limit", 7}};
    int pages = 0;
    while (true) {
      const Json page = client.call_ok("aggregate_records", arguments);
      for (const auto &row : page["rows"]) {
        CHECK(seen.insert(row["id"].get<int64_t>()).second);
      }
      ++pages;
      if (!page["has_more"].get<bool>()) {
        CHECK(page["next_offset"].is_null());
        break;
      }
      arguments["offset"] = page["next_offset"];
      REQUIRE(pages < 10);
    }
    CHECK(seen.size() == 30);
    CHECK(pages == 5);
  }

  TEST_CASE("list_tables: schema 'main' on SQLite, another refused; its cursor "
            "is signed") {
    McpClient client({"--db", wide_database(1)});
    const Json main = client.call_ok("list_tables", {{"schema", "main"}});
    CHECK(main["schema"] == "main");
    CHECK(main["total"] == 1);
    const Json other =
        client.call_error("list_tables", {{"schema", "public"}});
    CHECK(other["code"] == "invalid_argument");
    CHECK(other["message"].get<std::string>().find("'main'") !=
          std::string::npos);
    // The unsigned form of before ({"p": pattern, "o": offset} in base64url)
    // is refused: a client cannot forge a position.
    CHECK(client.call_error("list_tables",
                            {{"cursor", "eyJvIjowLCJwIjoiKiJ9"}})["code"] ==
          "invalid_argument");
  }

  TEST_CASE("fulltext without <table>_fts says how to create it; language is "
            "refused where the index decides") {
    McpClient client({"--db", wide_database(1)});
    const Json missing = client.call_error(
        "search_records",
        {{"table", "wide"}, {"query", "a"}, {"mode", "fulltext"}});
    const std::string message = missing["message"].get<std::string>();
    CHECK(message.find("CREATE VIRTUAL TABLE \"wide_fts\" USING "
                       "fts5(\"c1\", \"c2\"") != std::string::npos);
    CHECK(message.find("content='wide', content_rowid=\"id\")") !=
          std::string::npos);
    CHECK(message.find("'rebuild'") != std::string::npos);
    CHECK(client.call_error("search_records", {{"table", "wide"},
                                               {"query", "a"},
                                               {"mode", "fulltext"},
                                               {"language", "english"}})
              ["code"] == "invalid_argument");
    const Json contains = client.call_ok(
        "search_records", {{"table", "wide"}, {"query", "a"}});
    CHECK(contains["search"]["mode"] == "contains");
  }
}
