#pragma once

namespace dbmcp::cli {

// Parses the command line and runs the subcommand (serve when none is given).
// Returns the process exit code: 0 success, 1 failure (tool error, unhealthy), 2 usage or
// configuration error.
int run(int argc, char** argv);

} // namespace dbmcp::cli
