// The SQLite Store under concurrency: readers and writers on several threads, cancellation of a
// running batch from another thread, the statement timeout.
#include "test_sqlite_support.hpp"

#include <fmt/format.h>

#include <atomic>
#include <future>
#include <thread>

using namespace dbmcp;
using namespace dbmcp::store;
using namespace dbmcp::test;

namespace {

std::vector<Json> many_users(int count, const std::string& prefix)
{
  std::vector<Json> rows;
  rows.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    rows.push_back({{"name", prefix + std::to_string(i)}, {"email", prefix + std::to_string(i) + "@x"}, {"age", i % 100}});
  }
  return rows;
}

} // namespace

TEST_SUITE("sqlite: concurrency")
{
  TEST_CASE("SqliteStore: concurrent readers and writers on several threads")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    constexpr int k_writers = 3;
    constexpr int k_inserts = 40;
    std::atomic<bool> writing{true};
    std::vector<std::future<void>> writers;
    for (int w = 0; w < k_writers; ++w) {
      writers.push_back(std::async(std::launch::async, [&, w] {
        CallContext ctx;
        for (int i = 0; i < k_inserts; ++i) {
          const std::string name = fmt::format("w{}-{}", w, i);
          store->insert("users", Row{{"name", name}, {"email", name + "@x"}}, {}, ctx);
        }
      }));
    }
    std::vector<std::future<int64_t>> readers;
    for (int r = 0; r < 4; ++r) {
      readers.push_back(std::async(std::launch::async, [&] {
        CallContext ctx;
        int64_t reads = 0;
        int64_t last = 0;
        while (writing.load() || reads < 5) {
          const int64_t now = store->count("users", {}, std::nullopt, ctx);
          CHECK(now >= last); // committed rows never disappear
          last = now;
          const auto page = store->select({.table = "users", .limit = 10}, ctx).size();
          CHECK(static_cast<int64_t>(page) >= std::min<int64_t>(10, now)); // rows only ever get added
          CHECK(page <= 10);
          ++reads;
        }
        return reads;
      }));
    }
    for (auto& writer : writers) {
      writer.get();
    }
    writing = false;
    for (auto& reader : readers) {
      CHECK(reader.get() >= 5);
    }
    CallContext ctx;
    CHECK(store->count("users", {}, std::nullopt, ctx) == 5 + k_writers * k_inserts);
  }

  TEST_CASE("SqliteStore: cancelling a long insert_many from another thread rolls it back")
  {
    auto store = backends::sqlite::open_sqlite_store(sqlite_options(demo_sqlite_file()));
    CallContext ctx;
    std::promise<void> first_batch;
    std::atomic<bool> reported{false};
    ctx.set_progress_sink([&](double, std::optional<double>, const std::string&) {
      if (!reported.exchange(true)) {
        first_batch.set_value();
      }
    });
    std::thread canceller([&, started = first_batch.get_future()]() mutable {
      started.wait();
      ctx.cancel();
    });
    const std::vector<Row> rows = many_users(200000, "c");
    const BatchInsert batch{.table = "users", .rows = rows, .batch_size = 100};
    CHECK_THROWS_AS(store->insert_many(batch, ctx), Cancelled);
    canceller.join();
    CallContext fresh;
    CHECK(store->count("users", {}, std::nullopt, fresh) == 5);
    // The writer is usable again afterwards.
    const std::vector<Row> more = many_users(10, "after");
    CHECK(store->insert_many({.table = "users", .rows = more}, fresh).inserted == 10);
  }

  TEST_CASE("SqliteStore: a cancelled or timed-out statement is interrupted")
  {
    const std::string path = demo_sqlite_file();
    {
      auto setup = backends::sqlite::open_sqlite_store(sqlite_options(path));
      CallContext ctx;
      setup->execute_script("CREATE VIEW endless AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                            "WHERE x < 10000000000) SELECT count(*) AS n FROM c;",
                            ctx);
    }
    auto options = sqlite_options(path);
    auto store = backends::sqlite::open_sqlite_store(options);
    CallContext ctx;
    std::thread canceller([&] { ctx.cancel(); });
    CHECK_THROWS_AS(store->select({.table = "endless"}, ctx), Cancelled);
    canceller.join();

    options.statement_timeout = std::chrono::milliseconds(100);
    auto limited = backends::sqlite::open_sqlite_store(options);
    CallContext timed;
    const auto error = store_error_of([&] { limited->select({.table = "endless"}, timed); });
    CHECK(error.code() == ErrorCode::timeout);
    CHECK(std::string(error.what()).find("100 ms statement timeout") != std::string::npos);
    CHECK(limited->count("users", {}, std::nullopt, timed) == 5);
  }
}
