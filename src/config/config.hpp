#pragma once

#include "config/sources.hpp"
#include "store/options.hpp"

#include <string>
#include <vector>

// The merge of every configuration source into the options a store opens with (DESIGN.md
// section 1.1): flags > environment > .env file > secrets directory > defaults.
namespace dbmcp::config {

// The settings dbmcp reads, by their environment names, in the order `dbmcp config` shows them.
const std::vector<std::string>& setting_names();

// One resolved setting: its value as shown to people (passwords redacted) and its source:
// "flag", "env", ".env", "secrets" or "default".
struct Setting
{
  std::string name;
  std::string value;
  std::string source;
};

// What the command line gave, keyed by environment name (--db is DATABASE_URL, --pool-min is
// DB_MIN_POOL_SIZE, ...), plus where to look for the other sources. Empty `env_file` means
// ./.env when it exists; empty `secrets_dir` means /run/secrets.
struct Inputs
{
  Values flags;
  Values environment;
  std::string env_file;
  std::string secrets_dir;
};

// The query-result cache (--cache, --cache-ttl, --cache-max-bytes).
struct CacheSettings
{
  std::string url;                    // "memory", a redis:// URL, or empty for no cache
  int64_t ttl_seconds = 300;          // DB_CACHE_TTL, 1 to 86400
  size_t max_bytes = size_t{64} << 20; // DB_CACHE_MAX_BYTES, the bound of the in-process cache
};

struct Resolved
{
  store::StoreOptions options; // url, pool and timeouts; the caller adds read_only and visibility
  CacheSettings cache;
  std::string audit; // DB_AUDIT: the audit trail's file, or empty for none
  std::vector<Setting> settings; // every setting that has a value, then the effective "url"
};

// Merges the sources and validates the result. Throws Fatal (exit code 2) with one line naming
// the setting and its source for anything invalid: a malformed URL, a pool size that is not a
// number or max below min, an unknown SSL mode, an unreadable certificate file, a cache TTL or
// size out of range.
Resolved resolve(const Inputs& inputs);

// Inputs with the process environment filled in.
Inputs inputs_from_process(Values flags, std::string env_file, std::string secrets_dir);

// `url` as it may be shown: the user-info password and the value of every secret query parameter
// (password=, sslpassword=, keys percent-decoded first) are ****; a URL that does not parse is
// not shown at all.
std::string redact_url(const std::string& url);

// The embedded default database: $XDG_DATA_HOME/dbmcp/dbmcp.db, else
// ~/.local/share/dbmcp/dbmcp.db; the folder is created.
std::string default_database_path();

} // namespace dbmcp::config
