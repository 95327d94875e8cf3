#include "mcp/worker_pool.hpp"

#include <algorithm>

namespace dbmcp::mcp {

WorkerPool::WorkerPool(unsigned threads) : m_max_threads(std::max(threads, 1u))
{
  m_threads.reserve(m_max_threads);
}

WorkerPool::~WorkerPool()
{
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  for (auto& thread : m_threads) {
    thread.join();
  }
}

void WorkerPool::submit(std::function<void()> job)
{
  {
    std::lock_guard lock(m_mutex);
    m_jobs.push_back(std::move(job));
    // Each waiting thread takes one queued job; a job beyond them gets a new thread.
    if (m_jobs.size() > m_waiting && m_threads.size() < m_max_threads) {
      m_threads.emplace_back([this] { run(); });
    }
  }
  m_wake.notify_one();
}

void WorkerPool::wait_idle()
{
  std::unique_lock lock(m_mutex);
  m_idle.wait(lock, [this] { return m_jobs.empty() && m_running == 0; });
}

bool WorkerPool::wait_idle_for(std::chrono::milliseconds timeout)
{
  std::unique_lock lock(m_mutex);
  return m_idle.wait_for(lock, timeout, [this] { return m_jobs.empty() && m_running == 0; });
}

size_t WorkerPool::threads_started()
{
  std::lock_guard lock(m_mutex);
  return m_threads.size();
}

void WorkerPool::run()
{
  std::unique_lock lock(m_mutex);
  for (;;) {
    ++m_waiting;
    m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
    --m_waiting;
    if (m_jobs.empty()) {
      return;  // stopping, and nothing left to run
    }
    auto job = std::move(m_jobs.front());
    m_jobs.pop_front();
    ++m_running;
    lock.unlock();
    job();
    job = nullptr;  // destroy what it captured outside the lock
    lock.lock();
    --m_running;
    if (m_jobs.empty() && m_running == 0) {
      m_idle.notify_all();
    }
  }
}

} // namespace dbmcp::mcp
