#pragma once

#include <iosfwd>
#include <mutex>
#include <string_view>

namespace dbmcp::transport {

// Writes whole lines to a stream from any thread: each line and its newline go out under one
// mutex and are flushed at once, so lines never interleave. Knows nothing of their content.
class LineWriter
{
public:
  explicit LineWriter(std::ostream& out) : m_out(out) {}

  // Writes `line` (which must not contain '\n') and a newline; false when the stream failed.
  bool write_line(std::string_view line);

  // Writes `line` only when `wanted()` returns true, calling it under the writer's lock: the
  // check (e.g. "is this request still wanted?") and the write are atomic with respect to other
  // lines. Returns false when not wanted or when the stream failed.
  template <typename F>
  bool write_line_if(F&& wanted, std::string_view line)
  {
    std::lock_guard lock(m_mutex);
    if (!wanted()) {
      return false;
    }
    return write_locked(line);
  }

private:
  bool write_locked(std::string_view line);

  std::ostream& m_out;
  std::mutex m_mutex;
};

} // namespace dbmcp::transport
