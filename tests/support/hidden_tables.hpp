#pragma once
// Shared by the SQLite and PostgreSQL e2e suites: tables hidden by --exclude-tables must not
// leak through metadata, hints or error messages (issue 15 #8).
#include "support/mcp_client.hpp"

#include <string>

namespace dbmcp::test {

// The schema: accounts (visible) references "Secrets" (hidden); secret_log (hidden) references
// accounts. Account 1 points at secret 1 and is referenced by a secret_log row.
// `quote` wraps the mixed-case name ("\"Secrets\"" on PostgreSQL, where it must be quoted).
std::string hidden_tables_sql(const std::string& secrets_name);

// Runs every check against a server started with `--exclude-tables secrets,SECRET_LOG`.
void check_hidden_tables_do_not_leak(McpClient& client);

} // namespace dbmcp::test
