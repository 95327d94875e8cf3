#include "transport/line_writer.hpp"

#include <ostream>

namespace dbmcp::transport {

bool LineWriter::write_line(std::string_view line)
{
  std::unique_lock lock(m_mutex);
  return queue_and_write(lock, line);
}

bool LineWriter::queue_and_write(std::unique_lock<std::mutex>& lock, std::string_view line)
{
  m_queued.append(line);
  m_queued.push_back('\n');
  const uint64_t mine = ++m_lines_queued;
  while (m_lines_written < mine) {
    if (m_busy) {
      m_written_more.wait(lock);
      continue;
    }
    m_busy = true;
    m_writing.clear();
    m_writing.swap(m_queued);
    const uint64_t through = m_lines_queued;
    lock.unlock();
    m_out.write(m_writing.data(), static_cast<std::streamsize>(m_writing.size()));
    m_out.flush();
    const bool ok = static_cast<bool>(m_out);
    lock.lock();
    m_ok = ok;
    m_lines_written = through;
    m_busy = false;
    m_written_more.notify_all();
  }
  return m_ok;
}

} // namespace dbmcp::transport
