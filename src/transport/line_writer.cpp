#include "transport/line_writer.hpp"

#include <ostream>

namespace dbmcp::transport {

bool LineWriter::write_line(std::string_view line)
{
  std::lock_guard lock(m_mutex);
  return write_locked(line);
}

bool LineWriter::write_locked(std::string_view line)
{
  m_out.write(line.data(), static_cast<std::streamsize>(line.size()));
  m_out.put('\n');
  m_out.flush();
  return static_cast<bool>(m_out);
}

} // namespace dbmcp::transport
