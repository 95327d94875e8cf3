// The database tools through the built binary on PostgreSQL (scripts/with-postgres.sh), as an
// MCP client and a shell script use them: every tool, error codes, injection attempts, the
// all-or-nothing batch, recovery from a server restart, statement timeout and cancellation.
#include "support/catalog_storm.hpp"
#include "support/hidden_tables.hpp"
#include "support/demo_users.hpp"
#include "support/mcp_client.hpp"
#include "support/pg_schema.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>
#include <unistd.h>

using namespace dbmcp;
using namespace dbmcp::test;
using namespace std::chrono_literals;

namespace {

void restart_server()
{
  const auto result = run({postgres_pg_ctl(), "-D", postgres_data_dir(), "-m", "fast", "-w", "-t", "60", "restart"});
  REQUIRE_MESSAGE(result.exit_code == 0, "pg_ctl restart failed: " << result.err);
}

template<typename Condition>
bool eventually(Condition&& condition, std::chrono::milliseconds limit = 10s)
{
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

} // namespace

TEST_SUITE("e2e: tools on PostgreSQL")
{
  TEST_CASE("dbmcp call and init on a postgresql:// URL")
  {
    PgSchema db;
    const std::string url = db.demo();
    const auto ok = run_dbmcp({"--db", url, "call", "list_records", R"({"table":"users","limit":2,"order_by":"id"})"});
    REQUIRE_MESSAGE(ok.exit_code == 0, ok.err);
    const Json page = Json::parse(ok.out);
    CHECK(page["rows"].size() == 2);
    CHECK(page["rows"][0]["email"] == "ada@example.com");
    CHECK(page["rows"][0]["id"] == 1);
    CHECK(page["total"] == 5);
    const auto missing = run_dbmcp({"--db", url, "call", "get_record", R"({"table":"users","id":42})"});
    CHECK(missing.exit_code == 1);
    CHECK(Json::parse(missing.out)["error"]["code"] == "not_found");
    const auto again = run_dbmcp({"--db", url, "init", "--demo"});
    CHECK(again.exit_code == 1);

    const auto unreachable = run_dbmcp({"--db", "postgresql://postgres@127.0.0.1:1/none", "--pool-timeout", "1", "call",
                                        "list_tables"});
    CHECK(unreachable.exit_code != 0);
    CHECK(unreachable.err.find("cannot connect to PostgreSQL") != std::string::npos);
  }

  TEST_CASE("introspection: list_tables, describe_table from the catalogs")
  {
    PgSchema db;
    McpClient client({"--db", db.demo()});
    const Json tables = client.call_ok("list_tables", Json::object())["tables"];
    std::set<std::string> names;
    for (const auto& table : tables) {
      names.insert(table["name"].get<std::string>());
    }
    CHECK(names == std::set<std::string>{"posts", "products", "tasks", "users"});

    const Json users = client.call_ok("describe_table", {{"table", "users"}});
    CHECK(users["primary_key"] == Json::array({"id"}));
    CHECK(users["columns"][0]["auto_increment"] == true);
    CHECK(users["columns"][1]["type"] == "character varying(100)");
    CHECK(users["referenced_by"][0]["table"] == "posts");
    CHECK(users["checks"][0] == "age >= 0 AND age <= 150");
    const Json posts = client.call_ok("describe_table", {{"table", "posts"}});
    CHECK(posts["foreign_keys"][0]["ref_table"] == "users");
    CHECK(posts["fulltext"] == true);
    CHECK(client.call_error("describe_table", {{"table", "usres"}})["message"]
          == "unknown table 'usres'; did you mean 'users'?");
  }

  TEST_CASE("reads: get_record with include, filters, ILIKE search, fulltext rank, count, aggregate")
  {
    PgSchema db;
    McpClient client({"--db", db.demo(), "--max-rows", "3"});
    const Json ada = client.call_ok("get_record", {{"table", "users"}, {"id", 1}, {"include", {"posts"}}});
    CHECK(ada["record"]["name"] == "Ada Lovelace");
    CHECK(ada["related"]["posts"]["rows"].size() == 1);
    CHECK(ada["related"]["posts"]["total"] == 1);
    CHECK(ada["related"]["posts"]["has_more"] == false);

    const Json adults = client.call_ok(
        "list_records", {{"table", "users"}, {"where", {{"age", {{"gte", 40}, {"lt", 80}}}}}, {"order_by", "-age"},
                         {"columns", {"name", "age"}}});
    REQUIRE(adults["rows"].size() == 2);
    CHECK(adults["rows"][0] == Json{{"name", "Edsger Dijkstra"}, {"age", 72}});
    CHECK(client.call_ok("count_records", {{"table", "users"}, {"where", {{"age", {{"is_null", true}}}}}})["count"] == 1);
    CHECK(client.call_ok("count_records", {{"table", "users"}, {"where", {{"id", {{"not_in", {1, 2}}}}}}})["count"] == 3);
    CHECK(client.call_ok("count_records", {{"table", "users"}, {"where", {{"email", {{"ilike", "%@EXAMPLE.com"}}}}}})
              ["count"]
          == 5);

    const Json found = client.call_ok("search_records", {{"table", "posts"}, {"query", "MACHINES"}});
    REQUIRE(found["rows"].size() == 1);
    CHECK(found["rows"][0]["author_id"] == 2);
    const Json ranked =
        client.call_ok("search_records", {{"table", "posts"}, {"query", "statement"}, {"mode", "fulltext"}});
    REQUIRE(ranked["rows"].size() >= 1);
    CHECK(ranked["rows"][0]["title"] == "Go To Statement Considered Harmful");
    CHECK(ranked["rows"][0]["_rank"].is_number());
    CHECK(ranked["search"]["config"] == "english"); // the GIN index's configuration

    const Json groups = client.call_ok(
        "aggregate_records", {{"table", "products"}, {"group_by", {"category"}},
                              {"aggregates", {{{"fn", "count"}}, {{"fn", "max"}, {"column", "price"}, {"as", "top"}}}},
                              {"order_by", {"-count"}}});
    REQUIRE(groups["rows"].size() == 3);
    CHECK(groups["rows"][0]["count"] == 2);
    const Json products = client.call_ok("get_record", {{"table", "products"}, {"id", 1}});
    CHECK(products["record"]["price"] == 89.9); // NUMERIC(10,2) as a JSON number
    CHECK(products["record"]["in_stock"] == true);
  }

  TEST_CASE("fulltext: the database's default configuration or 'language', said in the answer; BLOBs marked")
  {
    PgSchema db;
    db.sql("CREATE TABLE notes (id serial PRIMARY KEY, body text, data bytea);"
           "INSERT INTO notes (body, data) VALUES ('The runner was running', '\\x0001ff'), ('A quiet walk', NULL)");
    McpClient client({"--db", db.url()});
    const Json english = client.call_ok(
        "search_records", {{"table", "notes"}, {"query", "run"}, {"mode", "fulltext"}, {"language", "english"}});
    REQUIRE(english["rows"].size() == 1);
    CHECK(english["search"]["config"] == "english");
    CHECK(english["rows"][0]["data"] == Json{{"$base64", "AAH/"}, {"bytes", 3}});
    const Json simple = client.call_ok(
        "search_records", {{"table", "notes"}, {"query", "run"}, {"mode", "fulltext"}, {"language", "simple"}});
    CHECK(simple["rows"].empty());
    CHECK(simple["search"]["config"] == "simple");
    std::string configured = db.sql("SELECT current_setting('default_text_search_config')::regconfig::text");
    configured.erase(configured.find_last_not_of("\n") + 1);
    const Json by_default = client.call_ok("search_records", {{"table", "notes"}, {"query", "run"}, {"mode", "fulltext"}});
    CHECK(by_default["search"]["config"] == configured);
    const Json unknown = client.call_error(
        "search_records", {{"table", "notes"}, {"query", "run"}, {"mode", "fulltext"}, {"language", "klingon'; --"}});
    CHECK(unknown["code"] == "invalid_argument");
    CHECK(unknown["message"].get<std::string>().find("english") != std::string::npos);

    const Json stored = client.call_ok("insert_record", {{"table", "notes"},
                                                         {"record", {{"body", "b"}, {"data", {{"$base64", "aGk="}}}}}});
    CHECK(stored["record"]["data"] == Json{{"$base64", "aGk="}, {"bytes", 2}});
  }

  TEST_CASE("writes: insert with RETURNING and related rows, update, delete")
  {
    PgSchema db;
    McpClient client({"--db", db.demo()});
    const Json created = client.call_ok(
        "insert_record",
        {{"table", "users"},
         {"record", {{"name", "Katherine Johnson"}, {"email", "kj@example.com"}, {"age", 101}}},
         {"related", {{"posts", {{{"title", "Orbits"}, {"content", "Trajectory analysis"}}}}}}});
    CHECK(created["record"]["id"] == 6);
    CHECK(created["record"]["created_at"].is_string());
    CHECK(created["related"]["posts"][0]["author_id"] == 6);
    CHECK(client.call_ok("update_record", {{"table", "users"}, {"id", 6}, {"set", {{"age", 102}}}})["record"]["age"]
          == 102);
    CHECK(client.call_ok("update_records", {{"table", "tasks"}, {"where", {{"status", "pending"}}},
                                             {"set", {{"status", "done"}}}})["updated"]
          == 2);
    CHECK(client.call_ok("delete_record", {{"table", "users"}, {"id", 6}})["deleted"]["email"] == "kj@example.com");
    CHECK(count(client, "posts") == 6); // ON DELETE CASCADE
    CHECK(client.call_ok("delete_records", {{"table", "products"}, {"where", {{"category", "furniture"}}}})["deleted"]
          == 2);
  }

  TEST_CASE("json and jsonb columns take objects and arrays on insert and update")
  {
    PgSchema db;
    db.sql("CREATE TABLE docs (id SERIAL PRIMARY KEY, body jsonb, raw json, note TEXT)");
    McpClient client({"--db", db.url()});
    // Keys in jsonb's own order (shorter first), since Json compares objects in order.
    const Json body = {{"n", 1}, {"tags", {"a", "b"}}, {"nested", {{"ok", true}}}};
    const Json list = Json::array({1, {{"x", nullptr}}});
    const Json created =
        client.call_ok("insert_record", {{"table", "docs"}, {"record", {{"body", body}, {"raw", list}}}});
    CHECK(created["record"]["body"] == body);
    CHECK(created["record"]["raw"] == list);
    client.call_ok("update_record", {{"table", "docs"}, {"id", created["record"]["id"]}, {"set", {{"body", list}}}});
    CHECK(client.call_ok("get_record", {{"table", "docs"}, {"id", created["record"]["id"]}})["record"]["body"] == list);
    client.call_ok("insert_records", {{"table", "docs"}, {"records", {{{"body", body}}, {{"raw", list}}}}});
    CHECK(db.sql("SELECT count(*) FROM docs WHERE body = '{\"n\": 1, \"tags\": [\"a\", \"b\"], "
                 "\"nested\": {\"ok\": true}}'::jsonb").find('1') != std::string::npos);
    CHECK(client.call_error("insert_record", {{"table", "docs"}, {"record", {{"note", body}}}})["message"]
              .get<std::string>()
              .find("takes a single value") != std::string::npos);
  }

  TEST_CASE("errors: SQLSTATEs become codes and messages a person can act on")
  {
    PgSchema db;
    McpClient client({"--db", db.demo()});
    Json error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"email", "ada@example.com"}}}});
    CHECK(error["code"] == "unique_violation");
    CHECK(error["message"] == "email 'ada@example.com' already exists in users (unique)");
    error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"email", "x@x"}, {"age", 200}}}});
    CHECK(error["code"] == "check_violation");
    CHECK(error["message"] == "age violates CHECK (age >= 0 AND age <= 150)");
    error = client.call_error("insert_record",
                              {{"table", "posts"}, {"record", {{"title", "t"}, {"content", "c"}, {"author_id", 99}}}});
    CHECK(error["code"] == "foreign_key_violation");
    CHECK(error["message"] == "posts.author_id 99 has no matching users.id");
    error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"email", "n@n"}}}});
    CHECK(error["code"] == "not_null_violation");
    CHECK(error["message"] == "users.name must not be null");
    error = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"email", "a@a"}, {"age", "old"}}}});
    CHECK(error["code"] == "invalid_argument");
    CHECK(error["message"] == "users.age expects an integer (integer), got \"old\"");
    CHECK(count(client, "users") == 5);
  }

  TEST_CASE("insert_records: COPY in batches, all or nothing, the failing row named")
  {
    PgSchema db;
    McpClient client({"--db", db.demo()});
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

    const Json done =
        client.call_ok("insert_records", {{"table", "users"}, {"records", users(100, 10000)}, {"batch_size", 2500}});
    CHECK(done["inserted"] == 10000);
    CHECK(done["batches"] == 4);
    CHECK(count(client, "users") == 10005);
    const Json skipped =
        client.call_ok("insert_records", {{"table", "users"}, {"records", users(100, 3)}, {"on_conflict", "ignore"}});
    CHECK(skipped["inserted"] == 0);
    CHECK(skipped["skipped"] == 3);
  }

  TEST_CASE("insert_records: 100,000 rows streamed from the request; a bad last row changes nothing, named as before")
  {
    PgSchema db;
    McpClient client({"--db", db.demo()});
    check_streamed_insert(client);
  }

  TEST_CASE("injection attempts in names fail cleanly and in values stay data")
  {
    PgSchema db;
    McpClient client({"--db", db.demo()});
    for (const std::string table : {"users; DROP TABLE users; --", "users\" --", "pg_class", "information_schema.tables"}) {
      CHECK(client.call_error("list_records", {{"table", table}})["code"] == "invalid_argument");
    }
    CHECK(client.call_error("list_records", {{"table", "users"}, {"columns", {"id, (SELECT 1)"}}})["code"]
          == "invalid_argument");
    CHECK(client.call_error("list_records", {{"table", "users"}, {"where", {{"1=1 OR id", 1}}}})["code"]
          == "invalid_argument");
    const std::string evil = "x'); DROP TABLE users; --";
    CHECK(client.call_ok("count_records", {{"table", "users"}, {"where", {{"name", evil}}}})["count"] == 0);
    CHECK(client.call_ok("search_records", {{"table", "users"}, {"query", "%' OR '1'='1"}})["rows"].empty());
    CHECK(client.call_ok("search_records", {{"table", "posts"}, {"query", "'); DROP TABLE posts; --"}, {"mode", "fulltext"}})
              ["rows"]
              .empty());
    const Json stored = client.call_ok("insert_record", {{"table", "users"}, {"record", {{"name", evil}, {"email", "e@e"}}}});
    CHECK(stored["record"]["name"] == evil);
    CHECK(count(client, "users") == 6);
    CHECK(count(client, "posts") == 6);
  }

  TEST_CASE("a server restart between two calls costs no call; the process keeps its pool")
  {
    PgSchema db;
    McpClient client({"--db", db.demo(), "--pool-min", "2"});
    CHECK(count(client, "users") == 5);
    restart_server();
    CHECK(count(client, "users") == 5);
    CHECK(client.call_ok("insert_record", {{"table", "tasks"}, {"record", {{"title", "after restart"}}}})["record"]["id"]
          == 5);
    const Json diagnostics = client.call_ok("database_diagnostics", Json::object());
    CHECK(diagnostics["pool"]["replaced"] >= 1);
  }

  TEST_CASE("3,000 pipelined catalog refreshes beside catalog walks: every one answered, no crash")
  {
    PgSchema schema;
    schema.sql(many_tables_sql(300));
    Process process({binary(), "--db", schema.url(), "--workers", "4"});
    refresh_storm(process, 3000);
    process.close_stdin();
    CHECK(process.wait() == 0);
  }

  TEST_CASE("--statement-timeout: a slow statement fails with `timeout`, the server keeps serving")
  {
    PgSchema db;
    const std::string url = db.demo();
    db.sql("CREATE VIEW slow AS SELECT pg_sleep(5)::text AS slept");
    McpClient client({"--db", url, "--statement-timeout", "1"});
    const auto started = std::chrono::steady_clock::now();
    const Json error = client.call_error("list_records", {{"table", "slow"}, {"include_total", false}});
    CHECK(error["code"] == "timeout");
    CHECK(std::chrono::steady_clock::now() - started < 4s);
    CHECK(count(client, "users") == 5);
  }

  TEST_CASE("notifications/cancelled stops the running statement and sends nothing for it")
  {
    PgSchema db;
    const std::string url = db.demo();
    db.sql("CREATE VIEW slow AS SELECT pg_sleep(60)::text AS slept");
    McpClient client({"--db", url});
    Process& process = client.process();
    process.send({{"jsonrpc", "2.0"}, {"id", "slow-1"}, {"method", "tools/call"},
                  {"params", {{"name", "list_records"}, {"arguments", {{"table", "slow"}, {"include_total", false}}}}}});
    const std::string running = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%slow%' AND state = 'active' "
                                "AND pid <> pg_backend_pid()";
    REQUIRE(eventually([&] { return psql(postgres_url(), running) != "0\n"; }));
    process.send({{"jsonrpc", "2.0"}, {"method", "notifications/cancelled"},
                  {"params", {{"requestId", "slow-1"}, {"reason", "test"}}}});
    CHECK(eventually([&] { return psql(postgres_url(), running) == "0\n"; }, 5s));
    std::vector<Json> others;
    const Json pong = client.request("ping", Json::object());
    CHECK(pong.contains("result"));
    CHECK(count(client, "users") == 5);
    process.close_stdin();
    for (const auto& line : process.read_remaining_lines()) {
      CHECK_MESSAGE(line.find("slow-1") == std::string::npos, line);
    }
  }

  TEST_CASE("--read-only: writes refused, the session is READ ONLY at the server")
  {
    PgSchema db;
    const std::string url = db.demo();
    McpClient client({"--db", url, "--read-only"});
    const Json refused = client.request(
        "tools/call", {{"name", "insert_record"}, {"arguments", {{"table", "users"}, {"record", {{"name", "x"}}}}}});
    CHECK(refused.contains("error"));
    CHECK(count(client, "users") == 5);
    const Json diagnostics = client.call_ok("database_diagnostics", Json::object());
    CHECK(diagnostics["read_only"] == true);
  }

  TEST_CASE("admin: diagnostics redact the password; maintenance with --allow-admin")
  {
    PgSchema db;
    std::string url = db.demo();
    psql(postgres_url(), "DO $$ BEGIN CREATE ROLE dbmcp_e2e LOGIN SUPERUSER PASSWORD 'hunter2'; "
                       "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
    url.replace(url.find("postgres@"), 9, "dbmcp_e2e:hunter2@");
    const auto diagnostics = run_dbmcp({"--db", url, "call", "database_diagnostics"});
    REQUIRE_MESSAGE(diagnostics.exit_code == 0, diagnostics.err);
    CHECK(diagnostics.out.find("hunter2") == std::string::npos);
    CHECK(diagnostics.err.find("hunter2") == std::string::npos);
    const Json info = Json::parse(diagnostics.out);
    CHECK(info["engine"] == "postgresql");
    CHECK(info["connection"].get<std::string>().find("dbmcp_e2e:****@") != std::string::npos);
    CHECK(info["tables"].size() == 4);
    CHECK(info["pool"].contains("in_use"));
    CHECK(run_dbmcp({"--db", url, "call", "run_maintenance", R"({"operation":"analyze"})"}).exit_code == 2);
    for (const char* operation : {"vacuum", "analyze", "reindex"}) {
      const auto done = run_dbmcp({"--db", url, "--allow-admin", "call", "run_maintenance",
                                   std::string(R"({"operation":")") + operation + R"(","table":"users"})"});
      CHECK_MESSAGE(done.exit_code == 0, operation, ": ", done.err);
    }
    const auto whole = run_dbmcp({"--db", url, "--allow-admin", "call", "run_maintenance", R"({"operation":"vacuum"})"});
    CHECK_MESSAGE(whole.exit_code == 0, whole.err);
  }

  TEST_CASE("--exclude-tables hides a quoted mixed-case table too, and nothing names it: metadata, hints, FK errors")
  {
    PgSchema db;
    db.sql(hidden_tables_sql("\"Secrets\""));
    McpClient client({"--db", db.url(), "--exclude-tables", "secrets,SECRET_LOG"});
    check_hidden_tables_do_not_leak(client);
  }

  TEST_CASE("--exclude-tables is a shorthand of the access policy: foreign-key and trigger errors do not name the "
            "excluded tables")
  {
    PgSchema db;
    db.sql(excluded_tables_sql(k_postgres_vault_trigger));
    McpClient client({"--db", db.url(), "--exclude-tables", "vault_keys,vault_log"});
    check_excluded_tables_not_named_by_errors(client);
  }

  TEST_CASE("a NUL in a string value is refused, naming the column, before anything runs (it used to cut the string)")
  {
    PgSchema db;
    McpClient client({"--db", db.demo()});
    const std::string title = std::string("The first bug") + '\0' + " and more";
    const Json calls[] = {
        Json{{"delete_records", {{"table", "posts"}, {"where", {{"title", title}}}}}},
        Json{{"delete_records", {{"table", "posts"}, {"where", {{"title", {{"in", {"x", title}}}}}}}}},
        Json{{"list_records", {{"table", "posts"}, {"where", {{"title", title}}}}}},
        Json{{"count_records", {{"table", "posts"}, {"where", {{"title", title}}}}}},
        Json{{"search_records", {{"table", "posts"}, {"query", title}}}},
        Json{{"update_records", {{"table", "posts"}, {"where", {{"title", title}}}, {"set", {{"content", "gone"}}}}}},
        Json{{"update_record", {{"table", "posts"}, {"id", 1}, {"set", {{"title", title}}}}}},
        Json{{"insert_record", {{"table", "posts"}, {"record", {{"title", title}, {"content", "c"}, {"author_id", 1}}}}}},
        Json{{"insert_records",
              {{"table", "posts"},
               {"records", Json::array({{{"title", "ok"}, {"content", "c"}, {"author_id", 1}},
                                        {{"title", "t"}, {"content", title}, {"author_id", 1}}})}}}},
    };
    const int64_t posts = client.call_ok("count_records", {{"table", "posts"}})["count"].get<int64_t>();
    for (const auto& call : calls) {
      CAPTURE(call.dump());
      const Json error = client.call_error(call.begin().key(), call.begin().value());
      CHECK(error["code"] == "invalid_argument");
      CHECK(error["message"].get<std::string>().find("NUL") != std::string::npos);
      CHECK((error["message"].get<std::string>().find("title") == 0 ||
             error["message"].get<std::string>().find("content") == 0 ||
             error["message"].get<std::string>().find("search query") == 0));
    }
    CHECK(client.call_ok("count_records", {{"table", "posts"}})["count"] == posts);
    CHECK(client.call_ok("count_records", {{"table", "posts"}, {"where", {{"title", "The first bug"}}}})["count"] == 1);
    CHECK(db.sql("SELECT count(*) FROM posts WHERE content = 'gone' OR title = 'ok'") == "0\n");
  }
}

namespace {

// `url` (postgresql://user@host:port/db) with `user` and `password` instead of its user, and
// `database` instead of its database when given.
std::string with_login(const std::string& url, const std::string& user, const std::string& password,
                       const std::string& database = "")
{
  const auto at = url.find('@');
  const auto slash = url.find('/', at);
  const std::string host = url.substr(at + 1, slash - at - 1);
  const std::string name = database.empty() ? url.substr(slash + 1) : database;
  return "postgresql://" + user + (password.empty() ? "" : ":" + password) + "@" + host + "/" + name;
}

// The tool error of list_tables over a server that cannot open `url`.
Json first_call_error(const std::string& url)
{
  McpClient client({"--db", url});
  CHECK(client.request("tools/list", Json::object()).contains("result"));
  const Json error = client.call_error("list_tables", Json::object());
  CHECK(error["code"] == "unavailable");
  return error;
}

} // namespace

TEST_SUITE("e2e: PostgreSQL connection failures are tool errors")
{
  TEST_CASE("a database that does not exist, a role that does not exist: the server starts and says which")
  {
    const std::string url = postgres_url();
    const std::string missing_db = first_call_error(with_login(url, "postgres", "", "no_such_db_e2e"))["message"];
    CHECK(missing_db.find("database \"no_such_db_e2e\" does not exist") != std::string::npos);
    CHECK(missing_db.find("127.0.0.1") != std::string::npos);
    const std::string missing_role = first_call_error(with_login(url, "no_such_role_e2e", ""))["message"];
    CHECK(missing_role.find("no_such_role_e2e") != std::string::npos);
  }

  TEST_CASE("a wrong password: 'password authentication failed', the password never shown; the right one works")
  {
    // The throw-away cluster trusts every login; one line at the top of pg_hba.conf makes this
    // role (and only it) authenticate with a password.
    const std::string pgdata = postgres_data_dir();
    const std::string role = "e2e_pw_" + std::to_string(::getpid());
    const std::string hba_path = std::string(pgdata) + "/pg_hba.conf";
    std::string hba;
    {
      std::ifstream in(hba_path);
      REQUIRE(in);
      hba.assign(std::istreambuf_iterator<char>(in), {});
    }
    std::ofstream(hba_path) << "host all " << role << " 127.0.0.1/32 scram-sha-256\n" << hba;
    psql(postgres_url(), "DROP ROLE IF EXISTS " + role + "; CREATE ROLE " + role +
                           " LOGIN PASSWORD 'Right-pw-42'; SELECT pg_reload_conf()");

    const std::string wrong = first_call_error(with_login(postgres_url(), role, "Wrong-pw-17"))["message"];
    CHECK(wrong.find("password authentication failed for user \"" + role + "\"") != std::string::npos);
    CHECK(wrong.find("Wrong-pw-17") == std::string::npos);
    CHECK(wrong.find("****") != std::string::npos);
    const auto health = run_dbmcp({"--db", with_login(postgres_url(), role, "Right-pw-42"), "health"});
    CHECK_MESSAGE(health.exit_code == 0, health.out << health.err);
  }
}
