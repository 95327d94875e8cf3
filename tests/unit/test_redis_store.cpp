// The Redis store on a real server (scripts/with-redis.sh): the URL parser, values of every type
// read as JSON, a key prefix holding glob characters, read-only, and a server that is not there.
#include "backends/redis/redis_store.hpp"
#include "backends/redis/redis_url.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <set>

using namespace dbmcp;
using namespace dbmcp::store;
using dbmcp::test::redis_url;
using dbmcp::backends::redis::parse_url;

namespace {

// The test server's URL on database `db`.
std::string server_url(int db)
{
  const std::string text = redis_url();
  return text.substr(0, text.rfind('/')) + "/" + std::to_string(db);
}

std::unique_ptr<Store> open(const std::string& url, const std::string& prefix = "", bool read_only = false)
{
  StoreOptions options;
  options.url = url;
  options.key_prefix = prefix;
  options.read_only = read_only;
  return backends::redis::open_redis_store(options);
}

} // namespace

TEST_SUITE("redis store")
{
  TEST_CASE("Redis URL: host, port, database, user and password; unix sockets")
  {
    const auto target = parse_url("redis://app:p%40ss@cache.internal:6390/3");
    CHECK(target.host == "cache.internal");
    CHECK(target.port == 6390);
    CHECK(target.db == 3);
    CHECK(target.user == "app");
    CHECK(target.password == "p@ss");
    const auto defaults = parse_url("redis://localhost");
    CHECK(defaults.port == 6379);
    CHECK(defaults.db == 0);
    CHECK(defaults.password.empty());
    const auto socket = parse_url("unix:///run/redis/redis.sock?db=2");
    CHECK(socket.socket == "/run/redis/redis.sock");
    CHECK(socket.db == 2);
    CHECK_THROWS_AS(parse_url("redis://h/notanumber"), StoreError);
    CHECK_THROWS_AS(parse_url("redis://h:6379/0?ssl=true"), StoreError);
    try {
      parse_url("redis://:topsecret@h:99999/0");
      FAIL("accepted a port above 65535");
    } catch (const StoreError& e) {
      CHECK(std::string(e.what()).find("topsecret") == std::string::npos);
    }
  }

  TEST_CASE("Redis store: a key-value store; relational calls are refused")
  {
    auto store = open(server_url(7));
    CHECK(store->backend() == "redis");
    CHECK(store->capability() == Capability::key_values);
    CHECK(store->schema()->tables.empty());
    CallContext ctx;
    CHECK_THROWS_AS(store->count("users", {}, std::nullopt, ctx), StoreError);
  }

  TEST_CASE("Redis store: a prefix with glob characters confines a scan to itself")
  {
    auto plain = open(server_url(7));
    CallContext ctx;
    auto& kv = plain->key_values();
    kv.remove({"a*:1", "ab:1", "a*:2"}, ctx);
    kv.set("a*:1", "1", std::nullopt, SetCondition::always, ctx);
    kv.set("a*:2", "2", std::nullopt, SetCondition::always, ctx);
    kv.set("ab:1", "3", std::nullopt, SetCondition::always, ctx);
    auto confined = open(server_url(7), "a*:");
    std::set<std::string> keys;
    ScanRequest request;
    do {
      const ScanPage page = confined->key_values().scan(request, ctx);
      for (const auto& key : page.keys) {
        keys.insert(key.key);
      }
      request.cursor = page.cursor;
    } while (request.cursor != "0");
    CHECK(keys == std::set<std::string>{"1", "2"});
    CHECK(confined->key_values().get("1", ctx).value == 1);
    CHECK_THROWS_AS(confined->key_values().get("", ctx), StoreError);
  }

  TEST_CASE("Redis store: read-only refuses writes; an absent server is unavailable")
  {
    auto store = open(server_url(7), "", true);
    CallContext ctx;
    try {
      store->key_values().set("k", "1", std::nullopt, SetCondition::always, ctx);
      FAIL("a read-only store wrote");
    } catch (const StoreError& e) {
      CHECK(e.code() == ErrorCode::read_only);
    }
    try {
      open("redis://127.0.0.1:1/0");
      FAIL("connected to port 1");
    } catch (const StoreError& e) {
      CHECK(e.code() == ErrorCode::unavailable);
    }
  }
}
