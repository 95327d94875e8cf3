// The query-result cache (--cache, issue 11) through the built binary on SQLite.
#include "support/demo_database.hpp"
#include "support/result_cache_scenarios.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <thread>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

Json modern_call(int id, const std::string& tool, const Json& arguments)
{
  return {{"jsonrpc", "2.0"},
          {"id", id},
          {"method", "tools/call"},
          {"params",
           {{"name", tool},
            {"arguments", arguments},
            {"_meta",
             {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
              {"io.modelcontextprotocol/clientCapabilities", Json::object()}}}}}};
}

} // namespace

TEST_SUITE("e2e: result cache on SQLite")
{
  TEST_CASE("result cache: cached reads, invalidation by writes, bypass, errors, related tables, diagnostics")
  {
    check_result_cache(demo_database());
  }

  TEST_CASE("result cache: without --cache nothing is cached and the tools take no cache argument")
  {
    McpClient client({"--db", demo_database("plain.db")});
    client.call_ok("count_records", {{"table", "users"}});
    CHECK_FALSE(cached(client.call_ok("count_records", {{"table", "users"}})));
    CHECK(client.call_error("count_records", {{"table", "users"}, {"cache", false}})["code"] == "invalid_argument");
    CHECK_FALSE(client.call_ok("database_diagnostics", Json::object()).contains("result_cache"));
  }

  TEST_CASE("result cache: a 2026-07-28 tools/call result is not a cacheable result (no ttlMs, no cacheScope)")
  {
    // SEP-2549 puts ttlMs/cacheScope on list and resources/read results only; a cached answer says
    // so in its structured content instead.
    Process server({binary(), "--db", demo_database("modern.db"), "--cache", "memory"});
    for (int id = 1; id <= 2; ++id) {
      server.send(modern_call(id, "count_records", {{"table", "users"}}));
      const Json result = server.read_response(id)["result"];
      CHECK(result["resultType"] == "complete");
      CHECK_FALSE(result.contains("ttlMs"));
      CHECK_FALSE(result.contains("cacheScope"));
      CHECK(result["structuredContent"].value("cached", false) == (id == 2));
    }
    server.send({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "tools/list"},
                 {"params", {{"_meta", {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"},
                                        {"io.modelcontextprotocol/clientCapabilities", Json::object()}}}}}});
    const Json list = server.read_response(3)["result"];
    CHECK(list["cacheScope"] == "private");
    CHECK(list["ttlMs"].get<int64_t>() > 0);
  }

  TEST_CASE("result cache: flags, environment and refusals")
  {
    const std::string db = demo_database("flags.db");
    SUBCASE("a rediss:// URL with a malformed TLS parameter stops start-up saying so")
    {
      const auto result = run_dbmcp({"--db", db, "--cache", "rediss://127.0.0.1:6379/0?insecure=maybe", "tools"});
      CHECK(result.exit_code == 2);
      CHECK(result.err.find("insecure") != std::string::npos);
    }
    SUBCASE("an unknown cache is refused")
    {
      const auto result = run_dbmcp({"--db", db, "--cache", "disk", "tools"});
      CHECK(result.exit_code == 2);
      CHECK(result.err.find("--cache takes 'memory'") != std::string::npos);
    }
    SUBCASE("DB_CACHE and DB_CACHE_TTL from the environment, shown by dbmcp config")
    {
      const auto result = run_dbmcp({"--db", db, "config"}, "", {{"DB_CACHE", "memory"}, {"DB_CACHE_TTL", "30"}});
      CHECK(result.exit_code == 0);
      CHECK(result.out.find("DB_CACHE") != std::string::npos);
      CHECK(result.out.find("30") != std::string::npos);
    }
    SUBCASE("a TTL out of range stops start-up")
    {
      CHECK(run_dbmcp({"--db", db, "tools"}, "", {{"DB_CACHE", "memory"}, {"DB_CACHE_TTL", "0"}}).exit_code == 2);
      CHECK(run_dbmcp({"--db", db, "--cache", "memory", "--cache-ttl", "0", "tools"}).exit_code == 2);
    }
  }

  TEST_CASE("result cache: two processes do not share a memory cache")
  {
    const std::string db = demo_database("two.db");
    McpClient first({"--db", db, "--cache", "memory"});
    McpClient second({"--db", db, "--cache", "memory"});
    first.call_ok("count_records", {{"table", "tasks"}});
    CHECK(cached(first.call_ok("count_records", {{"table", "tasks"}})));
    CHECK_FALSE(cached(second.call_ok("count_records", {{"table", "tasks"}})));
  }

  TEST_CASE("result cache: a dry run invalidates nothing; the write itself does")
  {
    McpClient client({"--db", demo_database("dry.db"), "--cache", "memory"});
    const Json count{{"table", "tasks"}};
    const Json pending{{"table", "tasks"}, {"where", {{"status", "pending"}}}, {"dry_run", true}};
    client.call_ok("count_records", count);
    CHECK(client.call_ok("delete_records", pending)["dry_run"] == true);
    CHECK(cached(client.call_ok("count_records", count)));
    Json real = pending;
    real.erase("dry_run");
    client.call_ok("delete_records", real);
    CHECK_FALSE(cached(client.call_ok("count_records", count)));
  }

  TEST_CASE("result cache: a write to a view's base table is never served stale through the view")
  {
    // The catalog does not say which tables a view reads: every write invalidates every view.
    const std::string db = demo_database("view.db");
    const auto created = run({"/usr/bin/env", "sqlite3", db, "CREATE VIEW named_users AS SELECT id, name FROM users"});
    REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    McpClient client({"--db", db, "--cache", "memory"});
    const Json count{{"table", "named_users"}};
    const int64_t before = client.call_ok("count_records", count)["count"].get<int64_t>();
    CHECK(cached(client.call_ok("count_records", count)));
    client.call_ok("insert_record", {{"table", "users"}, {"record", {{"name", "Vi"}, {"email", "vi@example.com"}}}});
    const Json after = client.call_ok("count_records", count);
    CHECK_FALSE(cached(after));
    CHECK(after["count"] == before + 1);
  }

  TEST_CASE("result cache: a write in one process is never served stale by another on a shared (Redis) cache")
  {
    const std::string db = demo_database("shared.db");
    const std::string url = redis_url();
    McpClient reader({"--db", db, "--cache", url});
    McpClient writer({"--db", db, "--cache", url});
    const Json task = writer.call_ok("insert_record", {{"table", "tasks"}, {"record", {{"title", "old"}}}})["record"];
    const Json get = {{"table", "tasks"}, {"id", task["id"]}};
    CHECK(reader.call_ok("get_record", get)["record"]["title"] == "old");
    CHECK(cached(writer.call_ok("get_record", get))); // shared: the reader's answer
    writer.call_ok("update_record", {{"table", "tasks"}, {"id", task["id"]}, {"set", {{"title", "new"}}}});
    const Json after = reader.call_ok("get_record", get);
    CHECK_FALSE(cached(after));
    CHECK(after["record"]["title"] == "new");
  }

  TEST_CASE("result cache: over TLS (rediss://), shared by two processes")
  {
    const std::string db = demo_database("tls.db");
    const std::string url = redis_tls_url() + "?ca=" + redis_tls_ca();
    McpClient first({"--db", db, "--cache", url});
    McpClient second({"--db", db, "--cache", url});
    const Json get = {{"table", "users"}, {"id", 1}};
    first.call_ok("get_record", get);
    CHECK(cached(second.call_ok("get_record", get)));
    first.call_ok("update_record", {{"table", "users"}, {"id", 1}, {"set", {{"name", "Changed Over TLS"}}}});
    const Json after = second.call_ok("get_record", get);
    CHECK_FALSE(cached(after));
    CHECK(after["record"]["name"] == "Changed Over TLS");
  }

  TEST_CASE("dbmcp diagnostics: the result cache section with --cache (up, or down saying why), none without")
  {
    const std::string db = demo_database("diagnostics.db");
    const auto section = [&](const std::string& cache) {
      const auto result = run_dbmcp({"--db", db, "--cache", cache, "diagnostics", "--json"});
      REQUIRE_MESSAGE(result.exit_code == 0, result.err);
      const Json report = Json::parse(result.out);
      REQUIRE(report.contains("result_cache"));
      return std::make_pair(report["result_cache"], result.err);
    };
    const std::string tls = redis_tls_url();
    const auto [up, up_log] = section(tls + "?ca=" + redis_tls_ca());
    CHECK(up["state"] == "up");
    CHECK(up["backend"].get<std::string>().rfind("rediss://", 0) == 0);
    for (const char* key : {"hits", "misses", "hit_ratio", "invalidations", "bytes_written", "ttl_seconds"}) {
      CHECK_MESSAGE(up.contains(key), key);
    }
    CHECK(up["hits"] == 0);
    // Without ?ca= the system's CA store does not trust the test certificate: down, and the log says why.
    const auto [down, down_log] = section(tls);
    CHECK(down["state"] == "down");
    CHECK(down_log.find("not trusted") != std::string::npos);
    const auto [memory, memory_log] = section("memory");
    CHECK(memory["state"] == "up");
    CHECK(memory["bytes"] == 0);
    CHECK(memory["entries"] == 0);
    const auto plain = run_dbmcp({"--db", db, "diagnostics", "--json"});
    REQUIRE(plain.exit_code == 0);
    CHECK_FALSE(Json::parse(plain.out).contains("result_cache"));
  }

  TEST_CASE("result cache: Redis killed, reads go to the database; restarted, caching resumes")
  {
    const std::string db = demo_database("down.db");
    const std::string url = redis_url();
    const std::string restart = redis_restart_command();
    McpClient client({"--db", db, "--cache", url});
    const Json count = {{"table", "tasks"}};
    const Json before = client.call_ok("count_records", count);
    CHECK(cached(client.call_ok("count_records", count)));

    const auto info = run({"/usr/bin/env", "redis-cli", "-u", url, "INFO", "server"});
    const auto at = info.out.find("process_id:");
    REQUIRE(at != std::string::npos);
    REQUIRE(::kill(static_cast<pid_t>(std::stol(info.out.substr(at + 11))), SIGKILL) == 0);
    const Json down = client.call_ok("count_records", count);
    CHECK_FALSE(cached(down));
    CHECK(down["count"] == before["count"]);

    REQUIRE(run({restart}).exit_code == 0);
    // The cache is tried again a few seconds after it failed: poll, a bounded number of times.
    bool resumed = false;
    for (int attempt = 0; attempt < 60 && !resumed; ++attempt) {
      resumed = cached(client.call_ok("count_records", count));
      if (!resumed) {
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
    }
    CHECK(resumed);
  }
}
