// The database tools through the built binary on SQLite, as an MCP client and a shell script use them.
#include "support/demo_database.hpp"
#include "support/hidden_tables.hpp"
#include "support/demo_users.hpp"
#include "support/mcp_client.hpp"
#include "util/base64.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

using namespace dbmcp;
using namespace dbmcp::test;

TEST_SUITE("e2e: tools on SQLite")
{
  TEST_CASE("a database file deleted or replaced under the server: writes are refused as unavailable, none lost")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db});
    CHECK(client.call_ok("insert_record", {{"table", "tasks"}, {"record", {{"title", "before"}}}})["record"]["title"] == "before");
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(db + suffix);
    }
    const Json error = client.call_error("insert_record", {{"table", "tasks"}, {"record", {{"title", "lost"}}}});
    CHECK(error["code"] == "unavailable");
    CHECK(error["message"].get<std::string>().find("deleted or replaced") != std::string::npos);
    // A new file at the same path is another database: still refused, and reads go on.
    REQUIRE(run_dbmcp({"--db", db, "init", "--demo"}).exit_code == 0);
    CHECK(client.call_error("delete_record", {{"table", "tasks"}, {"id", 1}})["code"] == "unavailable");
    CHECK(count(client, "users") >= 0);
  }

  TEST_CASE("dbmcp call: result on stdout, exit codes 0, 1 and 2")
  {
    const std::string db = demo_database();
    const auto ok = run_dbmcp({"--db", db, "call", "list_records", R"({"table":"users","limit":2,"order_by":"id"})"});
    CHECK(ok.exit_code == 0);
    const Json page = Json::parse(ok.out);
    CHECK(page["rows"].size() == 2);
    CHECK(page["rows"][0]["email"] == "ada@example.com");
    CHECK(page["total"] == 5);

    const auto missing = run_dbmcp({"--db", db, "call", "get_record", R"({"table":"users","id":42})"});
    CHECK(missing.exit_code == 1);
    CHECK(Json::parse(missing.out)["error"]["code"] == "not_found");
    CHECK(missing.err.find("user 42 not found in users") != std::string::npos);

    const auto bad_json = run_dbmcp({"--db", db, "call", "list_tables", "{nope"});
    CHECK(bad_json.exit_code == 2);
    CHECK(bad_json.out.empty());
    const auto typo = run_dbmcp({"--db", db, "call", "list_tabels"});
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("did you mean 'list_tables'?") != std::string::npos);

    const auto from_stdin = run_dbmcp({"--db", db, "call", "count_records", "-"}, R"({"table": "posts"})");
    CHECK(from_stdin.exit_code == 0);
    CHECK(Json::parse(from_stdin.out)["count"] == 6);
  }

  TEST_CASE("introspection: list_tables, describe_table, schema resources")
  {
    McpClient client({"--db", demo_database()});
    const Json tables = client.call_ok("list_tables", Json::object())["tables"];
    std::set<std::string> names;
    for (const auto& table : tables) {
      names.insert(table["name"].get<std::string>());
    }
    CHECK(names == std::set<std::string>{"posts", "products", "tasks", "users"});

    const Json users = client.call_ok("describe_table", {{"table", "users"}});
    CHECK(users["primary_key"] == Json::array({"id"}));
    CHECK(users["referenced_by"][0]["table"] == "posts");
    CHECK(users["checks"][0].get<std::string>().find("age >= 0") != std::string::npos);
    const Json posts = client.call_ok("describe_table", {{"table", "posts"}});
    CHECK(posts["foreign_keys"][0]["ref_table"] == "users");
    CHECK(posts["fulltext"] == true);

    const Json error = client.call_error("describe_table", {{"table", "usres"}});
    CHECK(error["code"] == "invalid_argument");
    CHECK(error["message"] == "unknown table 'usres'; did you mean 'users'?");

    const Json read = client.request("resources/read", {{"uri", "db://tables/users/schema"}});
    CHECK(Json::parse(read["result"]["contents"][0]["text"].get<std::string>())["name"] == "users");
  }

  TEST_CASE("reads: get_record with include, list_records filters, search, count, aggregate")
  {
    McpClient client({"--db", demo_database(), "--max-rows", "3"});
    const Json ada = client.call_ok("get_record", {{"table", "users"}, {"id", 1}, {"include", {"posts"}}});
    CHECK(ada["record"]["name"] == "Ada Lovelace");
    CHECK(ada["related"]["posts"]["rows"].size() == 1);
    CHECK(ada["related"]["posts"]["total"] == 1);
    CHECK(ada["related"]["posts"]["has_more"] == false);
    const Json post = client.call_ok("get_record", {{"table", "posts"}, {"id", 4}, {"include", {"users"}}});
    CHECK(post["related"]["users"]["name"] == "Edsger Dijkstra");

    const Json adults = client.call_ok(
        "list_records", {{"table", "users"}, {"where", {{"age", {{"gte", 40}, {"lt", 80}}}}}, {"order_by", "-age"},
                         {"columns", {"name", "age"}}});
    REQUIRE(adults["rows"].size() == 2);
    CHECK(adults["rows"][0] == Json{{"name", "Edsger Dijkstra"}, {"age", 72}});
    CHECK(adults["total"] == 2);

    const Json no_age = client.call_ok("list_records", {{"table", "users"}, {"where", {{"age", {{"is_null", true}}}}}});
    CHECK(no_age["rows"][0]["name"] == "Barbara Liskov");
    const Json in_list = client.call_ok("count_records", {{"table", "users"}, {"where", {{"id", {{"not_in", {1, 2}}}}}}});
    CHECK(in_list["count"] == 3);
    const Json like = client.call_ok("count_records", {{"table", "users"}, {"where", {{"email", {{"ilike", "%@EXAMPLE.com"}}}}}});
    CHECK(like["count"] == 5);

    const Json capped = client.call_ok("list_records", {{"table", "users"}, {"limit", 50}});
    CHECK(capped["limit"] == 3);
    CHECK(capped["limit_capped"] == true);
    CHECK(capped["has_more"] == true);

    const Json found = client.call_ok("search_records", {{"table", "posts"}, {"query", "MACHINES"}});
    REQUIRE(found["rows"].size() == 1);
    CHECK(found["rows"][0]["author_id"] == 2);
    const Json ranked = client.call_ok("search_records", {{"table", "posts"}, {"query", "statement"}, {"mode", "fulltext"}});
    REQUIRE(ranked["rows"].size() >= 1);
    CHECK(ranked["rows"][0]["title"] == "Go To Statement Considered Harmful");
    CHECK(ranked["rows"][0].contains("_rank"));

    const Json groups = client.call_ok(
        "aggregate_records", {{"table", "products"}, {"group_by", {"category"}},
                              {"aggregates", {{{"fn", "count"}}, {{"fn", "max"}, {"column", "price"}, {"as", "top"}}}},
                              {"order_by", {"-count"}}});
    REQUIRE(groups["rows"].size() == 3);
    CHECK(groups["rows"][0]["count"] == 2);
  }

  TEST_CASE("writes: insert with defaults and related rows, update, delete, bulk forms")
  {
    McpClient client({"--db", demo_database()});
    const Json created = client.call_ok(
        "insert_record", {{"table", "users"}, {"record", {{"name", "Katherine Johnson"}, {"email", "kj@example.com"}, {"age", 101}}},
                          {"related", {{"posts", {{{"title", "Orbits"}, {"content", "Trajectory analysis"}}}}}}});
    const Json user = created["record"];
    CHECK(user["id"] == 6);
    CHECK(user["created_at"].is_string());
    CHECK(created["related"]["posts"][0]["author_id"] == 6);

    const Json updated = client.call_ok("update_record", {{"table", "users"}, {"id", 6}, {"set", {{"age", 102}}}});
    CHECK(updated["record"]["age"] == 102);
    const Json bulk = client.call_ok("update_records", {{"table", "tasks"}, {"where", {{"status", "pending"}}},
                                                         {"set", {{"status", "done"}}}});
    CHECK(bulk["updated"] == 2);
    const std::string refusal =
        client.call_error("update_records", {{"table", "tasks"}, {"where", Json::object()}, {"set", {{"priority", 1}}}})
            ["message"];
    CHECK(refusal.find("non-empty 'where'") != std::string::npos);
    // The refusal never teaches a way around it (issue 13).
    CHECK(refusal.find("always matches") == std::string::npos);
    CHECK(refusal.find("every row") == std::string::npos);
    CHECK(client.call_error("delete_records", {{"table", "tasks"}})["code"] == "invalid_argument");

    const Json deleted = client.call_ok("delete_record", {{"table", "users"}, {"id", 6}});
    CHECK(deleted["deleted"]["email"] == "kj@example.com");
    CHECK(count(client, "posts") == 6); // ON DELETE CASCADE removed the related post
    const Json gone = client.call_ok("delete_records", {{"table", "products"}, {"where", {{"category", "furniture"}}}});
    CHECK(gone["deleted"] == 2);
    CHECK(client.call_error("delete_record", {{"table", "users"}, {"id", 6}})["message"] == "user 6 not found in users");
  }

  TEST_CASE("dry_run previews update_records and delete_records, writing nothing; --max-affected-rows rolls back")
  {
    const std::string db = demo_database();
    const Json pending{{"table", "tasks"}, {"where", {{"status", "pending"}}}};
    {
      McpClient client({"--db", db});
      Json update = pending;
      update["set"] = {{"status", "done"}};
      update["dry_run"] = true;
      const Json preview = client.call_ok("update_records", update);
      CHECK(preview["dry_run"] == true);
      CHECK(preview["updated"] == 2);
      CHECK(preview["rows"][0]["status"] == "done");
      CHECK(preview["note"].get<std::string>().find("nothing was written") != std::string::npos);
      const Json furniture{{"table", "products"}, {"where", {{"category", "furniture"}}}};
      Json remove = furniture;
      remove["dry_run"] = true;
      const Json doomed = client.call_ok("delete_records", remove);
      CHECK(doomed["dry_run"] == true);
      CHECK(doomed["deleted"] == 2);
      CHECK(doomed["rows"][0]["category"] == "furniture");
      CHECK(client.call_ok("count_records", pending)["count"] == 2);
      CHECK(client.call_ok("count_records", furniture)["count"] == 2);
      const Json real = client.call_ok("delete_records", furniture);
      CHECK(real.contains("dry_run") == false);
      CHECK(real["deleted"] == 2);
    }
    McpClient limited({"--db", db}, {{"DB_MAX_AFFECTED_ROWS", "1"}});
    Json update = pending;
    update["set"] = {{"status", "done"}};
    const Json refused = limited.call_error("update_records", update);
    CHECK(refused["code"] == "too_many_rows");
    CHECK(refused["message"].get<std::string>().find("would change 2 rows of tasks") != std::string::npos);
    CHECK(limited.call_ok("count_records", pending)["count"] == 2);
    const Json one = limited.call_ok("update_record", {{"table", "tasks"}, {"id", 1}, {"set", {{"priority", 3}}}});
    CHECK(one["record"]["priority"] == 3);

    const auto config = run_dbmcp({"--db", db, "--max-affected-rows", "0", "config"});
    REQUIRE(config.exit_code == 0);
    CHECK(config.out.find("--max-affected-rows") != std::string::npos);
    CHECK(config.out.find("0 (no limit)") != std::string::npos);
  }

  TEST_CASE("a column declared JSON takes objects and arrays on insert and update, stored as JSON text")
  {
    const std::string db = temp_dir() + "/json.db";
    const std::string schema = temp_dir() + "/json.sql";
    std::ofstream(schema) << "CREATE TABLE docs (id INTEGER PRIMARY KEY, body JSON, note TEXT);";
    const auto init = run_dbmcp({"--db", db, "--create", "init", "--schema", schema});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    McpClient client({"--db", db});
    const Json body = {{"tags", {"a", "b"}}, {"n", 1}, {"nested", {{"ok", true}}}};
    const Json created = client.call_ok("insert_record", {{"table", "docs"}, {"record", {{"body", body}}}});
    CHECK(Json::parse(created["record"]["body"].get<std::string>()) == body);
    const Json list = Json::array({1, {{"x", nullptr}}});
    client.call_ok("update_record", {{"table", "docs"}, {"id", created["record"]["id"]}, {"set", {{"body", list}}}});
    const Json read = client.call_ok("get_record", {{"table", "docs"}, {"id", created["record"]["id"]}});
    CHECK(Json::parse(read["record"]["body"].get<std::string>()) == list);
    client.call_ok("insert_records", {{"table", "docs"}, {"records", {{{"body", body}}, {{"body", list}}}}});
    CHECK(count(client, "docs") == 3);
    // Only JSON columns take documents, and filters still take single values.
    CHECK(client.call_error("insert_record", {{"table", "docs"}, {"record", {{"note", body}}}})["message"]
              .get<std::string>()
              .find("takes a single value") != std::string::npos);
    CHECK(client.call_error("list_records", {{"table", "docs"}, {"where", {{"body", {{"eq", body}}}}}})["message"]
              .get<std::string>()
              .find("single value") != std::string::npos);
  }

  TEST_CASE("errors: each constraint gets its code and a message a person can act on")
  {
    McpClient client({"--db", demo_database()});
    Json error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"email", "ada@example.com"}}}});
    CHECK(error["code"] == "unique_violation");
    CHECK(error["message"] == "email 'ada@example.com' already exists in users (unique)");
    error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"email", "x@x"}, {"age", 200}}}});
    CHECK(error["code"] == "check_violation");
    CHECK(error["message"].get<std::string>().find("age >= 0 AND age <= 150") != std::string::npos);
    error = client.call_error("insert_record", {{"table", "posts"}, {"record", {{"title", "t"}, {"content", "c"}, {"author_id", 99}}}});
    CHECK(error["code"] == "foreign_key_violation");
    CHECK(error["message"] == "posts.author_id 99 has no matching users.id");
    error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"email", "n@n"}}}});
    CHECK(error["code"] == "not_null_violation");
    CHECK(error["message"].get<std::string>().find("users.name") != std::string::npos);
    error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"emial", "n@n"}}}});
    CHECK(error["message"] == "unknown column 'emial' in users; did you mean 'email'?");
    error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"email", "a@a"}, {"age", "old"}}}});
    CHECK(error["code"] == "invalid_argument");
    CHECK(count(client, "users") == 5);
  }

  TEST_CASE("insert_records: 10,000 rows with one bad row in the middle change nothing and name the row")
  {
    McpClient client({"--db", demo_database()});
    const Json failed = client.call_error("insert_records", {{"table", "users"}, {"records", users(100, 10000, 5100)}});
    CHECK(failed["code"] == "check_violation");
    CHECK(failed["row"] == 5000);
    CHECK(failed["message"].get<std::string>().find("row 5000") != std::string::npos);
    CHECK(count(client, "users") == 5);

    Json duplicate = users(100, 10000);
    duplicate[7000]["email"] = "ada@example.com";
    const Json conflict = client.call_error("insert_records", {{"table", "users"}, {"records", duplicate}});
    CHECK(conflict["code"] == "unique_violation");
    CHECK(conflict["row"] == 7000);
    CHECK(count(client, "users") == 5);

    const Json done = client.call_ok("insert_records", {{"table", "users"}, {"records", users(100, 10000)}, {"batch_size", 2500}});
    CHECK(done["inserted"] == 10000);
    CHECK(done["batches"] == 4);
    CHECK(count(client, "users") == 10005);
    const Json skipped = client.call_ok("insert_records", {{"table", "users"}, {"records", users(100, 3)}, {"on_conflict", "ignore"}});
    CHECK(skipped["inserted"] == 0);
    CHECK(skipped["skipped"] == 3);
  }

  TEST_CASE("insert_records: 100,000 rows streamed from the request; a bad last row changes nothing, named as before")
  {
    McpClient client({"--db", demo_database()});
    check_streamed_insert(client);
  }

  TEST_CASE("insert_records: malformed JSON inside a large records array is still a parse error, nothing written")
  {
    McpClient client({"--db", demo_database()});
    const std::string good = Json{{"jsonrpc", "2.0"}, {"id", 41}, {"method", "tools/call"},
                                  {"params", {{"name", "insert_records"},
                                              {"arguments", {{"table", "users"}, {"records", users(100, 10'000)}}}}}}
                                 .dump();
    std::string bad = good;
    const size_t middle = bad.find("\"user 5000\"");
    REQUIRE(middle != std::string::npos);
    bad.replace(middle, 11, "\"user 5000"); // an unterminated string: the rest of the line is in it
    client.process().send_line(bad);
    const auto answer = client.process().read_line();
    REQUIRE(answer);
    const Json response = Json::parse(*answer);
    CHECK(response["id"].is_null());
    CHECK(response["error"]["code"] == -32700);
    std::string nested = good;
    nested.replace(nested.find("\"user 7000\""), 11, std::string(300, '[') + "1" + std::string(300, ']'));
    client.process().send_line(nested);
    const auto too_deep = client.process().read_line();
    REQUIRE(too_deep);
    CHECK(Json::parse(*too_deep)["error"]["code"] == -32700);
    CHECK(Json::parse(*too_deep)["error"]["message"].get<std::string>().find("deeper than 256") != std::string::npos);
    CHECK(count(client, "users") == 5);
  }

  TEST_CASE("injection attempts in names fail cleanly and in values stay data")
  {
    McpClient client({"--db", demo_database()});
    for (const std::string table : {"users; DROP TABLE users; --", "users\" --", "sqlite_master"}) {
      CHECK(client.call_error("list_records", {{"table", table}})["code"] == "invalid_argument");
    }
    CHECK(client.call_error("list_records", {{"table", "users"}, {"columns", {"id, (SELECT 1)"}}})["code"] == "invalid_argument");
    CHECK(client.call_error("list_records", {{"table", "users"}, {"order_by", "id; DROP TABLE users"}})["code"] == "invalid_argument");
    CHECK(client.call_error("list_records", {{"table", "users"}, {"where", {{"1=1 OR id", 1}}}})["code"] == "invalid_argument");
    CHECK(client.call_error("insert_record", {{"table", "users"}, {"record", {{"name) VALUES ('x'); --", "x"}}}})["code"] == "invalid_argument");

    const std::string evil = "x'); DROP TABLE users; --";
    CHECK(client.call_ok("count_records", {{"table", "users"}, {"where", {{"name", evil}}}})["count"] == 0);
    CHECK(client.call_ok("search_records", {{"table", "users"}, {"query", "%' OR '1'='1"}})["rows"].empty());
    const Json stored = client.call_ok("insert_record", {{"table", "users"}, {"record", {{"name", evil}, {"email", "e@e"}}}});
    CHECK(stored["record"]["name"] == evil);
    CHECK(count(client, "users") == 6);
  }

  TEST_CASE("cursor pagination walks 50,000 rows with no row lost or repeated")
  {
    McpClient client({"--db", demo_database(), "--max-rows", "1000"});
    client.call_ok("insert_records", {{"table", "users"}, {"records", users(1000, 49995)}});
    REQUIRE(count(client, "users") == 50000);
    for (const Json& order : {Json("id"), Json({"-age", "name"})}) {
      std::set<int64_t> seen;
      Json arguments = {{"table", "users"}, {"order_by", order}, {"limit", 1000}, {"columns", {"id"}}, {"include_total", false}};
      int pages = 0;
      for (;;) {
        const Json page = client.call_ok("list_records", arguments);
        for (const auto& row : page["rows"]) {
          CHECK_MESSAGE(seen.insert(row["id"].get<int64_t>()).second, "repeated id ", row["id"]);
          CHECK(row.size() == 1);
        }
        ++pages;
        if (!page["has_more"].get<bool>()) {
          break;
        }
        arguments["cursor"] = page["next_cursor"];
      }
      CHECK(seen.size() == 50000);
      CHECK(pages == 50);
    }
    const Json foreign = client.call_error("list_records", {{"table", "posts"}, {"cursor", "bm90IGEgY3Vyc29y"}});
    CHECK(foreign["message"].get<std::string>().find("invalid cursor") == 0);
  }

  TEST_CASE("list_records: total on the first page only, on every page with include_total, never without")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db});
    Json arguments = {{"table", "users"}, {"order_by", "id"}, {"limit", 2}};
    const Json first = client.call_ok("list_records", arguments);
    CHECK(first["total"] == 5);
    arguments["cursor"] = first["next_cursor"];
    const Json second = client.call_ok("list_records", arguments);
    CHECK(second["rows"].size() == 2);
    CHECK_FALSE(second.contains("total"));
    arguments["include_total"] = true;
    CHECK(client.call_ok("list_records", arguments)["total"] == 5);
    const Json uncounted = client.call_ok("list_records", {{"table", "users"}, {"limit", 2}, {"include_total", false}});
    CHECK_FALSE(uncounted.contains("total"));
    const Json searched = client.call_ok("search_records", {{"table", "users"}, {"query", "a"}, {"limit", 1}});
    CHECK(searched["total"].get<int64_t>() >= 2);
    CHECK_FALSE(client.call_ok("search_records", {{"table", "users"}, {"query", "a"}, {"limit", 1},
                                                  {"cursor", searched["next_cursor"]}})
                    .contains("total"));
  }

  TEST_CASE("hostile nesting: a 100,000-deep cursor and `dbmcp call` arguments are refused cleanly")
  {
    const std::string db = demo_database();
    McpClient client({"--db", db});
    const Json arguments = {{"table", "users"}, {"order_by", "id"}, {"limit", 2}, {"include_total", false}};
    const Json page = client.call_ok("list_records", arguments);
    const std::string cursor = page["next_cursor"].get<std::string>();
    const Json state = Json::parse(*base64url_decode(cursor.substr(0, cursor.find('.'))));
    // The genuine fingerprint, a keyset nested 100,000 deep, and a key after it: nlohmann's
    // parser copied the deep keyset recursively when the object grew, and the worker died.
    // Cursors are signed now, so the forgery is refused before its payload is even parsed.
    const std::string forged = R"({"f":)" + state["f"].dump() + R"(,"k":)" + std::string(100'000, '[')
                               + std::string(100'000, ']') + R"(,"o":2})";
    Json with_cursor = arguments;
    with_cursor["cursor"] = base64url_encode(forged);
    const Json error = client.call_error("list_records", with_cursor);
    CHECK(error["message"].get<std::string>().find("invalid cursor") == 0);
    CHECK(client.call_ok("list_records", arguments)["rows"].size() == 2);

    const std::string deep = R"({"table":"users","where":)" + std::string(100'000, '[') + std::string(100'000, ']')
                             + R"(,"limit":1})";
    const auto refused = run_dbmcp({"--db", db, "call", "list_records", "-"}, deep);  // too long for argv
    CHECK(refused.exit_code == 2);
    CHECK(refused.out.empty());
    CHECK(refused.err.find("nested deeper than 256 levels") != std::string::npos);
  }

  TEST_CASE("--read-only: no write tools, every write refused, the file unchanged")
  {
    const std::string db = demo_database();
    {
      McpClient client({"--db", db, "--read-only"});
      const Json list = client.request("tools/list", Json::object());
      for (const auto& tool : list["result"]["tools"]) {
        CHECK_MESSAGE(tool["annotations"]["readOnlyHint"] == true, tool["name"]);
      }
      const Json refused = client.request("tools/call", {{"name", "insert_record"},
                                                         {"arguments", {{"table", "users"}, {"record", {{"name", "x"}}}}}});
      CHECK(refused["error"]["code"] == -32602);
      CHECK(count(client, "users") == 5);
    }
    for (const char* tool : {"insert_record", "insert_records", "update_record", "update_records", "delete_record",
                             "delete_records"}) {
      const auto result = run_dbmcp({"--db", db, "--read-only", "call", tool, R"({"table":"users"})"});
      CHECK(result.exit_code == 2);
      CHECK(result.err.find("not offered under --read-only") != std::string::npos);
    }
    const auto admin = run_dbmcp({"--db", db, "--read-only", "--allow-admin", "call", "run_maintenance", R"({"operation":"vacuum"})"});
    CHECK(admin.exit_code == 2);
    CHECK(run_dbmcp({"--db", db, "call", "count_records", R"({"table":"users"})"}).out.find("\"count\": 5") != std::string::npos);
  }

  TEST_CASE("admin: database_diagnostics always, run_maintenance only with --allow-admin")
  {
    const std::string db = demo_database();
    const auto diagnostics = run_dbmcp({"--db", db, "call", "database_diagnostics"});
    CHECK(diagnostics.exit_code == 0);
    CHECK(Json::parse(diagnostics.out)["engine"] == "sqlite");
    CHECK(run_dbmcp({"--db", db, "call", "run_maintenance", R"({"operation":"analyze"})"}).exit_code == 2);
    const auto vacuum = run_dbmcp({"--db", db, "--allow-admin", "call", "run_maintenance", R"({"operation":"vacuum"})"});
    CHECK_MESSAGE(vacuum.exit_code == 0, vacuum.err);
    // SQLite vacuums the whole database whatever table is named: the answer says so.
    const auto table_vacuum = run_dbmcp(
        {"--db", db, "--allow-admin", "call", "run_maintenance", R"({"operation":"vacuum","table":"users"})"});
    REQUIRE_MESSAGE(table_vacuum.exit_code == 0, table_vacuum.err);
    const Json answer = Json::parse(table_vacuum.out);
    CHECK(answer["statement"] == "VACUUM");
    CHECK(answer["note"] == "VACUUM ran on the whole database: this engine cannot limit it to one table");
    const auto table_analyze = run_dbmcp(
        {"--db", db, "--allow-admin", "call", "run_maintenance", R"({"operation":"analyze","table":"users"})"});
    REQUIRE_MESSAGE(table_analyze.exit_code == 0, table_analyze.err);
    CHECK_FALSE(Json::parse(table_analyze.out).contains("note"));
  }

  TEST_CASE("--exclude-tables hides a table in any case, and nothing names it: metadata, hints, FK errors")
  {
    const std::string path = temp_dir() + "/hidden.db";
    const auto created = run({"/usr/bin/env", "sqlite3", path, hidden_tables_sql("Secrets")});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    McpClient client({"--db", path, "--exclude-tables", "secrets,SECRET_LOG"});
    check_hidden_tables_do_not_leak(client);
  }

  TEST_CASE("--exclude-tables is a shorthand of the access policy: foreign-key and trigger errors do not name the "
            "excluded tables")
  {
    const std::string path = temp_dir() + "/excluded.db";
    const auto created = run({"/usr/bin/env", "sqlite3", path, excluded_tables_sql(k_sqlite_vault_trigger)});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    McpClient client({"--db", path, "--exclude-tables", "vault_keys,vault_log"});
    check_excluded_tables_not_named_by_errors(client);

    const auto config = run_dbmcp({"--db", path, "--exclude-tables", "vault_keys", "--read-only", "config", "--json"});
    REQUIRE_MESSAGE(config.exit_code == 0, config.err);
    const Json policy = Json::parse(config.out)["effective"]["policy"];
    CHECK(policy["shorthand"] == "command line (--exclude-tables, --read-only)");
    CHECK(policy["tables"]["vault_keys"]["access"] == "hidden");
    CHECK(policy["read_only"] == true);
    CHECK(Json::parse(run_dbmcp({"--db", path, "config", "--json"}).out)["effective"]["policy"].is_null());
  }

  TEST_CASE("cursors are signed per process: forged, tampered or old ones are invalid_argument, never echoed")
  {
    const std::string path = demo_database();
    McpClient client({"--db", path});
    const Json arguments = {{"table", "users"}, {"limit", 2}, {"order_by", "id"}};
    const Json first = client.call_ok("list_records", arguments);
    const std::string cursor = first["next_cursor"].get<std::string>();
    Json next = arguments;
    next["cursor"] = cursor;
    const Json second = client.call_ok("list_records", next);
    CHECK(second["offset"] == 2);
    CHECK(second["rows"][0]["id"] == 3);

    std::string tampered = cursor;
    tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
    // Unsigned cursors as the old format wrote them: a huge and a negative offset.
    const std::string huge = base64url_encode(R"({"f":"x","o":9223372036854775807})");
    const std::string negative = base64url_encode(R"({"f":"x","o":-5})");
    for (const std::string& bad : {tampered, cursor.substr(0, cursor.size() / 2), huge, negative}) {
      CAPTURE(bad);
      next["cursor"] = bad;
      const Json error = client.call_error("list_records", next);
      CHECK(error["code"] == "invalid_argument");
      CHECK(error["message"].get<std::string>().find("invalid cursor") == 0);
      CHECK(error["message"].get<std::string>().find("-5") == std::string::npos);
    }
    // A new process has a new key: the old cursor has expired.
    McpClient restarted({"--db", path});
    next["cursor"] = cursor;
    const Json expired = restarted.call_error("list_records", next);
    CHECK(expired["code"] == "invalid_argument");
    CHECK(expired["message"].get<std::string>().find("expired") != std::string::npos);
    // A client's own offset is bounded too, so offset + limit cannot overflow.
    const Json offset = client.call_error("list_records", {{"table", "users"}, {"offset", 9223372036854775807LL}});
    CHECK(offset["code"] == "invalid_argument");
  }

  TEST_CASE("a NUL inside a string is bound whole: stored intact, and a filter with it never matches its prefix")
  {
    McpClient client({"--db", demo_database()});
    const std::string title = std::string("The first bug") + '\0' + " and more";
    client.call_ok("delete_records", {{"table", "posts"}, {"where", {{"title", title}}}});
    CHECK(client.call_ok("count_records", {{"table", "posts"}, {"where", {{"title", "The first bug"}}}})["count"] == 1);
    const Json stored =
        client.call_ok("insert_record", {{"table", "posts"}, {"record", {{"title", title}, {"content", "c"}, {"author_id", 1}}}});
    CHECK(stored["record"]["title"] == title);
    const Json page = client.call_ok("list_records", {{"table", "posts"}, {"where", {{"title", title}}}});
    REQUIRE(page["rows"].size() == 1);
    CHECK(page["rows"][0]["title"] == title);
    CHECK(client.call_ok("count_records", {{"table", "posts"}, {"where", {{"title", "The first bug"}}}})["count"] == 1);
  }

  TEST_CASE("paging over text keys and order columns holding invalid UTF-8 loses and repeats no row")
  {
    // Bytes SQLite stores as TEXT without checking them: a lone 0xFF, a cut two-byte sequence,
    // an overlong '/', next to valid text that sorts around them.
    const std::string db = temp_dir() + "/bytes.db";
    const auto created = run({"/usr/bin/env", "sqlite3", db,
                              "CREATE TABLE k (code TEXT PRIMARY KEY, label TEXT, n INTEGER);"
                              "INSERT INTO k VALUES ('a', 'x', 1), (CAST(X'41FF' AS TEXT), CAST(X'FF' AS TEXT), 2),"
                              "(CAST(X'FF' AS TEXT), CAST(X'FF' AS TEXT), 3), (CAST(X'C3' AS TEXT), 'x', 4),"
                              "(CAST(X'C3A9' AS TEXT), CAST(X'C3' AS TEXT), 5), (CAST(X'C0AF' AS TEXT), 'y', 6),"
                              "('b', CAST(X'FF' AS TEXT), 7);"});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    McpClient client({"--db", db});
    for (const Json& order : {Json("code"), Json({"label", "-n"}), Json({"-label"})}) {
      for (int limit : {1, 2, 3}) {
        CAPTURE(order);
        CAPTURE(limit);
        std::set<int64_t> seen;
        Json arguments = {{"table", "k"}, {"order_by", order}, {"limit", limit}, {"include_total", false}};
        for (int pages = 0; pages < 20; ++pages) {
          // Every answer is one valid JSON line (the client parses it); the bytes show as U+FFFD.
          const Json page = client.call_ok("list_records", arguments);
          for (const auto& row : page["rows"]) {
            CHECK_MESSAGE(seen.insert(row["n"].get<int64_t>()).second, "repeated row ", row["n"]);
          }
          if (!page["has_more"].get<bool>()) {
            break;
          }
          arguments["cursor"] = page["next_cursor"];
        }
        CHECK(seen.size() == 7);
      }
    }
    const Json row = client.call_ok("list_records", {{"table", "k"}, {"where", {{"n", 2}}}})["rows"][0];
    CHECK(row["code"] == "A\xEF\xBF\xBD");
    CHECK(row["label"] == "\xEF\xBF\xBD");
  }
}
