#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dbmcp::mcp {

// Up to a fixed number of threads running submitted jobs in submission order. Jobs must not
// throw. A thread starts when a job is submitted and no started thread is free to take it (none
// before the first job); started threads stay until the pool is destroyed.
class WorkerPool
{
public:
  explicit WorkerPool(unsigned threads);  // at most `threads` threads, at least one
  ~WorkerPool();                          // runs the queued jobs, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void submit(std::function<void()> job);
  // Blocks until no job is queued or running.
  void wait_idle();
  // Like wait_idle() for at most `timeout`; true when idle.
  bool wait_idle_for(std::chrono::milliseconds timeout);
  // The threads started so far.
  size_t threads_started();

private:
  void run();

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_idle;
  std::deque<std::function<void()>> m_jobs;
  unsigned m_running = 0;
  unsigned m_waiting = 0;  // started threads waiting for a job
  const unsigned m_max_threads;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;
};

} // namespace dbmcp::mcp
