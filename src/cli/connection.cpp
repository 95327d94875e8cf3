#include "cli/connection.hpp"

#include "backends/factory.hpp"
#include "util/fatal.hpp"

#include <cstdlib>
#include <filesystem>

namespace dbmcp::cli {

void add_connection_flags(CLI::App& app, ConnectionFlags& flags)
{
  app.add_option("--db", flags.db, "Database URL: sqlite:PATH, a bare path, postgresql://…  (env DATABASE_URL)")
      ->option_text("URL");
  app.add_flag("--read-only", flags.read_only, "Open the database read-only; write tools are not offered");
  app.add_option("--tables", flags.tables, "Only expose these tables (comma-separated)")->delimiter(',');
  app.add_option("--exclude-tables", flags.exclude_tables, "Hide these tables (comma-separated)")->delimiter(',');
  app.add_option("--pool-min", flags.pool_min, "Minimum pooled connections (default 1)");
  app.add_option("--pool-max", flags.pool_max, "Maximum pooled connections (default 10)");
  app.add_option("--pool-timeout", flags.pool_timeout_s, "Seconds to wait for a pooled connection (default 5)");
  app.add_option("--statement-timeout", flags.statement_timeout_s, "Seconds a statement may run (default: no limit)");
  app.add_option("--env-file", flags.env_file, "Read settings from this .env file (default ./.env if present)");
  app.add_option("--secrets-dir", flags.secrets_dir, "Read secrets from this directory (default /run/secrets)");
}

namespace {

std::string default_database_path()
{
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::filesystem::path(home) / ".local" / "share";
  } else {
    base = ".";
  }
  std::filesystem::create_directories(base / "dbmcp");
  return (base / "dbmcp" / "dbmcp.db").string();
}

} // namespace

store::StoreOptions resolve_store_options(const ConnectionFlags& flags)
{
  store::StoreOptions options;
  if (!flags.db.empty()) {
    options.url = flags.db;
  } else if (const char* url = std::getenv("DATABASE_URL"); url && *url) {
    options.url = url;
  } else {
    options.url = default_database_path();
  }
  options.read_only = flags.read_only;
  options.visibility = {flags.tables, flags.exclude_tables};
  if (flags.pool_min >= 0) {
    options.pool_min = flags.pool_min;
  }
  if (flags.pool_max >= 0) {
    options.pool_max = flags.pool_max;
  }
  if (flags.pool_timeout_s >= 0) {
    options.pool_timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.pool_timeout_s * 1000));
  }
  if (flags.statement_timeout_s >= 0) {
    options.statement_timeout = std::chrono::milliseconds(static_cast<int64_t>(flags.statement_timeout_s * 1000));
  }
  if (options.pool_max < options.pool_min || options.pool_max < 1) {
    throw Fatal("--pool-max must be at least 1 and at least --pool-min");
  }
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
