// WorkerPool: threads started on demand, never more than asked, jobs run in submission order.
#include "mcp/worker_pool.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <vector>

using dbmcp::mcp::WorkerPool;

TEST_SUITE("mcp::worker_pool")
{
  TEST_CASE("WorkerPool: no thread before the first job; a free thread takes the next one")
  {
    WorkerPool pool(4);
    CHECK(pool.threads_started() == 0);
    std::atomic<int> ran{0};
    pool.submit([&] { ++ran; });
    pool.wait_idle();
    CHECK(pool.threads_started() == 1);
    pool.submit([&] { ++ran; });
    pool.wait_idle();
    CHECK(pool.threads_started() == 1); // the first thread was free
    CHECK(ran == 2);
  }

  TEST_CASE("WorkerPool: busy threads get company up to the limit, and no further")
  {
    WorkerPool pool(2);
    std::mutex mutex;
    std::condition_variable changed;
    bool released = false;
    std::vector<int> order;
    auto blocked = [&](int n) {
      return [&, n] {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return released; });
        order.push_back(n);
      };
    };
    for (int n = 0; n < 5; ++n) {
      pool.submit(blocked(n));
    }
    CHECK(pool.threads_started() == 2);
    {
      std::lock_guard lock(mutex);
      released = true;
    }
    changed.notify_all();
    pool.wait_idle();
    CHECK(order.size() == 5);
    CHECK(pool.threads_started() == 2);
  }
}
