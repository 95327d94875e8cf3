// The key-value tools through the built binary on Redis (scripts/with-redis.sh), as a desktop
// client uses them with --db redis://…: TTL expiry, only_if, a scan of 10,000 keys in pages,
// --key-prefix confinement, --read-only, the relational tools absent, and the server killed and
// restarted in the middle of a session.
#include "support/mcp_client.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <set>
#include <thread>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

// The server's URL on database `db`, emptied first: each test case has a database of its own.
std::string database(int db)
{
  std::string url = redis_url();
  url = url.substr(0, url.rfind('/')) + "/" + std::to_string(db);
  const auto flushed = run({"/usr/bin/env", "redis-cli", "-u", url, "FLUSHDB"});
  REQUIRE_MESSAGE(flushed.exit_code == 0, flushed.err);
  return url;
}

// Runs redis-cli against `url` with `input` piped in (one command a line).
void redis_cli(const std::string& url, const std::string& input)
{
  const auto done = run({"/usr/bin/env", "redis-cli", "-u", url}, input);
  REQUIRE_MESSAGE(done.exit_code == 0, done.err);
}

std::string redis_get(const std::string& url, const std::string& key)
{
  auto done = run({"/usr/bin/env", "redis-cli", "-u", url, "--raw", "GET", key});
  REQUIRE(done.exit_code == 0);
  while (!done.out.empty() && done.out.back() == '\n') {
    done.out.pop_back();
  }
  return done.out;
}

std::set<std::string> tool_names(McpClient& client)
{
  std::set<std::string> names;
  const Json listed = client.request("tools/list", Json::object());
  for (const auto& tool : listed["result"]["tools"]) {
    names.insert(tool["name"].get<std::string>());
  }
  return names;
}

} // namespace

TEST_SUITE("e2e: redis tools")
{
  TEST_CASE("Redis: the key-value tools are offered, the relational ones are unknown tools")
  {
    const std::string url = database(1);
    McpClient client({"--db", url});
    const auto names = tool_names(client);
    for (const char* name : {"cache_get", "cache_set", "cache_delete", "cache_scan", "cache_stats", "cache_expire",
                             "database_diagnostics"}) {
      CHECK_MESSAGE(names.count(name) == 1, name);
    }
    CHECK(names.count("list_records") == 0);
    CHECK(names.count("list_tables") == 0);
    const Json response =
        client.request("tools/call", {{"name", "list_records"}, {"arguments", {{"table", "users"}}}});
    REQUIRE(response.contains("error"));
    CHECK(response["error"]["code"] == -32602);

    McpClient read_only({"--db", url, "--read-only"});
    const auto offered = tool_names(read_only);
    CHECK(offered.count("cache_get") == 1);
    CHECK(offered.count("cache_set") == 0);
    CHECK(offered.count("cache_delete") == 0);
    CHECK(offered.count("cache_expire") == 0);
  }

  TEST_CASE("Redis: cache_set stores JSON, cache_get reads it back with its TTL and reads other types as JSON")
  {
    const std::string url = database(2);
    McpClient client({"--db", url});
    const Json value = {{"name", "Ada"}, {"tags", {"math", "engines"}}, {"age", 36}};
    const Json set = client.call_ok("cache_set", {{"key", "user:1"}, {"value", value}, {"ttl_seconds", 600}});
    CHECK(set["stored"] == true);
    CHECK(set["ttl_seconds"] == 600);
    CHECK(set["bytes"] == value.dump().size());
    const Json got = client.call_ok("cache_get", {{"key", "user:1"}});
    CHECK(got["found"] == true);
    CHECK(got["type"] == "string");
    CHECK(got["value"] == value);
    CHECK(got["ttl_seconds"].get<int64_t>() > 0);
    CHECK(got["ttl_seconds"].get<int64_t>() <= 600);

    redis_cli(url, "SET plain not-json\nHSET h a 1 b 2\nRPUSH l x y z\nSADD s b a\nZADD z 2 two 1 one\n");
    const Json many = client.call_ok("cache_get", {{"keys", {"plain", "h", "l", "s", "z", "missing"}}});
    REQUIRE(many["keys"].size() == 6);
    CHECK(many["keys"][0]["value"] == "not-json");
    CHECK(many["keys"][0]["ttl_seconds"] == -1);
    CHECK(many["keys"][1]["value"] == Json{{"a", "1"}, {"b", "2"}});
    CHECK(many["keys"][2]["value"] == Json{"x", "y", "z"});
    CHECK(many["keys"][3]["value"] == Json{"a", "b"});
    CHECK(many["keys"][4]["value"][0] == Json{{"member", "one"}, {"score", 1}});
    CHECK(many["keys"][5]["found"] == false);

    CHECK(client.call_ok("cache_delete", {{"keys", {"h", "l", "missing"}}})["deleted"] == 2);
    CHECK(client.call_ok("cache_get", {{"key", "h"}})["found"] == false);
    const Json stats = client.call_ok("cache_stats", Json::object());
    CHECK(stats["version"].get<std::string>().size() > 0);
    CHECK(stats["keyspace"].contains("db2"));
  }

  TEST_CASE("Redis: a key set with a TTL expires; cache_expire sets and removes a TTL")
  {
    const std::string url = database(3);
    McpClient client({"--db", url});
    client.call_ok("cache_set", {{"key", "short"}, {"value", 1}, {"ttl_seconds", 1}});
    bool expired = false;
    for (int i = 0; i < 100 && !expired; ++i) { // polls for up to about 10 s
      expired = client.call_ok("cache_get", {{"key", "short"}})["found"] == false;
      if (!expired) {
        std::this_thread::sleep_for(100ms);
      }
    }
    CHECK(expired);

    client.call_ok("cache_set", {{"key", "kept"}, {"value", "v"}});
    CHECK(client.call_ok("cache_get", {{"key", "kept"}})["ttl_seconds"] == -1);
    CHECK(client.call_ok("cache_expire", {{"key", "kept"}, {"ttl_seconds", 500}})["found"] == true);
    CHECK(client.call_ok("cache_get", {{"key", "kept"}})["ttl_seconds"].get<int64_t>() > 0);
    CHECK(client.call_ok("cache_expire", {{"key", "kept"}})["found"] == true);
    CHECK(client.call_ok("cache_get", {{"key", "kept"}})["ttl_seconds"] == -1);
    CHECK(client.call_ok("cache_expire", {{"key", "absent"}, {"ttl_seconds", 5}})["found"] == false);
  }

  TEST_CASE("Redis: only_if absent writes a new key only, only_if present replaces an existing key only")
  {
    const std::string url = database(4);
    McpClient client({"--db", url});
    CHECK(client.call_ok("cache_set", {{"key", "k"}, {"value", "first"}, {"only_if", "present"}})["stored"] == false);
    CHECK(client.call_ok("cache_get", {{"key", "k"}})["found"] == false);
    CHECK(client.call_ok("cache_set", {{"key", "k"}, {"value", "first"}, {"only_if", "absent"}})["stored"] == true);
    CHECK(client.call_ok("cache_set", {{"key", "k"}, {"value", "second"}, {"only_if", "absent"}})["stored"] == false);
    CHECK(client.call_ok("cache_get", {{"key", "k"}})["value"] == "first");
    CHECK(client.call_ok("cache_set", {{"key", "k"}, {"value", "third"}, {"only_if", "present"}})["stored"] == true);
    CHECK(client.call_ok("cache_get", {{"key", "k"}})["value"] == "third");
    CHECK(client.call_error("cache_set", {{"key", "k"}, {"value", 1}, {"only_if", "sometimes"}})["code"] ==
          "invalid_argument");
  }

  TEST_CASE("Redis: --key-prefix confines reads, writes, deletes and a 10,000-key scan in pages")
  {
    const std::string url = database(5);
    std::string input;
    for (int i = 0; i < 10000; ++i) {
      input += "SET app:k" + std::to_string(i) + " " + std::to_string(i) + "\n";
    }
    for (int i = 0; i < 500; ++i) {
      input += "SET other:k" + std::to_string(i) + " secret\n";
    }
    input += "SET app*x outside\n"; // a glob character: must not match the prefix "app:"
    redis_cli(url, input);

    McpClient client({"--db", url, "--key-prefix", "app:"});
    std::set<std::string> seen;
    int repeated = 0;
    std::string cursor = "0";
    int pages = 0;
    do {
      const Json page = client.call_ok("cache_scan", {{"cursor", cursor}, {"count", 500}});
      for (const auto& key : page["keys"]) {
        if (!seen.insert(key["key"].get<std::string>()).second) {
          ++repeated;
        }
        CHECK(key["type"] == "string");
      }
      cursor = page["done"] == true ? "0" : page["next_cursor"].get<std::string>();
      ++pages;
    } while (cursor != "0" && pages < 1000);
    CHECK(repeated == 0);
    CHECK(seen.size() == 10000);
    CHECK(seen.count("k0") == 1);
    CHECK(seen.count("k9999") == 1);
    CHECK(pages > 1);

    // A key outside the prefix cannot be named: "other:k1" is read as app:other:k1.
    CHECK(client.call_ok("cache_get", {{"key", "other:k1"}})["found"] == false);
    CHECK(client.call_ok("cache_get", {{"key", "k1"}})["value"] == 1);
    client.call_ok("cache_set", {{"key", "other:k1"}, {"value", "overwritten?"}});
    CHECK(redis_get(url, "other:k1") == "secret");
    CHECK(redis_get(url, "app:other:k1") == "\"overwritten?\"");
    CHECK(client.call_ok("cache_delete", {{"key", "other:k2"}})["deleted"] == 0);
    CHECK(redis_get(url, "other:k2") == "secret");
    const Json other = client.call_ok("cache_scan", {{"pattern", "*secret*"}, {"count", 1000}});
    CHECK(other["keys"].empty());
  }

  TEST_CASE("Redis: killed mid-session, the call in flight is unavailable and the next call after restart works")
  {
    const std::string url = database(0);
    const std::string restart = redis_restart_command();
    McpClient client({"--db", url});
    client.call_ok("cache_set", {{"key", "before"}, {"value", 1}});

    // The server blocks in DEBUG SLEEP; a call is sent, then the server is killed under it.
    auto info = run({"/usr/bin/env", "redis-cli", "-u", url, "INFO", "server"});
    const auto at = info.out.find("process_id:");
    REQUIRE(at != std::string::npos);
    const pid_t server = static_cast<pid_t>(std::stol(info.out.substr(at + 11)));
    // Restarted whatever happens below, so that a failure here does not leave the shared server
    // down for the tests after this one.
    struct RestartAtEnd
    {
      const std::string& command;
      bool done = false;
      ~RestartAtEnd()
      {
        if (!done) {
          run({command});
        }
      }
    } restart_at_end{restart};
    Process sleeper({"/usr/bin/env", "redis-cli", "-u", url, "DEBUG", "SLEEP", "5"});
    // Only once the server is asleep is the call sent (else it could be answered before the kill):
    // a PING that gets no answer within 300 ms says so.
    bool asleep = false;
    for (int attempt = 0; attempt < 100 && !asleep; ++attempt) {
      asleep = run({"/usr/bin/env", "timeout", "0.3", "redis-cli", "-u", url, "PING"}).exit_code == 124;
      if (!asleep) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    REQUIRE_MESSAGE(asleep, "the Redis server never went to sleep in DEBUG SLEEP");
    client.process().send({{"jsonrpc", "2.0"}, {"id", 9001}, {"method", "tools/call"},
                           {"params", {{"name", "cache_get"}, {"arguments", {{"key", "before"}}}}}});
    REQUIRE(::kill(server, SIGKILL) == 0);
    const Json in_flight = client.process().read_response(9001);
    REQUIRE(in_flight["result"]["isError"] == true);
    const Json& result = in_flight["result"];
    const Json error = result.contains("structuredContent") ? result["structuredContent"]["error"]
                                                            : result["_meta"]["dbmcp/error"];
    CHECK(error["code"] == "unavailable");

    restart_at_end.done = true;
    REQUIRE(run({restart}).exit_code == 0);
    // The restarted server has no persistence: the key is gone, and the call works.
    const Json after = client.call_ok("cache_get", {{"key", "before"}});
    CHECK(after["found"] == false);
    CHECK(client.call_ok("cache_set", {{"key", "after"}, {"value", 2}})["stored"] == true);
  }

  TEST_CASE("Redis: health, diagnostics and config never print the password, over TLS (rediss://) too")
  {
    const std::string url = database(6);
    const std::string with_password = "redis://:hunter2-secret@" + url.substr(std::string("redis://").size());
    const auto config = run_dbmcp({"--db", with_password, "config"});
    CHECK(config.out.find("hunter2") == std::string::npos);
    CHECK(config.err.find("hunter2") == std::string::npos);
    // The server has no password: AUTH fails, and the failure does not print it either.
    const auto health = run_dbmcp({"--db", with_password, "health", "--json"});
    CHECK(health.exit_code != 0);
    CHECK(health.out.find("hunter2") == std::string::npos);
    CHECK(health.err.find("hunter2") == std::string::npos);

    const auto healthy = run_dbmcp({"--db", url, "health", "--json"});
    CHECK_MESSAGE(healthy.exit_code == 0, healthy.out, healthy.err);
    const auto diagnostics = run_dbmcp({"--db", url, "diagnostics", "--json"});
    CHECK_MESSAGE(diagnostics.exit_code == 0, diagnostics.err);
    CHECK(diagnostics.out.find("\"version\"") != std::string::npos);

    const std::string tls_url = redis_tls_url();
    const std::string ca = "?ca=" + redis_tls_ca();
    const auto tls = run_dbmcp({"--db", tls_url + ca, "call", "cache_set", R"({"key": "over-tls", "value": 1})"});
    CHECK_MESSAGE(tls.exit_code == 0, tls.err);
    CHECK(redis_get(redis_url(), "over-tls") == "1");
    const std::string tls_password = "rediss://:hunter2-secret@" + tls_url.substr(std::string("rediss://").size()) + ca;
    for (const char* command : {"health", "diagnostics", "config"}) {
      const auto shown = run_dbmcp({"--db", tls_password, command, "--json"});
      CHECK(shown.out.find("hunter2") == std::string::npos);
      CHECK(shown.err.find("hunter2") == std::string::npos);
    }
    const auto untrusted = run_dbmcp({"--db", tls_url, "health", "--json"});
    CHECK(untrusted.exit_code != 0);
    CHECK((untrusted.out + untrusted.err).find("not trusted") != std::string::npos);

    const auto called = run_dbmcp({"--db", url, "call", "cache_set", R"({"key": "c", "value": [1, 2]})"});
    CHECK_MESSAGE(called.exit_code == 0, called.err);
    CHECK(redis_get(url, "c") == "[1,2]");
  }
}
