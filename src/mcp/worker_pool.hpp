#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace dbmcp::mcp {

// What one reading step of WorkerPool::serve() did.
enum class ReadStep
{
  ended,          // the input has ended (or the pool is to stop reading)
  input_drained,  // a message was served and no more input is buffered
  input_buffered, // a message was served and more input is already buffered
};

// Up to a fixed number of jobs running at once, in submission order, on threads started on
// demand (none before the first job is submitted; started threads stay until the pool ends). Jobs
// must not throw.
//
// serve() makes the pool read its input as well, leader/followers style (issue 14): its threads
// take turns holding the reading turn, one at a time, each turn handed over under the pool's mutex
// so that what is read stays in order. A job submitted by the thread holding the turn (while it
// handles what it read) is not queued: once the reading step returns, that thread hands the turn
// to a free thread (waking one, or starting one) and runs the job itself, so that the wake-up is
// not on the way from the request to its response. Reading never waits for a job slot: when every
// slot is taken, or no thread can take the turn over, the job is queued and the thread keeps
// reading. So it is too when more input is already buffered (pipelined requests): the next line
// is read at once instead of after a woken thread gets a core. At most `threads` jobs run at once,
// on at most `threads` started threads plus the one that called serve().
class WorkerPool
{
public:
  explicit WorkerPool(unsigned threads);  // at most `threads` jobs at once, at least one
  ~WorkerPool();                          // runs the queued jobs, then joins
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs the calling thread as one of the pool's threads. The thread holding the reading turn calls
  // `read_one` (read one message and handle it, or find the end of input) again and again; the
  // first time it returns ReadStep::ended or throws, the same thread calls `at_end` (which must not
  // throw, and must return only once no job is queued or running: see wait_idle), and the reading
  // ends.
  // Returns when the reading has ended and every thread has stopped; rethrows what `read_one`
  // threw. Called once per pool.
  void serve(const std::function<ReadStep()>& read_one, const std::function<void()>& at_end);

  // Runs `job` on a pool thread: see the class comment for a job submitted while reading.
  void submit(std::function<void()> job);
  // Blocks until no job is queued or running.
  void wait_idle();
  // Like wait_idle() for at most `timeout`; true when idle.
  bool wait_idle_for(std::chrono::milliseconds timeout);
  // The threads started so far (not counting the one that called serve()).
  size_t threads_started();

private:
  using Lock = std::unique_lock<std::mutex>;

  // The loop of every pool thread: take the reading turn when it is free, else a queued job, else
  // wait; return once nothing is left to do.
  void member(Lock& lock);
  // Holds the reading turn until it is handed over (then runs the handed-off job) or the input ends.
  void read_turn(Lock& lock);
  // Runs `job` (counted in m_running) with `lock` released, destroys it, then re-takes the lock
  // and counts it done.
  void run_job(Lock& lock, std::function<void()>& job);
  // Queues `job`, starting a thread for it when no started thread is free; true when a waiting
  // thread should be woken (after unlocking).
  bool queue_job(std::function<void()> job);
  void start_thread();
  bool idle() const { return m_jobs.empty() && m_running == 0; }

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::condition_variable m_idle;
  std::deque<std::function<void()>> m_jobs;
  unsigned m_running = 0;   // jobs running, including a handed-off one about to run
  unsigned m_waiting = 0;   // started threads waiting for work
  unsigned m_starting = 0;  // threads started that have not yet looked for work
  const unsigned m_max_jobs;
  bool m_stopping = false;
  std::vector<std::thread> m_threads;

  // Reading (serve() only).
  const std::function<ReadStep()>* m_read_one = nullptr;
  const std::function<void()>* m_at_end = nullptr;
  bool m_reading = false;          // a thread holds the reading turn
  bool m_input_ended = false;
  std::thread::id m_reader;        // the thread holding the reading turn, while it reads
  std::function<void()> m_handoff; // the job submitted during the current reading step
  std::exception_ptr m_error;      // what read_one threw
};

} // namespace dbmcp::mcp
