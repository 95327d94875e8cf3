#include "cli/connection.hpp"

#include "backends/factory.hpp"
#include "util/fatal.hpp"

#include <fmt/format.h>


namespace dbmcp::cli {

void add_connection_flags(CLI::App& app, ConnectionFlags& flags)
{
  app.add_option("--db", flags.db, "Database URL: sqlite:PATH, a bare path, postgresql://…  (env DATABASE_URL)")
      ->option_text("URL");
  app.add_flag("--read-only", flags.read_only, "Open the database read-only; write tools are not offered");
  app.add_option("--tables", flags.tables, "Only expose these tables (comma-separated)")->delimiter(',');
  app.add_option("--exclude-tables", flags.exclude_tables, "Hide these tables (comma-separated)")->delimiter(',');
  app.add_option("--pool-min", flags.pool_min, "Minimum pooled connections (default 1; env DB_MIN_POOL_SIZE)");
  app.add_option("--pool-max", flags.pool_max, "Maximum pooled connections (default 10; env DB_MAX_POOL_SIZE)");
  app.add_option("--pool-timeout", flags.pool_timeout_s, "Seconds to wait for a pooled connection (default 5; env DB_POOL_TIMEOUT)");
  app.add_option("--statement-timeout", flags.statement_timeout_s, "Seconds a statement may run (default: no limit; env DB_STATEMENT_TIMEOUT)");
  app.add_option("--env-file", flags.env_file, "Read settings from this .env file (default ./.env if present)");
  app.add_option("--secrets-dir", flags.secrets_dir, "Read secrets from this directory (default /run/secrets)");
}

namespace {

// The flags that have a value, keyed by the environment name of their setting.
config::Values flag_values(const ConnectionFlags& flags)
{
  config::Values values;
  const auto number = [](double value) { return fmt::format("{}", value); };
  if (!flags.db.empty()) {
    values["DATABASE_URL"] = flags.db;
  }
  if (flags.pool_min >= 0) {
    values["DB_MIN_POOL_SIZE"] = std::to_string(flags.pool_min);
  }
  if (flags.pool_max >= 0) {
    values["DB_MAX_POOL_SIZE"] = std::to_string(flags.pool_max);
  }
  if (flags.pool_timeout_s >= 0) {
    values["DB_POOL_TIMEOUT"] = number(flags.pool_timeout_s);
  }
  if (flags.statement_timeout_s >= 0) {
    values["DB_STATEMENT_TIMEOUT"] = number(flags.statement_timeout_s);
  }
  return values;
}

} // namespace

config::Resolved resolve_configuration(const ConnectionFlags& flags)
{
  return config::resolve(config::inputs_from_process(flag_values(flags), flags.env_file, flags.secrets_dir));
}

store::StoreOptions resolve_store_options(const ConnectionFlags& flags)
{
  store::StoreOptions options = resolve_configuration(flags).options;
  options.read_only = flags.read_only;
  options.visibility = {flags.tables, flags.exclude_tables};
  return options;
}

std::unique_ptr<store::Store> open_store(const store::StoreOptions& options)
{
  try {
    return backends::open_store(options);
  } catch (const store::StoreError& e) {
    throw Fatal(e.what(), e.code() == store::ErrorCode::invalid_argument ? 2 : 1);
  }
}

} // namespace dbmcp::cli
