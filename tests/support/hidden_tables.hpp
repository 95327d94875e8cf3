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

// The schema for check_excluded_tables_not_named_by_errors: wallets (visible) references
// vault_keys (hidden) through a constraint named after it, vault_log (hidden) references wallets,
// and a trigger on wallets refuses the name 'trip' with a message naming vault_keys. `trigger_sql`
// is the backend's form of that trigger. Wallet 1 is referenced by a vault_log row.
std::string excluded_tables_sql(const std::string& trigger_sql);
constexpr const char* k_sqlite_vault_trigger = R"sql(
CREATE TRIGGER wallets_guard BEFORE INSERT ON wallets WHEN NEW.name = 'trip'
BEGIN SELECT RAISE(ABORT, 'no matching row in vault_keys'); END;
)sql";
constexpr const char* k_postgres_vault_trigger = R"sql(
CREATE FUNCTION wallets_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.name = 'trip' THEN RAISE EXCEPTION 'no matching row in vault_keys'; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER wallets_guard BEFORE INSERT ON wallets FOR EACH ROW EXECUTE FUNCTION wallets_guard();
)sql";

// Runs against a server started with `--exclude-tables vault_keys,vault_log` and no policy file:
// the database's own errors (foreign keys to and from the hidden tables, the trigger) reach the
// model without their names, as under a policy file (the flags are shorthands of a policy).
void check_excluded_tables_not_named_by_errors(McpClient& client);

} // namespace dbmcp::test
