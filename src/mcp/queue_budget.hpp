#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>

namespace dbmcp::mcp {

// Bounds the bytes of input lines that are read but not yet served (issue 15
// #11): the reader reserves a line's size before it parses and dispatches the
// line, and the reservation lives as long as the work for that line (queued or
// running on a worker). When the budget is spent, reserve() blocks, so the
// reader stops reading and the client's writes wait in the pipe instead of in
// our memory. A line larger than the whole budget is still accepted, alone: it
// waits until nothing else is reserved. Thread-safe.
//
// The budget counts line bytes; the parsed form of a line costs a few times
// more, so the memory held by pending work stays within a small multiple of the
// budget.
class QueueBudget {
public:
  // Releases its bytes when destroyed; jobs share it through a shared_ptr.
  class Reservation {
  public:
    Reservation(QueueBudget &budget, size_t bytes)
        : m_budget(budget), m_bytes(bytes) {}
    ~Reservation() { m_budget.release(m_bytes); }
    Reservation(const Reservation &) = delete;
    Reservation &operator=(const Reservation &) = delete;

  private:
    QueueBudget &m_budget;
    size_t m_bytes;
  };
  using Hold = std::shared_ptr<const Reservation>;

  // `limit` bytes at most (0: unbounded). `stopping`, when given, makes a
  // blocked reserve() give up (it is polled: a signal handler sets it and
  // cannot notify).
  explicit QueueBudget(size_t limit,
                       const std::atomic<bool> *stopping = nullptr);

  // Reserves `bytes`, blocking while they do not fit. Returns null only when
  // `stopping` was set.
  Hold reserve(size_t bytes);
  // Reserves `bytes` when they fit now; null otherwise.
  Hold try_reserve(size_t bytes);

  size_t used() const;
  size_t limit() const { return m_limit; }

private:
  bool fits(size_t bytes) const {
    return m_limit == 0 || m_used == 0 || m_used + bytes <= m_limit;
  }
  void release(size_t bytes);

  size_t m_limit;
  const std::atomic<bool> *m_stopping;
  mutable std::mutex m_mutex;
  std::condition_variable m_freed;
  size_t m_used = 0;
};

} // namespace dbmcp::mcp
