#pragma once

#include <condition_variable>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace dbmcp::transport {

// Writes whole lines to a stream from any thread; lines never interleave. A line is queued under
// a mutex; the first thread to find no write under way writes every queued line and flushes,
// outside the mutex, while other threads queue the next lines (written together by the next
// writer). Each call returns once its own line has been written and flushed. Knows nothing of the
// lines' content.
class LineWriter
{
public:
  explicit LineWriter(std::ostream& out) : m_out(out) {}

  // Writes `line` (which must not contain '\n') and a newline; false when the stream failed.
  bool write_line(std::string_view line);

  // Writes `line` only when `wanted()` returns true, calling it under the writer's lock: the
  // check (e.g. "is this request still wanted?") and the queueing are atomic with respect to
  // other lines. Returns false when not wanted or when the stream failed.
  template <typename F>
  bool write_line_if(F&& wanted, std::string_view line)
  {
    std::unique_lock lock(m_mutex);
    if (!wanted()) {
      return false;
    }
    return queue_and_write(lock, line);
  }

private:
  // Queues `line` and returns once it is written; `lock` holds m_mutex on entry and on return.
  bool queue_and_write(std::unique_lock<std::mutex>& lock, std::string_view line);

  std::ostream& m_out;
  std::mutex m_mutex;
  std::condition_variable m_written_more;
  std::string m_queued;          // lines waiting for the next write
  std::string m_writing;         // the lines being written (its capacity reused)
  uint64_t m_lines_queued = 0;   // lines ever queued
  uint64_t m_lines_written = 0;  // lines ever written (and flushed, or failed)
  bool m_busy = false;           // a thread is writing m_writing outside the mutex
  bool m_ok = true;              // the stream's state after the last write
};

} // namespace dbmcp::transport
