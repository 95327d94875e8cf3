#pragma once

#include "config/config.hpp"
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
  int pool_min = -1;
  int pool_max = -1;
  double pool_timeout_s = -1;
  double statement_timeout_s = -1;
  std::string env_file;
  std::string secrets_dir;
};

// Adds --db, --read-only, --tables, --exclude-tables, --pool-*, --statement-timeout,
// --env-file and --secrets-dir to `app`.
void add_connection_flags(CLI::App& app, ConnectionFlags& flags);

// Every setting with its source, for `dbmcp config`; throws Fatal (exit 2) for an invalid one.
config::Resolved resolve_configuration(const ConnectionFlags& flags);

// Resolves flags > environment > .env > secrets > defaults (config/) into store options.
// Throws Fatal (exit 2) for an invalid setting.
store::StoreOptions resolve_store_options(const ConnectionFlags& flags);

// Opens the store; throws Fatal (exit 1) when the database cannot be reached, (exit 2) when
// the URL is invalid.
std::unique_ptr<store::Store> open_store(const store::StoreOptions& options);

} // namespace dbmcp::cli
