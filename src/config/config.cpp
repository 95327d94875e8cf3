#include "config/config.hpp"

#include "config/database_url.hpp"
#include "util/fatal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

namespace dbmcp::config {
namespace {

constexpr const char* k_default_secrets_dir = "/run/secrets";

// A raw value and the source it came from.
struct Raw
{
  std::string value;
  std::string source;
};

// The sources in precedence order; the first that has a name wins.
class Layers
{
public:
  explicit Layers(std::vector<std::pair<std::string, Values>> layers) : m_layers(std::move(layers)) {}

  std::optional<Raw> find(const std::string& name) const
  {
    for (const auto& [source, values] : m_layers) {
      if (const auto it = values.find(name); it != values.end()) {
        return Raw{it->second, source};
      }
    }
    return std::nullopt;
  }

private:
  std::vector<std::pair<std::string, Values>> m_layers;
};

Layers load_layers(const Inputs& inputs)
{
  Values dotenv;
  if (!inputs.env_file.empty()) {
    dotenv = read_env_file(inputs.env_file);
  } else if (std::filesystem::is_regular_file(".env")) {
    dotenv = read_env_file(".env");
  }
  const std::string secrets_dir = inputs.secrets_dir.empty() ? k_default_secrets_dir : inputs.secrets_dir;
  if (!inputs.secrets_dir.empty() && !std::filesystem::is_directory(secrets_dir)) {
    throw Fatal(fmt::format("--secrets-dir {} is not a directory", secrets_dir));
  }
  return Layers({{"flag", inputs.flags},
                 {"env", inputs.environment},
                 {".env", std::move(dotenv)},
                 {"secrets", read_secrets_dir(secrets_dir)}});
}

std::string describe(const std::string& name, const Raw& raw)
{
  return fmt::format("{} (from {})", name, raw.source);
}

int64_t parse_count(const std::string& name, const Raw& raw)
{
  int64_t value = 0;
  const auto* end = raw.value.data() + raw.value.size();
  const auto [ptr, error] = std::from_chars(raw.value.data(), end, value);
  if (error != std::errc() || ptr != end || value < 0 || value > 10000) {
    throw Fatal(fmt::format("{} must be a whole number from 0 to 10000, got '{}'", describe(name, raw), raw.value));
  }
  return value;
}

std::chrono::milliseconds parse_seconds(const std::string& name, const Raw& raw)
{
  char* end = nullptr;
  const double seconds = std::strtod(raw.value.c_str(), &end);
  if (raw.value.empty() || *end != '\0' || !(seconds >= 0) || seconds > 86400.0 * 365) {
    throw Fatal(fmt::format("{} must be a number of seconds, got '{}'", describe(name, raw), raw.value));
  }
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

bool is_postgres(const std::string& url)
{
  const std::string scheme = url_scheme(url);
  return scheme == "postgresql" || scheme == "postgres";
}

// `url` parsed, or Fatal (exit code 2) naming the setting and its source, never the URL.
DatabaseUrl parse_setting(const Raw& url)
{
  try {
    return parse_database_url(url.value);
  } catch (const UrlError& e) {
    throw Fatal(fmt::format("{} (the database URL, from {})", e.what(), url.source));
  }
}

// postgresql://user@host:port/name from the DB_* parts, or nullopt when none is set.
std::optional<Raw> url_from_parts(const Layers& layers)
{
  const auto host = layers.find("DB_HOST");
  const auto port = layers.find("DB_PORT");
  const auto user = layers.find("DB_USER");
  const auto name = layers.find("DB_NAME");
  if (!host && !port && !user && !name) {
    return std::nullopt;
  }
  std::string url = "postgresql://";
  if (user) {
    url += percent_encode(user->value) + "@";
  }
  url += host ? host->value : "localhost";
  if (port) {
    parse_count("DB_PORT", *port);
    url += ":" + port->value;
  }
  url += "/" + (name ? percent_encode(name->value) : std::string());
  const Raw& first = host ? *host : port ? *port : user ? *user : *name;
  return Raw{url, first.source};
}

// Adds `key`=`value` to a libpq URI unless the URI already has that parameter. Throws Fatal,
// without the value (it may be the password), when the URL would not parse with it (a NUL byte).
void add_parameter(std::string& url, const std::string& key, const std::string& value)
{
  const DatabaseUrl parsed = parse_database_url(url);
  if (parsed.has_parameter(key)) {
    return;
  }
  std::string with = url + (parsed.has_query ? "&" : "?") + key + "=" + percent_encode(value);
  try {
    parse_database_url(with);
  } catch (const UrlError& e) {
    throw Fatal(fmt::format("the {} setting cannot go into the database URL: {}", key, e.what()));
  }
  url = std::move(with);
}

void check_readable(const std::string& name, const Raw& raw)
{
  if (!std::ifstream(raw.value)) {
    throw Fatal(fmt::format("{}: cannot read the file {}", describe(name, raw), raw.value));
  }
}

// Applies DB_PASSWORD and the DB_SSL_* settings to a PostgreSQL URL, validating them.
// `url` parses (resolve_url checked it).
void apply_postgres_settings(const Layers& layers, std::string& url)
{
  const DatabaseUrl parsed = parse_database_url(url);
  if (const auto password = layers.find("DB_PASSWORD");
      password && !parsed.has_password && !parsed.has_parameter("password")) {
    add_parameter(url, "password", password->value);
  }
  if (const auto mode = layers.find("DB_SSL_MODE")) {
    static const std::vector<std::string> k_modes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
    if (std::find(k_modes.begin(), k_modes.end(), mode->value) == k_modes.end()) {
      throw Fatal(fmt::format("{} must be one of disable, allow, prefer, require, verify-ca, verify-full; got '{}'",
                              describe("DB_SSL_MODE", *mode), mode->value));
    }
    add_parameter(url, "sslmode", mode->value);
  }
  const std::pair<const char*, const char*> k_files[] = {
      {"DB_SSL_CERT", "sslcert"}, {"DB_SSL_KEY", "sslkey"}, {"DB_SSL_CA", "sslrootcert"}};
  for (const auto& [name, parameter] : k_files) {
    if (const auto file = layers.find(name)) {
      check_readable(name, *file);
      add_parameter(url, parameter, file->value);
    }
  }
}

Raw resolve_url(const Layers& layers)
{
  Raw url;
  if (auto given = layers.find("DATABASE_URL")) {
    url = *given;
  } else if (auto parts = url_from_parts(layers)) {
    url = *parts;
  } else {
    url = Raw{default_database_path(), "default"};
  }
  parse_setting(url);
  if (is_postgres(url.value)) {
    apply_postgres_settings(layers, url.value);
  }
  return url;
}

void resolve_pool(const Layers& layers, store::StoreOptions& options)
{
  const auto min = layers.find("DB_MIN_POOL_SIZE");
  const auto max = layers.find("DB_MAX_POOL_SIZE");
  if (min) {
    options.pool_min = static_cast<int>(parse_count("DB_MIN_POOL_SIZE", *min));
  }
  if (max) {
    options.pool_max = static_cast<int>(parse_count("DB_MAX_POOL_SIZE", *max));
  }
  if (options.pool_max < 1) {
    throw Fatal(fmt::format("the maximum pool size must be at least 1, got {}{}", options.pool_max,
                            max ? " from " + max->source : ""));
  }
  if (options.pool_max < options.pool_min) {
    throw Fatal(fmt::format("the maximum pool size ({}{}) is below the minimum pool size ({}{})", options.pool_max,
                            max ? ", from " + max->source : ", the default", options.pool_min,
                            min ? ", from " + min->source : ", the default"));
  }
  if (const auto timeout = layers.find("DB_POOL_TIMEOUT")) {
    options.pool_timeout = parse_seconds("DB_POOL_TIMEOUT", *timeout);
  }
  if (const auto timeout = layers.find("DB_STATEMENT_TIMEOUT")) {
    options.statement_timeout = parse_seconds("DB_STATEMENT_TIMEOUT", *timeout);
  }
}

} // namespace

const std::vector<std::string>& setting_names()
{
  static const std::vector<std::string> k_names = {
      "DATABASE_URL",     "DB_HOST",          "DB_PORT",         "DB_USER",
      "DB_PASSWORD",      "DB_NAME",          "DB_MIN_POOL_SIZE", "DB_MAX_POOL_SIZE",
      "DB_POOL_TIMEOUT",  "DB_STATEMENT_TIMEOUT", "DB_SSL_MODE",   "DB_SSL_CERT",
      "DB_SSL_KEY",       "DB_SSL_CA"};
  return k_names;
}

Resolved resolve(const Inputs& inputs)
{
  const Layers layers = load_layers(inputs);
  Resolved resolved;
  const Raw url = resolve_url(layers);
  resolved.options.url = url.value;
  resolve_pool(layers, resolved.options);
  for (const auto& name : setting_names()) {
    if (const auto raw = layers.find(name)) {
      const std::string shown = name == "DB_PASSWORD" ? "****" : name == "DATABASE_URL" ? redact_url(raw->value) : raw->value;
      resolved.settings.push_back({name, shown, raw->source});
    }
  }
  resolved.settings.push_back({"url", redact_url(url.value), url.source});
  return resolved;
}

Inputs inputs_from_process(Values flags, std::string env_file, std::string secrets_dir)
{
  Values environment;
  for (const auto& name : setting_names()) {
    if (const char* value = std::getenv(name.c_str()); value && *value) {
      environment[name] = value;
    }
  }
  return {std::move(flags), std::move(environment), std::move(env_file), std::move(secrets_dir)};
}

std::string redact_url(const std::string& url)
{
  try {
    return redacted_text(parse_database_url(url), url);
  } catch (const UrlError&) {
    return "(a database URL that cannot be parsed, not shown)";
  }
}

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
  std::error_code error;
  std::filesystem::create_directories(base / "dbmcp", error);
  if (error) {
    throw Fatal(fmt::format("cannot create {}: {}; pass --db", (base / "dbmcp").string(), error.message()), 1);
  }
  return (base / "dbmcp" / "dbmcp.db").string();
}

} // namespace dbmcp::config
