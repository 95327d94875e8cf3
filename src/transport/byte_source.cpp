#include "transport/byte_source.hpp"

#include <cerrno>
#include <istream>
#include <system_error>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace dbmcp::transport {

size_t StreamSource::read(char* buffer, size_t capacity)
{
  std::streambuf* buf = m_in.rdbuf();
  size_t count = 0;
  while (count < capacity) {
    // Take what is already buffered in one go, up to the first newline.
    const std::streamsize available = buf->in_avail();
    if (count > 0 && available <= 0) {
      break;
    }
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      m_in.setstate(std::ios::eofbit);
      break;
    }
    buffer[count++] = static_cast<char>(c);
    if (c == '\n') {
      break;
    }
  }
  return count;
}

size_t FdSource::read(char* buffer, size_t capacity)
{
  for (;;) {
    pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, m_wake_fd >= 0 ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR) {
        continue;
      }
      return 0;
    }
    if (m_wake_fd >= 0 && (fds[1].revents & POLLIN)) {
      return 0;
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
      const ssize_t got = ::read(m_fd, buffer, capacity);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) {
        continue;
      }
      return got > 0 ? static_cast<size_t>(got) : 0;
    }
  }
}

WakePipe::WakePipe()
{
  if (::pipe(m_fds) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe");
  }
  for (const int fd : m_fds) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  ::fcntl(m_fds[1], F_SETFL, O_NONBLOCK);
}

WakePipe::~WakePipe()
{
  for (const int fd : m_fds) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void WakePipe::wake() noexcept
{
  const char byte = 1;
  [[maybe_unused]] const ssize_t ignored = ::write(m_fds[1], &byte, 1);
}

} // namespace dbmcp::transport
