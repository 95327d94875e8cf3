#pragma once

#include "mcp/server.hpp"
#include "mcp/session.hpp"
#include "tools/registry.hpp"
#include "tools/resources.hpp"

namespace dbmcp::mcp {

// What the method handlers of one Server work with.
struct Services
{
  const tools::Registry& tools;
  const tools::Resources* resources;  // null: no resources or completions
  const ServerOptions& options;
  Session& session;
};

} // namespace dbmcp::mcp
