#include "backends/mysql/mysql_url.hpp"

#include "config/database_url.hpp"
#include "store/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace dbmcp::backends::mysql {
namespace {

std::string lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  std::replace(text.begin(), text.end(), '-', '_');
  return text;
}

} // namespace

ConnectParams parse_url(const std::string& url)
{
  config::DatabaseUrl parsed;
  try {
    parsed = config::parse_database_url(url);
  } catch (const config::UrlError& error) {
    throw store::invalid_argument(error.what());
  }
  ConnectParams params;
  if (parsed.has_user_info) {
    params.user = config::percent_decode(parsed.raw_user);
    if (parsed.has_password) {
      const std::string_view rest = std::string_view(url).substr(url.find("://") + 3);
      const std::string_view info = rest.substr(0, rest.find_first_of("@/"));
      params.password = config::percent_decode(info.substr(info.find(':') + 1));
    }
  }
  std::string hosts = config::percent_decode(parsed.raw_hosts);
  if (hosts.find(',') != std::string::npos) {
    throw store::invalid_argument("a mysql:// URL takes one host; several hosts are not supported");
  }
  if (!hosts.empty() && hosts.front() == '[') { // [::1]:3306
    const auto close = hosts.find(']');
    params.host = hosts.substr(1, close - 1);
    hosts = hosts.substr(close + 1);
  } else {
    const auto colon = hosts.rfind(':');
    params.host = hosts.substr(0, colon);
    hosts = colon == std::string::npos ? "" : hosts.substr(colon);
  }
  if (!hosts.empty() && hosts.front() == ':') {
    const std::string port = hosts.substr(1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) || std::stoi(port) > 65535) {
      throw store::invalid_argument("the port of a mysql:// URL must be a number from 1 to 65535");
    }
    params.port = static_cast<unsigned>(std::stoi(port));
  }
  if (params.host.empty()) {
    params.host = "localhost";
  }
  params.database = config::percent_decode(parsed.raw_path);
  if (params.database.empty()) {
    throw store::invalid_argument("a mysql:// URL needs a database: mysql://user:password@host:3306/database");
  }
  for (const auto& parameter : parsed.parameters) {
    const std::string key = lower(parameter.key);
    const std::string value = config::percent_decode(parameter.raw_value);
    if (key == "ssl_mode" || key == "sslmode") {
      params.ssl_mode = lower(value);
      static const std::vector<std::string> k_modes = {"disabled", "preferred", "required", "verify_ca",
                                                       "verify_identity"};
      if (std::find(k_modes.begin(), k_modes.end(), params.ssl_mode) == k_modes.end()) {
        throw store::invalid_argument(fmt::format("unknown ssl-mode '{}' (one of: {})", value, fmt::join(k_modes, ", ")));
      }
    } else if (key == "ssl_ca" || key == "sslrootcert") {
      params.ssl_ca = value;
    } else if (key == "ssl_cert" || key == "sslcert") {
      params.ssl_cert = value;
    } else if (key == "ssl_key" || key == "sslkey") {
      params.ssl_key = value;
    } else {
      throw store::invalid_argument(fmt::format(
          "unknown parameter '{}' in a mysql:// URL (supported: ssl-mode, ssl-ca, ssl-cert, ssl-key)", parameter.key));
    }
  }
  if (params.ssl_cert.empty() != params.ssl_key.empty()) {
    throw store::invalid_argument(
        params.ssl_cert.empty() ? "a mysql:// URL with ssl-key needs ssl-cert, the client certificate it belongs to"
                                : "a mysql:// URL with ssl-cert needs ssl-key, the client certificate's private key");
  }
  return params;
}

} // namespace dbmcp::backends::mysql
