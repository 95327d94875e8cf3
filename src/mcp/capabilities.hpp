#pragma once

#include "mcp/services.hpp"
#include "mcp/versions.hpp"
#include "util/json.hpp"

namespace dbmcp::mcp {

// The server capabilities for a revision: tools; resources and completions when there are
// resources (completions from 2025-03-26); logging in the legacy era only.
Json server_capabilities(const Services& services, const Features& features);

// The server's Implementation object {name, version, title (2025-06-18 and later)}.
Json server_info(const ServerOptions& options, const Features& features);

} // namespace dbmcp::mcp
