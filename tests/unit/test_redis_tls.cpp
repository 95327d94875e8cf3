// rediss:// on a real server's TLS port (scripts/with-redis.sh: a throw-away CA, a certificate for
// localhost only): the URL's TLS parameters, a store round trip through TLS, and the refusals — a
// CA that did not sign the certificate, a name the certificate does not carry, a port that does
// not speak TLS — each saying why, never quoting the password.
#include "backends/redis/redis_shared_cache.hpp"
#include "backends/redis/redis_store.hpp"
#include "backends/redis/redis_url.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

using namespace dbmcp;
using namespace dbmcp::test;
using namespace dbmcp::store;
using dbmcp::backends::redis::parse_url;

namespace {

// rediss://localhost:PORT/8 with the test CA.
std::string tls_url(const std::string& extra = "")
{
  const std::string url = redis_tls_url();
  return url.substr(0, url.rfind('/')) + "/8?ca=" + redis_tls_ca() + extra;
}

std::unique_ptr<Store> open_tls(const std::string& url)
{
  StoreOptions options;
  options.url = url;
  return backends::redis::open_redis_store(options);
}

// The message of the StoreError that opening `url` throws; FAILs when it opens.
std::string refusal(const std::string& url)
{
  try {
    open_tls(url);
  } catch (const StoreError& e) {
    CHECK(e.code() == ErrorCode::unavailable);
    return e.what();
  }
  FAIL("opened " << url);
  return "";
}

} // namespace

TEST_SUITE("redis tls")
{
  TEST_CASE("rediss:// URL: TLS, ?ca= and ?insecure=; both refused on redis://")
  {
    const auto target = parse_url("rediss://:p%40ss@cache.internal:6380/2?ca=%2Fetc%2Fca.pem&insecure=0");
    CHECK(target.tls);
    CHECK(target.host == "cache.internal");
    CHECK(target.port == 6380);
    CHECK(target.db == 2);
    CHECK(target.password == "p@ss");
    CHECK(target.tls_ca == "/etc/ca.pem");
    CHECK_FALSE(target.tls_insecure);
    CHECK(parse_url("rediss://h/0?insecure=1").tls_insecure);
    CHECK_FALSE(parse_url("redis://h/0").tls);
    CHECK_THROWS_WITH_AS(parse_url("redis://h/0?ca=/etc/ca.pem"), doctest::Contains("rediss://"), StoreError);
    CHECK_THROWS_WITH_AS(parse_url("rediss://h/0?insecure=yes"), doctest::Contains("1 or 0"), StoreError);
  }

  TEST_CASE("rediss:// store: a round trip through TLS, with AUTH refused without printing the password")
  {
    auto store = open_tls(tls_url());
    CallContext ctx;
    auto& kv = store->key_values();
    kv.remove({"tls:k"}, ctx);
    kv.set("tls:k", R"({"over": "tls", "n": [1, 2, 3]})", std::chrono::seconds(60), SetCondition::always, ctx);
    const KeyValue read = kv.get("tls:k", ctx);
    CHECK(read.found);
    CHECK(read.value == Json{{"over", "tls"}, {"n", {1, 2, 3}}});
    // A value larger than one TLS record and one read buffer comes back whole.
    const std::string big(300000, 'x');
    kv.set("tls:big", Json(big).dump(), std::nullopt, SetCondition::always, ctx);
    CHECK(kv.get("tls:big", ctx).value == big);
    CHECK(kv.remove({"tls:k", "tls:big"}, ctx) == 2);
    CHECK(store->diagnostics(ctx)["connection"].get<std::string>().find("rediss://") == 0);

    const std::string url = redis_tls_url();
    const std::string with_password =
        "rediss://:hunter2-secret@" + url.substr(std::string("rediss://").size()) + "?ca=" +
        redis_tls_ca();
    // The test server has no password: AUTH is refused, and the refusal does not quote it.
    try {
      open_tls(with_password);
      FAIL("AUTH succeeded on a server without a password");
    } catch (const StoreError& e) {
      CHECK(std::string(e.what()).find("AUTH") != std::string::npos);
      CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
    }
  }

  TEST_CASE("rediss://: an untrusted CA, a name not in the certificate and a plain port are refused, saying why")
  {
    const std::string url = redis_tls_url();
    // The system's CA store did not sign the throw-away certificate.
    const std::string untrusted = refusal(url);
    CHECK(untrusted.find("not trusted") != std::string::npos);
    CHECK(untrusted.find("?ca=") != std::string::npos);
    // The certificate names localhost, not 127.0.0.1.
    const std::string by_address = tls_url();
    const std::string mismatch = refusal("rediss://127.0.0.1" + by_address.substr(by_address.rfind(':')));
    CHECK(mismatch.find("not trusted") != std::string::npos);
    CHECK(mismatch.find("does not name '127.0.0.1'") != std::string::npos);
    // ?insecure=1 skips both checks.
    auto insecure = open_tls("rediss://127.0.0.1" + url.substr(url.rfind(':')) + "?insecure=1");
    CallContext ctx;
    insecure->ping(ctx);
    // The plain port does not speak TLS.
    const std::string plain = redis_url();
    const std::string not_tls = refusal("rediss://" + plain.substr(std::string("redis://").size()) + "?insecure=1");
    CHECK(not_tls.find("TLS") != std::string::npos);
    // A CA file that is not there is a mistake in the URL.
    try {
      open_tls(url + "?ca=/nonexistent/ca.pem");
      FAIL("opened with a CA file that does not exist");
    } catch (const StoreError& e) {
      CHECK(e.code() == ErrorCode::invalid_argument);
      CHECK(std::string(e.what()).find("/nonexistent/ca.pem") != std::string::npos);
    }
  }

  TEST_CASE("rediss:// shared cache: counters and answers through TLS")
  {
    auto cache = backends::redis::open_redis_shared_cache(tls_url());
    cache->set("dbmcp-test:tls", "answer", std::chrono::seconds(30));
    CHECK(cache->get("dbmcp-test:tls") == "answer");
    const auto before = cache->counters({"dbmcp-test:tls-generation"});
    cache->bump({"dbmcp-test:tls-generation"});
    CHECK(cache->counters({"dbmcp-test:tls-generation"}).front() == before.front() + 1);
  }
}
