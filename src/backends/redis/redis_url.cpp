#include "backends/redis/redis_url.hpp"

#include "config/database_url.hpp"
#include "store/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace dbmcp::backends::redis {
namespace {

constexpr const char* k_shape =
    "write redis://[user:password@]host:6379/0, rediss://host:6379/0[?ca=FILE][&insecure=1] (TLS) or "
    "unix:///path/redis.sock?db=0";

// `text` as a number from `min` to `max`; throws invalid_argument naming `what`.
int number(const std::string& text, int min, int max, const char* what)
{
  if (text.empty() || text.size() > 5 || !std::all_of(text.begin(), text.end(), ::isdigit) ||
      std::stoi(text) < min || std::stoi(text) > max) {
    throw store::invalid_argument(fmt::format("the {} of a Redis URL must be a number from {} to {}; {}", what, min,
                                              max, k_shape));
  }
  return std::stoi(text);
}

// The password of `url`'s user info, percent-decoded (DatabaseUrl keeps only whether there is one).
std::string password_of(const std::string& url)
{
  const std::string_view rest = std::string_view(url).substr(url.find("://") + 3);
  const std::string_view info = rest.substr(0, rest.find_first_of("@/"));
  return config::percent_decode(info.substr(info.find(':') + 1));
}

void read_host_and_port(const std::string& hosts, RedisTarget& target)
{
  if (hosts.find(',') != std::string::npos) {
    throw store::invalid_argument("a redis:// URL takes one host; several hosts are not supported");
  }
  std::string rest = hosts;
  if (!rest.empty() && rest.front() == '[') { // [::1]:6379
    const auto close = rest.find(']');
    target.host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
  } else {
    const auto colon = rest.rfind(':');
    target.host = rest.substr(0, colon);
    rest = colon == std::string::npos ? "" : rest.substr(colon);
  }
  if (!rest.empty()) {
    target.port = number(rest.substr(1), 1, 65535, "port");
  }
  if (target.host.empty()) {
    target.host = "127.0.0.1";
  }
}

} // namespace

RedisTarget parse_url(const std::string& url)
{
  config::DatabaseUrl parsed;
  try {
    parsed = config::parse_database_url(url);
  } catch (const config::UrlError& error) {
    throw store::invalid_argument(error.what());
  }
  RedisTarget target;
  target.tls = parsed.scheme == "rediss";
  if (parsed.has_user_info) {
    target.user = config::percent_decode(parsed.raw_user);
    if (parsed.has_password) {
      target.password = password_of(url);
    }
  }
  std::string db;
  if (parsed.scheme == "unix") {
    if (!parsed.raw_hosts.empty() || parsed.raw_path.empty()) {
      throw store::invalid_argument(fmt::format("a unix:// URL names a socket path: {}", k_shape));
    }
    target.socket = "/" + config::percent_decode(parsed.raw_path);
  } else {
    read_host_and_port(config::percent_decode(parsed.raw_hosts), target);
    db = config::percent_decode(parsed.raw_path);
  }
  for (const auto& parameter : parsed.parameters) {
    const std::string value = config::percent_decode(parameter.raw_value);
    if (parameter.key == "db" && parsed.scheme == "unix") {
      db = value;
    } else if (parameter.key == "ca" && target.tls && !value.empty()) {
      target.tls_ca = value;
    } else if (parameter.key == "insecure" && target.tls && (value == "1" || value == "0")) {
      target.tls_insecure = value == "1";
    } else if ((parameter.key == "ca" || parameter.key == "insecure") && target.tls) {
      throw store::invalid_argument(fmt::format("?{} of a rediss:// URL takes {}", parameter.key,
                                                parameter.key == "ca" ? "a PEM file of CA certificates" : "1 or 0"));
    } else if (parameter.key == "ca" || parameter.key == "insecure") {
      throw store::invalid_argument(fmt::format("?{} applies to rediss:// (TLS) only; {}", parameter.key, k_shape));
    } else {
      throw store::invalid_argument(fmt::format("unknown parameter '{}' in a Redis URL; {}", parameter.key, k_shape));
    }
  }
  if (!db.empty()) {
    target.db = number(db, 0, 65535, "database");
  }
  return target;
}

} // namespace dbmcp::backends::redis
