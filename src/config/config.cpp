#include "config/config.hpp"

#include "backends/info/backend_info.hpp"
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
using Backend = backends::info::BackendInfo;

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

// `url` parsed, or Fatal (exit code 2) naming the setting and its source, never the URL.
DatabaseUrl parse_setting(const Raw& url)
{
  try {
    return parse_database_url(url.value);
  } catch (const UrlError& e) {
    throw Fatal(fmt::format("{} (the database URL, from {})", e.what(), url.source));
  }
}

// `url` once it parses, else Fatal naming `setting` without its value (it may be the password):
// a value with a NUL byte, from a .env or secrets file, cannot go into a URL.
std::string checked(std::string url, const std::string& setting)
{
  try {
    parse_database_url(url);
  } catch (const UrlError& e) {
    throw Fatal(fmt::format("the {} setting cannot go into the database URL: {}", setting, e.what()));
  }
  return url;
}

// The backend DB_BACKEND names (a backend's name or alias, never any other of its URL schemes) and
// the scheme the DB_* parts are written as: the alias given, else the canonical scheme. Without
// DB_BACKEND, the backend whose descriptor says it is the default for DB_* parts. Fatal for a name
// no backend has.
std::pair<const Backend*, std::string> chosen_backend(const Layers& layers)
{
  if (const auto name = layers.find("DB_BACKEND")) {
    if (const Backend* backend = backends::info::find_by_backend_name(name->value)) {
      const bool is_scheme =
          std::find(backend->schemes.begin(), backend->schemes.end(), name->value) != backend->schemes.end();
      return {backend, is_scheme ? name->value : std::string(backend->schemes.front())};
    }
    throw Fatal(fmt::format("{} must be a backend name: one of {}; got '{}'", describe("DB_BACKEND", *name),
                            fmt::join(backends::info::backend_names(), ", "), name->value));
  }
  for (const Backend* backend : backends::info::all()) {
    if (backend->default_for_parts) {
      return {backend, std::string(backend->schemes.front())};
    }
  }
  throw Fatal("no backend is the default for DB_HOST, DB_PORT, DB_USER and DB_NAME; set DB_BACKEND");
}

// A file backend's URL from DB_NAME (scheme:PATH, or the default database without it); the
// network settings do not apply to it.
Raw file_url_from_parts(const Layers& layers, const std::string& scheme, const Raw& first)
{
  for (const char* name : {"DB_HOST", "DB_PORT", "DB_USER"}) {
    if (const auto raw = layers.find(name)) {
      throw Fatal(fmt::format("{} does not apply to DB_BACKEND={}; set DB_NAME to the database file, or --db",
                              describe(name, *raw), scheme));
    }
  }
  if (const auto name = layers.find("DB_NAME")) {
    return Raw{scheme + ":" + name->value, name->source};
  }
  return Raw{default_database_path(), first.source};
}

// scheme://user@host:port/name from DB_BACKEND and the DB_* parts, or nullopt when none is set.
// DB_PASSWORD goes in here when the backend takes it in the user info (apply_backend_settings
// adds it as a parameter otherwise).
std::optional<Raw> url_from_parts(const Layers& layers)
{
  const auto kind = layers.find("DB_BACKEND");
  const auto host = layers.find("DB_HOST");
  const auto port = layers.find("DB_PORT");
  const auto user = layers.find("DB_USER");
  const auto name = layers.find("DB_NAME");
  if (!kind && !host && !port && !user && !name) {
    return std::nullopt;
  }
  const Raw& first = host ? *host : port ? *port : user ? *user : name ? *name : *kind;
  const auto [backend, scheme] = chosen_backend(layers);
  if (!backend->networked) {
    return file_url_from_parts(layers, scheme, first);
  }
  const auto password = layers.find("DB_PASSWORD");
  const bool password_in_user_info = password && backend->password_parameter.empty();
  std::string url = scheme + "://";
  if (user || password_in_user_info) {
    url += user ? percent_encode(user->value) : std::string();
    url += password_in_user_info ? ":" + percent_encode(password->value) : std::string();
    url += "@";
  }
  url += host ? host->value : "localhost";
  if (port) {
    parse_count("DB_PORT", *port);
    url += ":" + port->value;
  }
  url += "/" + (name ? percent_encode(name->value) : std::string());
  return Raw{checked(std::move(url), password_in_user_info ? "password" : "DB_HOST"), first.source};
}

// Adds `key`=`value` to the URL's query unless it already has that parameter. Throws Fatal,
// without the value (it may be the password), when the URL would not parse with it (a NUL byte).
void add_parameter(std::string& url, std::string_view key, const std::string& value)
{
  const DatabaseUrl parsed = parse_database_url(url);
  if (parsed.has_parameter(std::string(key))) {
    return;
  }
  url = checked(url + (parsed.has_query ? "&" : "?") + std::string(key) + "=" + percent_encode(value), std::string(key));
}

// `url` with `password` in its user info (user:password@); `url` parses and has none.
std::string with_user_info_password(const std::string& url, const DatabaseUrl& parsed, const std::string& password)
{
  const size_t authority = parsed.scheme.size() + 3; // after "scheme://"
  const size_t user_info = parsed.has_user_info ? parsed.raw_user.size() + 1 : 0; // "user@"
  return checked(url.substr(0, authority) + parsed.raw_user + ":" + percent_encode(password) + "@" +
                     url.substr(authority + user_info),
                 "password");
}

void check_readable(const std::string& name, const Raw& raw)
{
  if (!std::ifstream(raw.value)) {
    throw Fatal(fmt::format("{}: cannot read the file {}", describe(name, raw), raw.value));
  }
}

// Applies DB_PASSWORD and the DB_SSL_* settings to a URL of a networked `backend`, under the
// parameter names its descriptor gives, validating them. `url` parses (resolve_url checked it).
void apply_backend_settings(const Layers& layers, const Backend& backend, std::string& url)
{
  const DatabaseUrl parsed = parse_database_url(url);
  const auto password = layers.find("DB_PASSWORD");
  if (password && !parsed.has_password && !backend.password_parameter.empty() &&
      !parsed.has_parameter(std::string(backend.password_parameter))) {
    add_parameter(url, backend.password_parameter, password->value);
  } else if (password && !parsed.has_password && backend.password_parameter.empty()) {
    url = with_user_info_password(url, parsed, password->value);
  }
  const backends::info::SslParameters& ssl = backend.ssl;
  if (ssl.mode.empty()) {
    return;
  }
  if (const auto mode = layers.find("DB_SSL_MODE")) {
    if (std::find(ssl.modes.begin(), ssl.modes.end(), mode->value) == ssl.modes.end()) {
      throw Fatal(fmt::format("{} must be one of {}; got '{}'", describe("DB_SSL_MODE", *mode),
                              fmt::join(ssl.modes, ", "), mode->value));
    }
    add_parameter(url, ssl.mode, mode->value);
  }
  const std::pair<const char*, std::string_view> k_files[] = {
      {"DB_SSL_CERT", ssl.cert}, {"DB_SSL_KEY", ssl.key}, {"DB_SSL_CA", ssl.ca}};
  for (const auto& [name, parameter] : k_files) {
    if (const auto file = layers.find(name)) {
      check_readable(name, *file);
      add_parameter(url, parameter, file->value);
    }
  }
}

// Fatal when DB_BACKEND names another backend than the URL given by DATABASE_URL or --db.
void check_backend_matches(const Layers& layers, const Raw& url)
{
  const auto kind = layers.find("DB_BACKEND");
  if (!kind) {
    return;
  }
  const Backend* wanted = chosen_backend(layers).first;
  const std::string scheme = url_scheme(url.value);
  if (backends::info::find_by_scheme(scheme) != wanted) {
    throw Fatal(fmt::format("{} is {} but the database URL (from {}) is a {}: URL; remove one of them",
                            describe("DB_BACKEND", *kind), kind->value, url.source, scheme));
  }
}

Raw resolve_url(const Layers& layers)
{
  Raw url;
  if (auto given = layers.find("DATABASE_URL")) {
    url = *given;
    check_backend_matches(layers, url);
  } else if (auto parts = url_from_parts(layers)) {
    url = *parts;
  } else {
    url = Raw{default_database_path(), "default"};
  }
  parse_setting(url);
  const Backend* backend = backends::info::find_by_scheme(url_scheme(url.value));
  if (backend && backend->networked) {
    apply_backend_settings(layers, *backend, url.value);
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

// A whole number in [min, max] for the setting `name`.
int64_t parse_number(const std::string& name, const Raw& raw, int64_t min, int64_t max)
{
  int64_t value = 0;
  const auto* end = raw.value.data() + raw.value.size();
  const auto [ptr, error] = std::from_chars(raw.value.data(), end, value);
  if (error != std::errc() || ptr != end || value < min || value > max) {
    throw Fatal(fmt::format("{} must be a whole number from {} to {}, got '{}'", describe(name, raw), min, max,
                            raw.value));
  }
  return value;
}

CacheSettings resolve_cache(const Layers& layers)
{
  CacheSettings cache;
  if (const auto url = layers.find("DB_CACHE")) {
    cache.url = url->value == "none" ? "" : url->value;
  }
  if (const auto ttl = layers.find("DB_CACHE_TTL")) {
    cache.ttl_seconds = parse_number("DB_CACHE_TTL", *ttl, 1, 86400);
  }
  if (const auto bytes = layers.find("DB_CACHE_MAX_BYTES")) {
    cache.max_bytes = static_cast<size_t>(parse_number("DB_CACHE_MAX_BYTES", *bytes, 4096, int64_t{1} << 40));
  }
  return cache;
}

// How a setting's value may be shown: no password, of the database or of the cache server.
std::string shown_value(const std::string& name, const std::string& value)
{
  if (name == "DB_PASSWORD") {
    return "****";
  }
  if (name == "DATABASE_URL" || (name == "DB_CACHE" && value != "memory" && value != "none")) {
    return redact_url(value);
  }
  return value;
}

} // namespace

const std::vector<std::string>& setting_names()
{
  static const std::vector<std::string> k_names = {
      "DATABASE_URL",     "DB_BACKEND",       "DB_HOST",          "DB_PORT",         "DB_USER",
      "DB_PASSWORD",      "DB_NAME",          "DB_MIN_POOL_SIZE", "DB_MAX_POOL_SIZE",
      "DB_POOL_TIMEOUT",  "DB_STATEMENT_TIMEOUT", "DB_SSL_MODE",   "DB_SSL_CERT",
      "DB_SSL_KEY",       "DB_SSL_CA",        "DB_CACHE",         "DB_CACHE_TTL",    "DB_CACHE_MAX_BYTES",
      "DB_AUDIT"};
  return k_names;
}

Resolved resolve(const Inputs& inputs)
{
  const Layers layers = load_layers(inputs);
  Resolved resolved;
  const Raw url = resolve_url(layers);
  resolved.options.url = url.value;
  resolve_pool(layers, resolved.options);
  resolved.cache = resolve_cache(layers);
  if (const auto audit = layers.find("DB_AUDIT")) {
    resolved.audit = audit->value == "none" ? "" : audit->value;
  }
  for (const auto& name : setting_names()) {
    if (const auto raw = layers.find(name)) {
      resolved.settings.push_back({name, shown_value(name, raw->value), raw->source});
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
