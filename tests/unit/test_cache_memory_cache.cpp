// The in-process SharedCache behind --cache memory (issue 11): TTL, LRU eviction, the byte bound,
// counters. Time is a clock the test moves, never a sleep.
#include "cache/factory.hpp"
#include "cache/memory_cache.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <thread>

using namespace dbmcp::cache;
using namespace std::chrono_literals;

namespace {

// A clock that stands still until the test moves it.
struct FakeClock
{
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  MemoryCache::Clock function()
  {
    return [this] { return now; };
  }
};

} // namespace

TEST_SUITE("cache::MemoryCache")
{
  TEST_CASE("MemoryCache: a value is served until its TTL has passed, then it is gone")
  {
    FakeClock clock;
    MemoryCache cache(1 << 20, clock.function());
    cache.set("k", "v", 10s);
    CHECK(cache.get("k") == "v");
    clock.now += 9s;
    CHECK(cache.get("k") == "v");
    clock.now += 1s;
    CHECK_FALSE(cache.get("k").has_value());
    CHECK(cache.bytes() == 0);
    CHECK_FALSE(cache.get("never").has_value());
  }

  TEST_CASE("MemoryCache: setting a key again replaces its value and its TTL")
  {
    FakeClock clock;
    MemoryCache cache(1 << 20, clock.function());
    cache.set("k", "old", 5s);
    clock.now += 4s;
    cache.set("k", "new", 5s);
    clock.now += 4s;
    CHECK(cache.get("k") == "new");
    CHECK(cache.bytes() == 4);
    CHECK(cache.entries() == 1);
  }

  TEST_CASE("MemoryCache: the bytes held never pass the bound; the least recently used goes first")
  {
    FakeClock clock;
    MemoryCache cache(30, clock.function()); // three entries of 1 + 9 bytes
    cache.set("a", std::string(9, 'a'), 60s);
    cache.set("b", std::string(9, 'b'), 60s);
    cache.set("c", std::string(9, 'c'), 60s);
    CHECK(cache.bytes() == 30);
    CHECK(cache.get("a").has_value()); // a is now the most recently used, b the least
    cache.set("d", std::string(9, 'd'), 60s);
    CHECK(cache.bytes() == 30);
    CHECK_FALSE(cache.get("b").has_value());
    CHECK(cache.get("a").has_value());
    CHECK(cache.get("c").has_value());
    CHECK(cache.get("d").has_value());
    SUBCASE("a value larger than the whole bound is not kept, and evicts nothing")
    {
      cache.set("huge", std::string(40, 'h'), 60s);
      CHECK_FALSE(cache.get("huge").has_value());
      CHECK(cache.entries() == 3);
    }
    SUBCASE("a large value evicts as many as it needs")
    {
      cache.set("e", std::string(19, 'e'), 60s);
      CHECK(cache.bytes() <= 30);
      CHECK(cache.get("e").has_value());
      CHECK(cache.entries() == 2);
    }
  }

  TEST_CASE("MemoryCache: counters start at 0, count bumps, and are neither expired nor evicted")
  {
    FakeClock clock;
    MemoryCache cache(16, clock.function());
    CHECK(cache.counters({"x", "y"}) == std::vector<int64_t>{0, 0});
    cache.bump({"x"});
    cache.bump({"x", "y"});
    cache.set("filler", std::string(10, 'f'), 1s);
    clock.now += 1h;
    CHECK(cache.counters({"y", "x", "z"}) == std::vector<int64_t>{1, 2, 0});
  }

  TEST_CASE("MemoryCache: concurrent sets, gets and bumps keep the bound and count every bump")
  {
    MemoryCache cache(4096);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&cache, t] {
        for (int i = 0; i < 2000; ++i) {
          const std::string key = std::to_string(t) + ":" + std::to_string(i % 50);
          cache.set(key, std::string(static_cast<size_t>(i % 100), 'v'), 60s);
          (void)cache.get(key);
          cache.bump({"gen"});
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    CHECK(cache.bytes() <= 4096);
    CHECK(cache.counters({"gen"}).front() == 8000);
  }

  TEST_CASE("open_cache: memory is in-process; redis:// without the Redis module is refused, naming it")
  {
    CHECK(open_cache("memory", 1 << 20)->describe().find("memory") == 0);
    try {
      open_cache("redis://127.0.0.1:6379/0", 1 << 20);
      FAIL("redis:// was accepted with no Redis module");
    } catch (const std::invalid_argument& e) {
      CHECK(std::string(e.what()).find("Redis module") != std::string::npos);
    }
    CHECK_THROWS_AS(open_cache("memcached://x", 1 << 20), std::invalid_argument);
  }
}
