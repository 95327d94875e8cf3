#pragma once

#include "util/json.hpp"

#include <mutex>
#include <stdexcept>
#include <string>

namespace dbmcp::audit {

// The audit file could not be opened or written; what() says which file and why.
class AuditError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

// An append-only JSON Lines file, one record a line. Thread-safe: each record goes out in one
// write under a lock, so lines never interleave within this process (and O_APPEND keeps each
// write whole against other processes appending to a regular file).
class AuditLog
{
public:
  // Opens `path` for appending, creating it with mode 0600. A regular file that exists with any
  // permission for group or others is refused (the trail holds what clients asked for); a FIFO or
  // a character device (a log shipper's pipe, /dev/stderr) is accepted as it is. Throws
  // AuditError naming the file when it cannot be opened or is refused.
  explicit AuditLog(std::string path);
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Writes `record` as one line with write(2) (no user-space buffer: once this returns, the line
  // survives a crash of this process); with `durable`, also fdatasync()s a regular file so the line
  // survives a crash of the machine. Throws AuditError when the line could not be written whole.
  void append(const Json& record, bool durable);

  const std::string& path() const { return m_path; }

private:
  std::string m_path;
  int m_fd = -1;
  bool m_regular = false;
  std::mutex m_mutex;
};

} // namespace dbmcp::audit
