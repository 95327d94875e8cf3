#pragma once

#include <string>

namespace dbmcp::backends::redis {

// Where and how to connect: a TCP host and port, or a unix socket.
struct RedisTarget
{
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string socket; // a unix socket path; when set, host and port are unused
  int db = 0;
  std::string user;     // empty: AUTH with the password only (the default user)
  std::string password; // empty: no AUTH
  // rediss://: TLS, the server's certificate checked against `tls_ca` (a PEM file; empty: the
  // system's CA store) and its name against `host`, unless `tls_insecure` (?insecure=1).
  bool tls = false;
  std::string tls_ca;
  bool tls_insecure = false;
};

// The target of redis://[user:password@]host[:port][/db], rediss://…[?ca=FILE][&insecure=1] (TLS), or
// unix://[user:password@]/path/redis.sock?db=N; user, password percent-decoded. Throws
// invalid_argument for a malformed URL, a database that is not a number from 0 to 65535 or an
// unknown parameter, never quoting the password.
RedisTarget parse_url(const std::string& url);

} // namespace dbmcp::backends::redis
