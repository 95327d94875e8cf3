#include "mcp/outbox.hpp"

#include "mcp/wire_format.hpp"

namespace dbmcp::mcp {

void Outbox::send(const Json& message)
{
  m_writer.write_line(serialise_message(message));
}

void Outbox::send_if(const std::function<bool()>& wanted, const Json& message)
{
  m_writer.write_line_if(wanted, serialise_message(message));
}

} // namespace dbmcp::mcp
