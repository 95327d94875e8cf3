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
};

// The target of redis://[user:password@]host[:port][/db], or unix://[user:password@]/path/redis.sock?db=N;
// user, password percent-decoded. Throws invalid_argument for a malformed URL, a database that is
// not a number from 0 to 65535, an unknown parameter or a rediss:// URL (TLS, which this build's
// hiredis lacks), never quoting the password.
RedisTarget parse_url(const std::string& url);

} // namespace dbmcp::backends::redis
