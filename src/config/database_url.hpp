#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// The one parser of database URLs (DESIGN.md section 1.1). Everything that reads a URL's parts or
// shows a URL to a person goes through it: configuration, redaction, the backend factory, the
// SQLite path. It follows libpq's URI rules, so what it calls the password is what libpq calls
// the password, and it refuses what libpq would read differently or echo in an error.
namespace dbmcp::config {

// A URL that cannot be parsed. The message says what is wrong and how to write it, and never
// contains any part of the URL (it may hold a password).
class UrlError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

// One `key=value` of the query, raw as written and with the key percent-decoded.
struct UrlParameter
{
  std::string raw_key;
  std::string raw_value;
  std::string key; // decoded
};

// A database URL split into its parts; raw parts keep their percent-escapes.
struct DatabaseUrl
{
  std::string scheme;         // as written (libpq's are case-sensitive); "sqlite" for a bare path
  bool hierarchical = false;  // scheme://authority form (every scheme but sqlite: and a bare path)
  bool has_user_info = false; // user[:password]@ present
  bool has_password = false;  // a ':' in the user info
  std::string raw_user;
  std::string raw_hosts; // host[:port][,host[:port]...] as written
  bool has_path = false;
  std::string raw_path; // the database name, after the first '/'
  bool has_query = false;
  std::vector<UrlParameter> parameters;
  std::string sqlite_path; // for scheme "sqlite": the file path, ":memory:" or empty

  // Whether the query has a parameter whose decoded key is `key`.
  bool has_parameter(const std::string& key) const;
};

// The scheme of `text` as written: "postgresql" for postgresql://…, "sqlite" for a bare path
// (no scheme: prefix, such as ./data:1.db). Never throws.
std::string url_scheme(const std::string& text);

// Parses `text`. Throws UrlError for control characters, a libpq key=value connection string
// (host=… password=…), a non-sqlite scheme without "//", an invalid or %00 percent-escape, an
// '@' after the user info (an unencoded '/' or '@' in a password), or a query parameter
// without exactly one '='.
DatabaseUrl parse_database_url(const std::string& text);

// Whether a query parameter named `decoded_key` carries a secret (password, sslpassword, ...).
bool is_secret_parameter(const std::string& decoded_key);

// `url` as it may be shown: the user-info password and every secret parameter's value are ****.
std::string redacted_text(const DatabaseUrl& url, const std::string& original);

// `raw` with its %XX escapes decoded; `raw` comes from a DatabaseUrl (its escapes were checked).
std::string percent_decode(std::string_view raw);

// `text` with `text`'s bytes outside [A-Za-z0-9-._~] percent-encoded.
std::string percent_encode(const std::string& text);

} // namespace dbmcp::config
