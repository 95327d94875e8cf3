#include "mcp/outbox.hpp"

#include "jsonrpc/message.hpp"

namespace dbmcp::mcp {

void Outbox::send(const Json& message)
{
  m_writer.write_line(jsonrpc::serialise(message));
}

void Outbox::send_if(const std::function<bool()>& wanted, const Json& message)
{
  m_writer.write_line_if(wanted, jsonrpc::serialise(message));
}

} // namespace dbmcp::mcp
