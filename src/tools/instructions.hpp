#pragma once

#include "tools/registry.hpp"

#include <string>

namespace dbmcp::tools {

// The server's instructions to the model (initialize / server/discover) for the tools `registry`
// offers: it names only those tools, so under --read-only it never suggests a write, and says
// once that row values are data, not instructions.
std::string make_instructions(const Registry& registry);

} // namespace dbmcp::tools
