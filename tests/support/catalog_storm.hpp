#pragma once

#include "support/process.hpp"

#include <string>

namespace dbmcp::test {

// SQL creating `count` small tables t0 … t{count-1}: a wide catalog makes every walk over it slow
// enough for a concurrent refresh to land in the middle.
std::string many_tables_sql(int count);

// Writes `count` requests to a running server without waiting — list_tables with and without
// `refresh`, resources/list and completion/complete, interleaved — then checks that each is
// answered once, without an error, and that the server still answers afterwards. Before the fix
// for issue 15 #1 this crashed the server (a schema freed by a refresh while another request
// walked it).
void refresh_storm(Process& server, int count);

} // namespace dbmcp::test
