#pragma once

#include "backends/redis/redis_wire.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace dbmcp::backends::redis {

// One connection (a Wire: plain or TLS), authenticated and on its database. Not thread-safe
// (Client serialises).
class Connection
{
public:
  // Connects, AUTHs and SELECTs; throws unavailable when the server cannot be reached or refuses
  // the password, `timeout` bounding the connect and then each reply (0: no bound on replies).
  Connection(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
             std::chrono::milliseconds command_timeout);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `command`; throws unavailable (and the connection is then broken()) on an I/O failure,
  // and the mapped StoreError for an error reply.
  Reply run(const Command& command);
  // Runs `commands` in one round trip; the replies in order. An error reply throws.
  std::vector<Reply> pipeline(const std::vector<Command>& commands);
  // Whether an I/O failure happened: the connection must not be reused.
  bool broken() const { return m_broken; }

private:
  std::unique_ptr<Wire> m_wire;
  bool m_broken = false;
};

// The connection to one server, opened on first use and reopened after a failure: a call that
// fails because the server went away throws unavailable, and the next call reconnects.
// Thread-safe: calls are serialised on the one connection.
class Client
{
public:
  Client(RedisTarget target, std::chrono::milliseconds connect_timeout, std::chrono::milliseconds command_timeout);

  Reply run(const Command& command);
  std::vector<Reply> pipeline(const std::vector<Command>& commands);
  const RedisTarget& target() const { return m_target; }

private:
  // The open connection; call with m_mutex held.
  Connection& connection();

  const RedisTarget m_target;
  const std::chrono::milliseconds m_connect_timeout;
  const std::chrono::milliseconds m_command_timeout;
  std::mutex m_mutex;
  std::unique_ptr<Connection> m_connection; // guarded by m_mutex
};

// The text of a string or status reply; "" for nil.
std::string text_of(const redisReply& reply);

} // namespace dbmcp::backends::redis
