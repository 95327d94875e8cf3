#pragma once

#include <atomic>
#include <cstddef>
#include <iosfwd>

namespace dbmcp::transport {

// Where a LineReader gets its bytes from. Implementations block until at least one byte is
// available, the input ends, or they are interrupted.
class ByteSource
{
public:
  virtual ~ByteSource() = default;
  // Reads up to `capacity` bytes into `buffer`; returns how many, and 0 only at end of input
  // (or when interrupted, which the reader treats the same way).
  virtual size_t read(char* buffer, size_t capacity) = 0;
};

// Bytes from an std::istream. Reads at most up to and including the next newline per call, so
// that an interactive stream never blocks past a complete line.
class StreamSource final : public ByteSource
{
public:
  explicit StreamSource(std::istream& in) : m_in(in) {}
  size_t read(char* buffer, size_t capacity) override;

private:
  std::istream& m_in;
};

// Bytes from a file descriptor, waiting with poll() on it and on `wake_fd`: once `wake_fd`
// becomes readable (see WakePipe) read() returns 0 as if the input had ended.
class FdSource final : public ByteSource
{
public:
  FdSource(int fd, int wake_fd) : m_fd(fd), m_wake_fd(wake_fd) {}
  size_t read(char* buffer, size_t capacity) override;

private:
  int m_fd;
  int m_wake_fd;
};

// A self-pipe: wake() is async-signal-safe (one write(2)) and makes read_fd() readable for good.
class WakePipe
{
public:
  WakePipe();  // throws std::system_error when pipe(2) fails
  ~WakePipe();
  WakePipe(const WakePipe&) = delete;
  WakePipe& operator=(const WakePipe&) = delete;

  void wake() noexcept;
  int read_fd() const { return m_fds[0]; }

private:
  int m_fds[2] = {-1, -1};
};

} // namespace dbmcp::transport
