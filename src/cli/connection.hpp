#pragma once

#include "config/config.hpp"
#include "policy/policy.hpp"
#include "store/options.hpp"
#include "store/store.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace dbmcp::cli {

// The flags that choose and shape the database connection, shared by every subcommand that
// opens one. Empty / negative values mean "not given on the command line".
struct ConnectionFlags
{
  std::string db;
  bool read_only = false;
  std::vector<std::string> tables;
  std::vector<std::string> exclude_tables;
  std::string key_prefix;
  int pool_min = -1;
  int pool_max = -1;
  double pool_timeout_s = -1;
  double statement_timeout_s = -1;
  std::string env_file;
  std::string secrets_dir;
  bool create = false; // SQLite: create a missing file (always for the default database and init)
  bool wal = false;    // SQLite: switch an existing file to WAL
  // The query-result cache, resolved with the connection (env DB_CACHE, DB_CACHE_TTL, DB_CACHE_MAX_BYTES).
  std::string cache;
  int64_t cache_ttl_s = -1;
  int64_t cache_max_bytes = -1;
  // The audit trail's file (env DB_AUDIT); "none" or empty for none.
  std::string audit;
  // The access policy file (env DB_POLICY); empty for none.
  std::string policy;
};

// Adds --db, --read-only, --tables, --exclude-tables, --key-prefix, --pool-*, --statement-timeout,
// --env-file, --secrets-dir, --create, --wal, --cache*, --audit and --policy to `app`.
void add_connection_flags(CLI::App& app, ConnectionFlags& flags);

// Every setting with its source, for `dbmcp config`; throws Fatal (exit 2) for an invalid one.
config::Resolved resolve_configuration(const ConnectionFlags& flags);

// Resolves flags > environment > .env > secrets > defaults (config/) into store options, and
// checks that a backend serves the URL. The tables the access policy hides are hidden from the
// catalog (policy::merged_visibility); a policy on a key-value backend is refused. `options.create` is set for the default database and
// with --create. Throws Fatal (exit 2) for an invalid setting; opens nothing.
store::StoreOptions resolve_store_options(const ConnectionFlags& flags);

// The query-result cache settings (flags > environment > .env > secrets > defaults); throws Fatal
// (exit 2) for an invalid one.
config::CacheSettings resolve_cache_settings(const ConnectionFlags& flags);

// The audit trail's file (flags > environment > .env > secrets), or "" when there is none.
std::string resolve_audit_path(const ConnectionFlags& flags);

// The access policy --policy (or DB_POLICY) names, with --read-only folded in. Without a policy
// file, the policy --tables, --exclude-tables and --read-only stand for (policy::shorthand_policy;
// the store options hide the same tables), so every guarantee of a policy holds for them too;
// nullptr when none of those is given, or the database stores key values (Redis).
// Throws Fatal (exit 2) with one line naming the file, the key and the line of what is wrong.
// The file is read once per process: later calls with the same file share the first reading.
std::shared_ptr<const policy::Policy> resolve_policy(const ConnectionFlags& flags);

// Opens the store now, under `policy` when there is one; throws Fatal (exit 1) when the database
// cannot be opened or read, with a message naming the database (password redacted).
std::unique_ptr<store::Store> open_store(const store::StoreOptions& options,
                                         std::shared_ptr<const policy::Policy> policy = nullptr);

// A store that connects on first use (what the server runs on), under `policy` when there is one:
// a database it cannot reach is a StoreError (unavailable) naming the database, thrown by the call
// that needed it and retried by the next one.
std::unique_ptr<store::Store> open_store_lazily(const store::StoreOptions& options,
                                                std::shared_ptr<const policy::Policy> policy = nullptr);

// How a failure to open `options`' database reads: `reason` and the redacted URL.
std::string connection_failure(const store::StoreOptions& options, const std::string& reason);

} // namespace dbmcp::cli
