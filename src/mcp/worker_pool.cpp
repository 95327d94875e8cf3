#include "mcp/worker_pool.hpp"

#include <algorithm>

namespace dbmcp::mcp {

WorkerPool::WorkerPool(unsigned threads) : m_max_jobs(std::max(threads, 1u))
{
  m_threads.reserve(m_max_jobs);
}

WorkerPool::~WorkerPool()
{
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  for (auto& thread : m_threads) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void WorkerPool::serve(const std::function<ReadStep()>& read_one, const std::function<void()>& at_end)
{
  Lock lock(m_mutex);
  m_read_one = &read_one;
  m_at_end = &at_end;
  member(lock);
  lock.unlock();
  // The reading has ended, so no thread starts any more: m_threads no longer changes.
  for (auto& thread : m_threads) {
    thread.join();
  }
  if (m_error) {
    std::rethrow_exception(m_error);
  }
}

void WorkerPool::submit(std::function<void()> job)
{
  bool wake = false;
  {
    std::lock_guard lock(m_mutex);
    if (m_reading && !m_handoff && m_reader == std::this_thread::get_id()) {
      m_handoff = std::move(job);  // read_turn() decides where it runs once the reading step is over
      return;
    }
    wake = queue_job(std::move(job));
  }
  if (wake) {
    m_wake.notify_one();
  }
}

void WorkerPool::wait_idle()
{
  Lock lock(m_mutex);
  m_idle.wait(lock, [this] { return idle(); });
}

bool WorkerPool::wait_idle_for(std::chrono::milliseconds timeout)
{
  Lock lock(m_mutex);
  return m_idle.wait_for(lock, timeout, [this] { return idle(); });
}

size_t WorkerPool::threads_started()
{
  std::lock_guard lock(m_mutex);
  return m_threads.size();
}

bool WorkerPool::queue_job(std::function<void()> job)
{
  m_jobs.push_back(std::move(job));
  // Each waiting or starting thread takes one queued job; a job beyond them gets a new thread.
  if (m_jobs.size() > m_waiting + m_starting && m_threads.size() < m_max_jobs) {
    start_thread();
  }
  return m_waiting > 0;
}

void WorkerPool::start_thread()
{
  ++m_starting;
  m_threads.emplace_back([this] {
    Lock lock(m_mutex);
    --m_starting;
    member(lock);
  });
}

void WorkerPool::member(Lock& lock)
{
  for (;;) {
    if (m_read_one && !m_reading && !m_input_ended) {
      read_turn(lock);
      continue;
    }
    if (!m_jobs.empty() && m_running < m_max_jobs) {
      auto job = std::move(m_jobs.front());
      m_jobs.pop_front();
      ++m_running;
      lock.unlock();
      run_job(lock, job);
      continue;
    }
    if (m_jobs.empty() && (m_stopping || m_input_ended)) {
      return;
    }
    ++m_waiting;
    m_wake.wait(lock);
    --m_waiting;
  }
}

void WorkerPool::read_turn(Lock& lock)
{
  m_reading = true;
  for (;;) {
    m_reader = std::this_thread::get_id();
    lock.unlock();
    ReadStep step = ReadStep::ended;
    std::exception_ptr error;
    try {
      step = (*m_read_one)();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    m_reader = std::thread::id();
    auto job = std::move(m_handoff);
    m_handoff = nullptr;
    if (step == ReadStep::ended) {
      m_error = error;
      const bool wake = job && queue_job(std::move(job));
      lock.unlock();
      if (wake) {
        m_wake.notify_one();
      }
      (*m_at_end)();
      lock.lock();
      m_input_ended = true;
      m_reading = false;
      lock.unlock();
      m_wake.notify_all();  // the waiting threads see the end and return
      lock.lock();
      return;
    }
    if (!job) {
      continue;  // the message was served during the reading step: read the next one
    }
    // No input waiting, a free slot and a thread to take the turn over: hand the turn on and run
    // the job here.
    if (step == ReadStep::input_drained && m_running < m_max_jobs &&
        (m_waiting + m_starting > 0 || m_threads.size() < m_max_jobs)) {
      ++m_running;
      m_reading = false;
      const bool wake = m_waiting > 0;
      if (!wake && m_starting == 0) {
        start_thread();
      }
      lock.unlock();
      if (wake) {
        m_wake.notify_one();
      }
      run_job(lock, job);
      return;
    }
    // More input to read, or every slot taken: the job waits in the queue for a pool thread, and
    // this thread goes on reading.
    if (queue_job(std::move(job))) {
      lock.unlock();
      m_wake.notify_one();
      lock.lock();
    }
  }
}

void WorkerPool::run_job(Lock& lock, std::function<void()>& job)
{
  job();
  job = nullptr;  // destroy what it captured outside the lock
  lock.lock();
  --m_running;
  if (idle()) {
    m_idle.notify_all();
  }
  if (m_jobs.empty() && (m_stopping || m_input_ended) && m_waiting > 0) {
    m_wake.notify_all();  // nothing more to run: the waiting threads may return
  }
}

} // namespace dbmcp::mcp
