#pragma once

#include "transport/line_writer.hpp"
#include "util/json.hpp"

#include <functional>

namespace dbmcp::mcp {

// Sends JSON-RPC messages, one whole line each, from any thread.
class Outbox
{
public:
  explicit Outbox(transport::LineWriter& writer) : m_writer(writer) {}

  void send(const Json& message);
  // Sends `message` only if `wanted()` is still true at the moment of writing (checked under the
  // writer's lock).
  void send_if(const std::function<bool()>& wanted, const Json& message);

private:
  transport::LineWriter& m_writer;
};

} // namespace dbmcp::mcp
