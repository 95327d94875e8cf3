#include "audit/audit_log.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dbmcp::audit {

AuditLog::AuditLog(std::string path) : m_path(std::move(path))
{
  m_fd = ::open(m_path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (m_fd < 0) {
    throw AuditError(fmt::format("the audit file {} cannot be opened for appending: {}", m_path, std::strerror(errno)));
  }
  struct stat info{};
  if (::fstat(m_fd, &info) != 0) {
    const int error = errno;
    ::close(m_fd);
    throw AuditError(fmt::format("the audit file {} cannot be examined: {}", m_path, std::strerror(error)));
  }
  m_regular = S_ISREG(info.st_mode);
  if (m_regular && (info.st_mode & 077) != 0) {
    ::close(m_fd);
    throw AuditError(fmt::format("the audit file {} is readable or writable by others (mode {:04o}); "
                                 "restrict it with: chmod 600 {}",
                                 m_path, info.st_mode & 07777, m_path));
  }
  if (!m_regular && !S_ISFIFO(info.st_mode) && !S_ISCHR(info.st_mode)) {
    ::close(m_fd);
    throw AuditError(fmt::format("the audit file {} is not a regular file, a FIFO or a character device", m_path));
  }
}

AuditLog::~AuditLog()
{
  if (m_fd >= 0) {
    ::close(m_fd);
  }
}

void AuditLog::append(const Json& record, bool durable)
{
  std::string line = record.dump(-1, ' ', false, Json::error_handler_t::replace);
  line += '\n';
  std::lock_guard lock(m_mutex);
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(m_fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      throw AuditError(fmt::format("the audit record could not be written to {}: {}", m_path,
                                   n < 0 ? std::strerror(errno) : "nothing was written"));
    }
    written += static_cast<size_t>(n);
  }
  if (durable && m_regular && ::fdatasync(m_fd) != 0) {
    throw AuditError(fmt::format("the audit record could not be synced to {}: {}", m_path, std::strerror(errno)));
  }
}

} // namespace dbmcp::audit
