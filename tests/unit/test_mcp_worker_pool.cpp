// WorkerPool: threads started on demand, never more than asked, jobs run in submission order; serve()
// hands the reading turn on and runs the job read on the thread that read it.
#include "mcp/worker_pool.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

using dbmcp::mcp::ReadStep;
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

// serve(): the reading turn and the jobs it submits (leader/followers, issue 14).
TEST_SUITE("mcp::worker_pool serve")
{
  TEST_CASE("WorkerPool::serve: a job submitted while reading runs on the thread that read it, another thread reads on")
  {
    WorkerPool pool(2);
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::thread::id> readers;
    std::thread::id job_thread;
    bool second_read = false;
    bool job_saw_second_read = false;
    int at_end_calls = 0;
    const std::function<ReadStep()> read_one = [&] {
      std::unique_lock lock(mutex);
      readers.push_back(std::this_thread::get_id());
      if (readers.size() == 1) {
        pool.submit([&] {
          std::unique_lock inner(mutex);
          job_thread = std::this_thread::get_id();
          // The job holds its thread until the next message is read: the reading went on elsewhere.
          job_saw_second_read = changed.wait_for(inner, std::chrono::seconds(10), [&] { return second_read; });
        });
        return ReadStep::input_drained;
      }
      second_read = true;
      changed.notify_all();
      return ReadStep::ended;
    };
    const std::function<void()> at_end = [&] {
      pool.wait_idle();
      std::lock_guard lock(mutex);
      ++at_end_calls;
    };
    pool.serve(read_one, at_end);
    REQUIRE(readers.size() == 2);
    CHECK(job_thread == readers[0]);
    CHECK(readers[1] != readers[0]);
    CHECK(job_saw_second_read);
    CHECK(at_end_calls == 1);
    CHECK(pool.threads_started() == 1);  // the thread that took the reading over
  }

  TEST_CASE("WorkerPool::serve: with every slot busy a job is queued and the reading goes on")
  {
    WorkerPool pool(1);
    std::mutex mutex;
    std::condition_variable changed;
    int step = 0;
    bool released = false;
    bool first_released_in_time = false;
    int running = 0;
    int most_running = 0;
    std::vector<int> order;
    auto job = [&](int n) {
      return [&, n] {
        std::unique_lock lock(mutex);
        most_running = std::max(most_running, ++running);
        if (n == 0) {
          first_released_in_time = changed.wait_for(lock, std::chrono::seconds(10), [&] { return released; });
        }
        order.push_back(n);
        --running;
      };
    };
    const std::function<ReadStep()> read_one = [&] {
      std::lock_guard lock(mutex);
      switch (step++) {
        case 0:
          pool.submit(job(0));  // takes the one slot, and blocks until step 2
          return ReadStep::input_drained;
        case 1:
          pool.submit(job(1));  // no slot free: queued
          return ReadStep::input_drained;
        case 2:
          released = true;  // read while job 0 still holds the only slot
          changed.notify_all();
          return ReadStep::input_drained;
        default:
          return ReadStep::ended;
      }
    };
    const std::function<void()> at_end = [&] { pool.wait_idle(); };
    pool.serve(read_one, at_end);
    CHECK(first_released_in_time);
    CHECK(order == std::vector<int>{0, 1});
    CHECK(most_running == 1);
    CHECK(pool.threads_started() == 1);
  }

  TEST_CASE("WorkerPool::serve: with more input buffered a job is queued for another thread and the reading goes on")
  {
    WorkerPool pool(2);
    std::mutex mutex;
    std::condition_variable changed;
    int step = 0;
    std::thread::id first_reader;
    std::thread::id second_reader;
    std::thread::id job_thread;
    bool read_on = false;
    bool job_saw_read_on = false;
    const std::function<ReadStep()> read_one = [&] {
      std::lock_guard lock(mutex);
      switch (step++) {
        case 0:
          first_reader = std::this_thread::get_id();
          pool.submit([&] {
            std::unique_lock inner(mutex);
            job_thread = std::this_thread::get_id();
            job_saw_read_on = changed.wait_for(inner, std::chrono::seconds(10), [&] { return read_on; });
          });
          return ReadStep::input_buffered;  // the next line is already there: no hand-off
        case 1:
          second_reader = std::this_thread::get_id();
          read_on = true;
          changed.notify_all();
          return ReadStep::input_drained;
        default:
          return ReadStep::ended;
      }
    };
    const std::function<void()> at_end = [&] { pool.wait_idle(); };
    pool.serve(read_one, at_end);
    CHECK(job_saw_read_on);
    CHECK(second_reader == first_reader);  // the reading stayed on its thread
    CHECK(job_thread != first_reader);     // and the job went to a pool thread
    CHECK(pool.threads_started() == 1);
  }

  TEST_CASE("WorkerPool::serve: what read_one throws ends the reading and is rethrown once the jobs are done")
  {
    WorkerPool pool(2);
    std::atomic<int> ran{0};
    bool idle_at_end = false;
    int reads = 0;
    const std::function<ReadStep()> read_one = [&]() -> ReadStep {
      if (++reads == 1) {
        pool.submit([&] { ++ran; });
        throw std::runtime_error("read failed");
      }
      return ReadStep::input_drained;
    };
    const std::function<void()> at_end = [&] {
      pool.wait_idle();
      idle_at_end = ran == 1;
    };
    CHECK_THROWS_AS(pool.serve(read_one, at_end), std::runtime_error);
    CHECK(reads == 1);
    CHECK(idle_at_end);
  }
}
