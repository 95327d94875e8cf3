// The query-result cache over a SharedCache (issue 11): keys by generation, errors never stored,
// and a cache that goes away and comes back.
#include "cache/memory_cache.hpp"
#include "cache/result_cache.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace dbmcp;
using namespace dbmcp::cache;
using namespace std::chrono_literals;

namespace {

// A MemoryCache that can be switched off, as a cache server that goes away.
class Switchable : public MemoryCache
{
public:
  explicit Switchable(bool& up) : MemoryCache(1 << 20), m_up(up) {}
  std::optional<std::string> get(const std::string& key) override
  {
    check();
    return MemoryCache::get(key);
  }
  void set(const std::string& key, const std::string& value, std::chrono::seconds ttl) override
  {
    check();
    MemoryCache::set(key, value, ttl);
  }
  std::vector<int64_t> counters(const std::vector<std::string>& keys) override
  {
    check();
    return MemoryCache::counters(keys);
  }
  void bump(const std::vector<std::string>& keys) override
  {
    check();
    MemoryCache::bump(keys);
  }

private:
  void check() const
  {
    if (!m_up) {
      throw CacheUnavailable("connection refused");
    }
  }
  bool& m_up;
};

ResultCacheOptions options()
{
  return {.ttl = 60s, .database = "sqlite:test.db", .answer_options = "{}", .retry_after = 0ms};
}

} // namespace

TEST_SUITE("cache::ResultCache")
{
  TEST_CASE("ResultCache: an equal read is served cached until a write bumps one of its tables")
  {
    ResultCache cache(std::make_unique<MemoryCache>(1 << 20), options());
    int runs = 0;
    const auto read = [&](const Json& arguments, std::vector<std::string> tables) {
      return cache.read("get_record", arguments, tables, [&] {
        ++runs;
        return Json{{"n", runs}};
      });
    };
    const Json first = read({{"id", 1}}, {"posts", "users"});
    CHECK_FALSE(first.contains("cached"));
    const Json second = read({{"id", 1}}, {"posts", "users"});
    CHECK(second["cached"] == true);
    CHECK(second["n"] == 1);
    CHECK(second["cache_age_ms"].get<int64_t>() >= 0);
    CHECK(read({{"id", 2}}, {"posts", "users"})["n"] == 2); // other arguments, other answer
    cache.write({"posts"}, [] { return Json::object(); });
    CHECK(read({{"id", 1}}, {"posts", "users"})["n"] == 3);
    CHECK(read({{"id", 1}}, {"posts", "users"})["cached"] == true);
    const Json stats = cache.stats();
    CHECK(stats["hits"] == 2);
    CHECK(stats["misses"] == 3);
    CHECK(stats["invalidations"] == 1);
    CHECK(stats["state"] == "up");
    CHECK(stats["bytes"].get<int64_t>() > 0);
  }

  TEST_CASE("ResultCache: a failing read is not stored; a failing write still invalidates")
  {
    ResultCache cache(std::make_unique<MemoryCache>(1 << 20), options());
    int runs = 0;
    const auto failing = [&]() -> Json {
      ++runs;
      throw std::runtime_error("no such row");
    };
    CHECK_THROWS(cache.read("get_record", {{"id", 9}}, {"users"}, failing));
    CHECK_THROWS(cache.read("get_record", {{"id", 9}}, {"users"}, failing));
    CHECK(runs == 2);
    cache.read("count_records", Json::object(), {"users"}, [] { return Json{{"count", 1}}; });
    CHECK_THROWS(cache.write({"users"}, []() -> Json { throw std::runtime_error("constraint"); }));
    CHECK_FALSE(cache.read("count_records", Json::object(), {"users"}, [] { return Json{{"count", 2}}; })
                    .contains("cached"));
  }

  TEST_CASE("ResultCache: a cache that goes away is skipped and comes back without serving a stale answer")
  {
    bool up = true;
    ResultCache cache(std::make_unique<Switchable>(up), options());
    int version = 1;
    const auto read = [&] {
      return cache.read("get_record", {{"id", 1}}, {"users"}, [&] { return Json{{"v", version}}; });
    };
    read();
    CHECK(read()["cached"] == true);
    up = false;
    ++version;
    cache.write({"users"}, [] { return Json::object(); }); // its bump fails: pending
    CHECK(cache.stats()["state"] == "down");
    CHECK(read()["v"] == 2); // from the database
    up = true;
    // The pending bump lands before the cache serves again: the v1 answer is never seen.
    CHECK(read()["v"] == 2);
    CHECK(cache.stats()["state"] == "up");
    CHECK(read()["cached"] == true);
  }
}

TEST_SUITE("cache::ResultCache")
{
  TEST_CASE("ResultCache: arguments equal but for the order of their keys share an answer")
  {
    ResultCache cache(std::make_unique<MemoryCache>(1 << 20), options());
    const auto read = [&](const Json& arguments) {
      return cache.read("list_records", arguments, {"users"}, [] { return Json{{"rows", Json::array()}}; });
    };
    read(Json::parse(R"({"table": "users", "where": {"a": 1, "b": [{"y": 2, "x": 1}]}})"));
    CHECK(read(Json::parse(R"({"where": {"b": [{"x": 1, "y": 2}], "a": 1}, "table": "users"})")).contains("cached"));
    CHECK_FALSE(read(Json::parse(R"({"where": {"b": [2, 1], "a": 1}, "table": "users"})")).contains("cached"));
  }
}
