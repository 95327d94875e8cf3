#include "cli/connection.hpp"

#include "backends/factory.hpp"
#include "backends/info/backend_info.hpp"
#include "backends/lazy_store.hpp"
#include "policy/policy_file.hpp"
#include "policy/policy_check.hpp"
#include "policy/policy_store.hpp"
#include "policy/shorthand_policy.hpp"
#include "util/fatal.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <utility>
#include <chrono>

namespace dbmcp::cli {

namespace {

// "a bare path, sqlite:PATH, postgresql://…, …": each described backend's canonical URL form.
std::string url_forms()
{
  std::string forms = "a bare path";
  for (const auto* backend : backends::info::all()) {
    forms += fmt::format(", {}{}", backend->schemes.front(), backend->networked ? "://…" : ":PATH");
  }
  return forms;
}

} // namespace

void add_connection_flags(CLI::App& app, ConnectionFlags& flags)
{
  app.add_option("--db", flags.db, "Database URL: " + url_forms() + " (env DATABASE_URL; or DB_BACKEND and DB_*)")
      ->option_text("URL");
  app.add_flag("--read-only", flags.read_only, "Open the database read-only; write tools are not offered");
  app.add_option("--tables", flags.tables, "Only expose these tables (comma-separated)")->delimiter(',');
  app.add_option("--exclude-tables", flags.exclude_tables, "Hide these tables (comma-separated)")->delimiter(',');
  app.add_option("--key-prefix", flags.key_prefix,
                 "Redis: confine every key the tools read, write or scan to this prefix (e.g. app:)")
      ->option_text("PREFIX");
  app.add_option("--pool-min", flags.pool_min, "Minimum pooled connections (default 1; env DB_MIN_POOL_SIZE)");
  app.add_option("--pool-max", flags.pool_max, "Maximum pooled connections (default 10; env DB_MAX_POOL_SIZE)");
  app.add_option("--pool-timeout", flags.pool_timeout_s, "Seconds to wait for a pooled connection (default 5; env DB_POOL_TIMEOUT)");
  app.add_option("--statement-timeout", flags.statement_timeout_s, "Seconds a statement may run (default: no limit; env DB_STATEMENT_TIMEOUT)");
  app.add_option("--env-file", flags.env_file, "Read settings from this .env file (default ./.env if present)");
  app.add_option("--secrets-dir", flags.secrets_dir, "Read secrets from this directory (default /run/secrets)");
  app.add_flag("--create", flags.create,
               "SQLite: create the database file when it is missing (otherwise a missing file is an error)");
  app.add_flag("--wal", flags.wal,
               "SQLite: switch the database to WAL journal mode (kept in the file; new files get it anyway)");
  app.add_option("--cache", flags.cache,
                 "Cache read answers: memory (this process) or redis://host:6379/0 (shared; env DB_CACHE)")
      ->option_text("URL");
  app.add_option("--cache-ttl", flags.cache_ttl_s, "Seconds a cached answer is served (default 300; env DB_CACHE_TTL)")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}));
  app.add_option("--cache-max-bytes", flags.cache_max_bytes,
                 "Bytes the memory cache may hold (default 64 MiB; env DB_CACHE_MAX_BYTES)")
      ->check(CLI::Range(int64_t{4096}, int64_t{1} << 40));
  app.add_option("--audit", flags.audit,
                 "Append one JSON line per tool call to FILE (created 0600; env DB_AUDIT); see dbmcp audit")
      ->option_text("FILE");
  app.add_option("--policy", flags.policy,
                 "Access policy file (TOML or JSON): per-table access, hidden and masked columns, row filters "
                 "(env DB_POLICY); see dbmcp policy check")
      ->envname("DB_POLICY")
      ->option_text("FILE");
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
  if (!flags.cache.empty()) {
    values["DB_CACHE"] = flags.cache;
  }
  if (flags.cache_ttl_s >= 0) {
    values["DB_CACHE_TTL"] = std::to_string(flags.cache_ttl_s);
  }
  if (flags.cache_max_bytes >= 0) {
    values["DB_CACHE_MAX_BYTES"] = std::to_string(flags.cache_max_bytes);
  }
  if (!flags.audit.empty()) {
    values["DB_AUDIT"] = flags.audit;
  }
  return values;
}

} // namespace

namespace {

// A key-value backend has no tables for a policy to name: such a policy is refused at start.
void refuse_policy_on_key_values(const std::string& url, const policy::Policy& policy)
{
  std::string backend;
  try {
    backend = backends::backend_for(url);
  } catch (const store::StoreError&) {
    return; // resolve_store_options says what is wrong with the URL
  }
  const backends::info::BackendInfo* described = backends::info::find_by_name(backend);
  if (described && described->key_values && (!policy.tables.empty() || policy.default_access.is_hidden())) {
    throw Fatal(fmt::format("{}: --policy applies to relational databases; {} stores key values, not tables",
                            policy.source, backend),
                2);
  }
}

} // namespace

namespace {

// Whether the database the flags name stores key values (Redis): --tables and the rest are then
// no table policy (the key-value store applies --read-only itself). An unusable URL: false,
// resolve_store_options says what is wrong with it.
bool names_key_value_store(const ConnectionFlags& flags)
{
  try {
    const backends::info::BackendInfo* described =
        backends::info::find_by_name(backends::backend_for(resolve_configuration(flags).options.url));
    return described && described->key_values;
  } catch (const store::StoreError&) {
    return false;
  }
}

// The policy --tables / --exclude-tables (with --read-only) stand for without a policy file
// (policy::shorthand_policy); nullptr when neither table flag is given (--read-only alone hides
// nothing: the database is opened read-only and no write tool is offered, so no layer is needed)
// or the store has no tables.
std::shared_ptr<const policy::Policy> resolve_shorthand_policy(const ConnectionFlags& flags)
{
  const store::Visibility visibility{flags.tables, flags.exclude_tables};
  if ((visibility.include.empty() && visibility.exclude.empty()) || names_key_value_store(flags)) {
    return nullptr;
  }
  const std::string given = policy::shorthand_flags(visibility, flags.read_only);
  return std::make_shared<const policy::Policy>(
      policy::shorthand_policy(visibility, flags.read_only, "command line (" + given + ")"));
}

} // namespace

std::shared_ptr<const policy::Policy> resolve_policy(const ConnectionFlags& flags)
{
  if (flags.policy.empty()) {
    return resolve_shorthand_policy(flags);
  }
  // Read once per process: the store options, the server, the cache key, the audit trail and
  // `dbmcp config` all share the policy that was in the file when the process started.
  static std::mutex mutex;
  static std::map<std::pair<std::string, bool>, std::shared_ptr<const policy::Policy>> resolved;
  std::lock_guard lock(mutex);
  const auto key = std::make_pair(flags.policy, flags.read_only);
  if (const auto found = resolved.find(key); found != resolved.end()) {
    return found->second;
  }
  try {
    auto loaded = std::make_shared<policy::Policy>(policy::load_policy_file(flags.policy));
    loaded->read_only = flags.read_only;
    resolved[key] = loaded;
    return loaded;
  } catch (const policy::PolicyError& e) {
    throw Fatal(e.what(), 2);
  }
}

config::Resolved resolve_configuration(const ConnectionFlags& flags)
{
  return config::resolve(config::inputs_from_process(flag_values(flags), flags.env_file, flags.secrets_dir));
}

std::string resolve_audit_path(const ConnectionFlags& flags)
{
  return resolve_configuration(flags).audit;
}

config::CacheSettings resolve_cache_settings(const ConnectionFlags& flags)
{
  return resolve_configuration(flags).cache;
}

store::StoreOptions resolve_store_options(const ConnectionFlags& flags)
{
  const config::Resolved resolved = resolve_configuration(flags);
  store::StoreOptions options = resolved.options;
  options.read_only = flags.read_only;
  options.visibility = {flags.tables, flags.exclude_tables};
  options.key_prefix = flags.key_prefix;
  if (!flags.policy.empty()) {
    const auto policy = resolve_policy(flags);
    options.visibility = policy::merged_visibility(*policy, options.visibility);
    refuse_policy_on_key_values(options.url, *policy);
  }
  const bool default_database = std::any_of(resolved.settings.begin(), resolved.settings.end(), [](const auto& s) {
    return s.name == "url" && s.source == "default";
  });
  options.create = flags.create || default_database;
  options.wal = flags.wal;
  try {
    backends::backend_for(options.url);
  } catch (const store::StoreError& e) {
    throw Fatal(e.what(), 2);
  }
  return options;
}

std::string connection_failure(const store::StoreOptions& options, const std::string& reason)
{
  return fmt::format("{} [database: {}]", reason, config::redact_url(options.url));
}

namespace {

// Opens the store and says so at info level.
std::unique_ptr<store::Store> open_and_log(const store::StoreOptions& options)
{
  const auto started = std::chrono::steady_clock::now();
  auto store = backends::open_store(options);
  log::write(LogLevel::info,
             fmt::format("connected to {} in {:.1f} ms; {} tables visible", store->backend(),
                         std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                         store->schema()->tables.size()));
  return store;
}

// A policy that hides or masks a primary-key column of `schema` (records are read, updated and
// deleted by their key) is refused: Fatal (exit 2), one line naming the file and the key, as
// `dbmcp policy check` says it.
void refuse_concealed_keys(const policy::Policy& policy, const store::Schema& schema)
{
  const auto errors = policy::key_column_errors(policy, schema);
  if (!errors.empty()) {
    throw Fatal(fmt::format("{}: {}", policy.source, errors.front()), 2);
  }
}

} // namespace

std::unique_ptr<store::Store> open_store(const store::StoreOptions& options,
                                         std::shared_ptr<const policy::Policy> policy)
{
  try {
    auto store = open_and_log(options);
    if (policy) {
      refuse_concealed_keys(*policy, *store->schema());
    }
    return policy ? policy::make_policy_store(std::move(store), std::move(policy)) : std::move(store);
  } catch (const store::StoreError& e) {
    // The URL was checked by resolve_store_options: whatever fails now is the database's.
    throw Fatal(connection_failure(options, e.what()), 1);
  }
}

std::unique_ptr<store::Store> open_store_lazily(const store::StoreOptions& options,
                                                std::shared_ptr<const policy::Policy> policy)
{
  auto open = [options]() -> std::unique_ptr<store::Store> {
    try {
      return open_and_log(options);
    } catch (const store::StoreError& e) {
      const std::string message = connection_failure(options, e.what());
      log::write(LogLevel::error, message + "; the next call tries again");
      throw store::StoreError(e.code(), message + "; the next call tries again", e.details());
    }
  };
  auto store = backends::make_lazy_store(std::move(open), backends::backend_for(options.url));
  if (!policy) {
    return store;
  }
  try {
    // Connects now, to refuse a policy that conceals a key column at start; a database that
    // cannot be reached yet is left to the first call (the policy store refuses then).
    refuse_concealed_keys(*policy, *store->schema());
  } catch (const store::StoreError&) {
  }
  return policy::make_policy_store(std::move(store), std::move(policy));
}

} // namespace dbmcp::cli
