#pragma once

#include "backends/redis/redis_url.hpp"

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace dbmcp::backends::redis {

struct ReplyFree
{
  void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
// A reply owned by its caller; never null (a failure throws instead). An error reply is thrown too.
using Reply = std::unique_ptr<redisReply, ReplyFree>;
using Command = std::vector<std::string>;

// A command's parts as hiredis' *CommandArgv functions take them; points into the Command.
struct CommandArgv
{
  explicit CommandArgv(const Command& command)
  {
    for (const auto& part : command) {
      argv.push_back(part.data());
      lengths.push_back(part.size());
    }
  }
  int size() const { return static_cast<int>(argv.size()); }
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
};

// An I/O failure on a wire ("Connection reset by peer"): the wire must not be used again.
struct WireError : std::runtime_error
{
  using std::runtime_error::runtime_error;
};

// How a Connection talks to its server, below AUTH and SELECT: commands out, replies in, in order.
// Not thread-safe.
class Wire
{
public:
  virtual ~Wire() = default;
  // Sends `commands` (buffered and written in one go where the wire can). Throws WireError.
  virtual void send(const std::vector<Command>& commands) = 0;
  // The next reply, error replies included. Throws WireError.
  virtual Reply receive() = 0;
};

// A connected wire to `target`: TCP or a unix socket through hiredis, or TLS (rediss://) through
// OpenSSL with hiredis' command formatter and reply parser. `connect_timeout` bounds the connect
// (and the TLS handshake), `command_timeout` each read and write afterwards (0: unbounded). Throws
// store::StoreError (unavailable) with a message naming the server, never the password.
std::unique_ptr<Wire> open_wire(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
                                std::chrono::milliseconds command_timeout);

// "host:port" or the socket path of `target`, for messages.
std::string where(const RedisTarget& target);

} // namespace dbmcp::backends::redis
