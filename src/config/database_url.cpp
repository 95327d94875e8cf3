#include "config/database_url.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

#include <fmt/format.h>

namespace dbmcp::config {
namespace {

constexpr const char* k_shape = "write scheme://[user[:password]@]host[:port]/database[?param=value&...], "
                                "with '%', '@', '/', '&', '=' and spaces in any part percent-encoded (%25, %40, %2F, %26, "
                                "%3D, %20)";

int hex_value(char c)
{
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// `raw` percent-decoded; throws UrlError (naming only `part`) for a bad or %00 escape, which
// libpq would refuse and echo.
std::string decode(const std::string& raw, const char* part)
{
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out += raw[i];
      continue;
    }
    if (i + 2 >= raw.size()) {
      throw UrlError(fmt::format("malformed database URL: an invalid percent-escape in the {}: a '%' must be followed "
                                 "by two hexadecimal digits (write %25 for '%' itself)",
                                 part));
    }
    const int a = hex_value(raw[i + 1]);
    const int b = hex_value(raw[i + 2]);
    if (a < 0 || b < 0) {
      throw UrlError(fmt::format("malformed database URL: an invalid percent-escape in the {}: a '%' must be followed "
                                 "by two hexadecimal digits (write %25 for '%' itself)",
                                 part));
    }
    if (a == 0 && b == 0) {
      throw UrlError(fmt::format("malformed database URL: %00 in the {}: a URL cannot carry a NUL byte", part));
    }
    out += static_cast<char>(a * 16 + b);
    i += 2;
  }
  return out;
}

bool looks_like_key_value_dsn(const std::string& text)
{
  static const std::regex k_key_value(R"(^\s*[A-Za-z_]+\s*=)");
  return std::regex_search(text, k_key_value);
}

void parse_query(const std::string& query, DatabaseUrl& url)
{
  size_t start = 0;
  while (start <= query.size()) {
    const size_t end = std::min(query.find('&', start), query.size());
    const std::string item = query.substr(start, end - start);
    const auto equals = item.find('=');
    if (equals == std::string::npos || item.find('=', equals + 1) != std::string::npos || equals == 0) {
      throw UrlError(fmt::format("malformed database URL: parameter {} of the query is not one key=value; {}",
                                 url.parameters.size() + 1, k_shape));
    }
    UrlParameter parameter{item.substr(0, equals), item.substr(equals + 1), {}};
    parameter.key = decode(parameter.raw_key, "query");
    decode(parameter.raw_value, "query");
    url.parameters.push_back(std::move(parameter));
    start = end + 1;
  }
}

// scheme://[user[:password]@]hosts[/path][?query], split as libpq does: the user info ends at
// the first '@' seen before any '/'.
void parse_hierarchical(const std::string& rest, DatabaseUrl& url)
{
  url.hierarchical = true;
  size_t hosts_start = 0;
  const auto stop = rest.find_first_of("@/");
  if (stop != std::string::npos && rest[stop] == '@') {
    url.has_user_info = true;
    const std::string info = rest.substr(0, stop);
    const auto colon = info.find(':');
    url.raw_user = info.substr(0, colon);
    url.has_password = colon != std::string::npos;
    decode(url.raw_user, "user name");
    if (url.has_password) {
      decode(info.substr(colon + 1), "password");
    }
    hosts_start = stop + 1;
  }
  const auto hosts_end = std::min(rest.find_first_of("/?", hosts_start), rest.size());
  url.raw_hosts = rest.substr(hosts_start, hosts_end - hosts_start);
  size_t query_start = std::string::npos;
  if (hosts_end < rest.size() && rest[hosts_end] == '/') {
    url.has_path = true;
    const auto path_end = std::min(rest.find('?', hosts_end), rest.size());
    url.raw_path = rest.substr(hosts_end + 1, path_end - hosts_end - 1);
    query_start = path_end;
  } else {
    query_start = hosts_end;
  }
  if (url.raw_hosts.find('@') != std::string::npos || url.raw_path.find('@') != std::string::npos) {
    throw UrlError(fmt::format("malformed database URL: an '@' after the host; if the password contains '/' or '@', "
                               "percent-encode them (%2F, %40); {}",
                               k_shape));
  }
  decode(url.raw_hosts, "host");
  decode(url.raw_path, "database name");
  if (query_start < rest.size()) {
    url.has_query = true;
    parse_query(rest.substr(query_start + 1), url);
  }
}

// sqlite:///abs/path.db, sqlite:rel.db, sqlite::memory:, each with an optional ?query that is
// ignored; a bare path is taken whole.
std::string sqlite_path_of(const std::string& text, bool bare)
{
  if (bare) {
    return text;
  }
  std::string path = text.substr(text.find(':') + 1);
  if (path.rfind("//", 0) == 0) {
    path = path.substr(2); // sqlite:///abs/path.db -> /abs/path.db
  }
  if (const auto query = path.find('?'); query != std::string::npos) {
    path.resize(query);
  }
  return path;
}

} // namespace

bool DatabaseUrl::has_parameter(const std::string& wanted) const
{
  return std::any_of(parameters.begin(), parameters.end(), [&](const UrlParameter& p) { return p.key == wanted; });
}

std::string url_scheme(const std::string& text)
{
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(text[0]))) {
    return "sqlite";
  }
  std::string scheme;
  for (char c : text.substr(0, colon)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') {
      return "sqlite"; // a path such as data/x:1.db
    }
    scheme += c;
  }
  return scheme;
}

DatabaseUrl parse_database_url(const std::string& text)
{
  if (std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; })) {
    throw UrlError("malformed database URL: it contains control characters");
  }
  DatabaseUrl url;
  url.scheme = url_scheme(text);
  const bool bare = url.scheme == "sqlite" && text.rfind("sqlite:", 0) != 0;
  if (bare && looks_like_key_value_dsn(text)) {
    throw UrlError("the database setting looks like a libpq key=value connection string (host=... password=...), "
                   "which dbmcp does not take; write a URL: postgresql://user:password@host:port/database "
                   "(percent-encode special characters), or set DB_HOST, DB_PORT, DB_USER, DB_PASSWORD and DB_NAME; "
                   "for a SQLite file whose name has '=', write sqlite:PATH");
  }
  if (url.scheme == "sqlite") {
    url.sqlite_path = sqlite_path_of(text, bare);
    return url;
  }
  const std::string rest = text.substr(url.scheme.size() + 1);
  if (rest.rfind("//", 0) != 0) {
    throw UrlError(fmt::format("malformed database URL: expected {}://...; {}", url.scheme, k_shape));
  }
  parse_hierarchical(rest.substr(2), url);
  return url;
}

bool is_secret_parameter(const std::string& decoded_key)
{
  std::string key;
  for (char c : decoded_key) {
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key.find("password") != std::string::npos || key.find("secret") != std::string::npos ||
         key.find("token") != std::string::npos;
}

std::string redacted_text(const DatabaseUrl& url, const std::string& original)
{
  if (!url.hierarchical) {
    return original;
  }
  std::string out = original.substr(0, url.scheme.size()) + "://";
  if (url.has_user_info) {
    out += url.raw_user + (url.has_password ? ":****" : "") + "@";
  }
  out += url.raw_hosts;
  if (url.has_path) {
    out += "/" + url.raw_path;
  }
  if (url.has_query) {
    out += "?";
    for (size_t i = 0; i < url.parameters.size(); ++i) {
      const auto& parameter = url.parameters[i];
      out += (i ? "&" : "") + parameter.raw_key + "=" + (is_secret_parameter(parameter.key) ? "****" : parameter.raw_value);
    }
  }
  return out;
}

std::string percent_encode(const std::string& text)
{
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string percent_decode(std::string_view raw)
{
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '%' && i + 2 < raw.size()) {
      out += static_cast<char>(std::stoi(std::string(raw.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += raw[i];
    }
  }
  return out;
}

} // namespace dbmcp::config
