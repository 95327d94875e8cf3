#include "backends/redis/redis_connection.hpp"

#include "store/errors.hpp"

#include <fmt/format.h>

namespace dbmcp::backends::redis {
namespace {

// The StoreError of an error reply ("WRONGTYPE Operation against a key holding the wrong kind of value").
store::StoreError error_of(const std::string& message)
{
  const std::string code = message.substr(0, message.find(' '));
  if (code == "READONLY") {
    return store::read_only("the Redis server is a read-only replica: " + message);
  }
  if (code == "NOAUTH" || code == "WRONGPASS" || code == "LOADING" || code == "BUSY" || code == "MASTERDOWN") {
    return store::unavailable("Redis: " + message);
  }
  if (code == "NOPERM") {
    return store::StoreError(store::ErrorCode::read_only, "Redis refused the command for this user: " + message);
  }
  if (code == "OOM") {
    return store::unavailable("Redis is out of memory (maxmemory): " + message);
  }
  return store::invalid_argument("Redis: " + message);
}

} // namespace

Connection::Connection(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
                       std::chrono::milliseconds command_timeout)
  : m_wire(open_wire(target, connect_timeout, command_timeout))
{
  if (!target.password.empty()) {
    run(target.user.empty() ? Command{"AUTH", target.password} : Command{"AUTH", target.user, target.password});
  }
  if (target.db != 0) {
    run({"SELECT", std::to_string(target.db)});
  }
}

Reply Connection::run(const Command& command)
{
  return std::move(pipeline({command}).front());
}

std::vector<Reply> Connection::pipeline(const std::vector<Command>& commands)
{
  std::vector<Reply> replies;
  replies.reserve(commands.size());
  try {
    m_wire->send(commands);
    for (size_t i = 0; i < commands.size(); ++i) {
      replies.push_back(m_wire->receive());
    }
  } catch (const WireError& error) {
    m_broken = true;
    throw store::unavailable(fmt::format("the Redis connection failed while {}", error.what()));
  }
  // Every reply is read before an error is thrown, so that the connection stays in step.
  for (const auto& reply : replies) {
    if (reply->type == REDIS_REPLY_ERROR) {
      throw error_of(std::string(reply->str, reply->len));
    }
  }
  return replies;
}

Client::Client(RedisTarget target, std::chrono::milliseconds connect_timeout, std::chrono::milliseconds command_timeout)
  : m_target(std::move(target)), m_connect_timeout(connect_timeout), m_command_timeout(command_timeout)
{
}

Connection& Client::connection()
{
  if (m_connection && m_connection->broken()) {
    m_connection.reset();
  }
  if (!m_connection) {
    m_connection = std::make_unique<Connection>(m_target, m_connect_timeout, m_command_timeout);
  }
  return *m_connection;
}

Reply Client::run(const Command& command)
{
  const std::lock_guard lock(m_mutex);
  return connection().run(command);
}

std::vector<Reply> Client::pipeline(const std::vector<Command>& commands)
{
  const std::lock_guard lock(m_mutex);
  return connection().pipeline(commands);
}

std::string text_of(const redisReply& reply)
{
  if (reply.type == REDIS_REPLY_STRING || reply.type == REDIS_REPLY_STATUS) {
    return std::string(reply.str, reply.len);
  }
  if (reply.type == REDIS_REPLY_INTEGER) {
    return std::to_string(reply.integer);
  }
  return {};
}

} // namespace dbmcp::backends::redis
