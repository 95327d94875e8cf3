#include "backends/redis/redis_wire.hpp"

#include "backends/redis/redis_tls_wire.hpp"
#include "store/errors.hpp"

#include <fmt/format.h>

namespace dbmcp::backends::redis {
namespace {

timeval to_timeval(std::chrono::milliseconds duration)
{
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

// TCP or a unix socket, all of it hiredis'.
class PlainWire final : public Wire
{
public:
  PlainWire(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
            std::chrono::milliseconds command_timeout)
  {
    const timeval tv = to_timeval(connect_timeout);
    m_context = target.socket.empty() ? redisConnectWithTimeout(target.host.c_str(), target.port, tv)
                                      : redisConnectUnixWithTimeout(target.socket.c_str(), tv);
    if (m_context == nullptr) {
      throw store::unavailable("cannot allocate a Redis connection");
    }
    if (m_context->err != 0) {
      const std::string reason = m_context->errstr;
      redisFree(m_context);
      throw store::unavailable(fmt::format("cannot connect to Redis at {}: {}", where(target), reason));
    }
    if (command_timeout.count() > 0) {
      redisSetTimeout(m_context, to_timeval(command_timeout));
    }
  }
  ~PlainWire() override { redisFree(m_context); }
  PlainWire(const PlainWire&) = delete;
  PlainWire& operator=(const PlainWire&) = delete;

  void send(const std::vector<Command>& commands) override
  {
    for (const auto& command : commands) {
      CommandArgv parts(command); // hiredis 0.14 takes a non-const argv
      if (redisAppendCommandArgv(m_context, parts.size(), parts.argv.data(), parts.lengths.data()) != REDIS_OK) {
        fail("sending a command");
      }
    }
  }

  Reply receive() override
  {
    void* raw = nullptr;
    if (redisGetReply(m_context, &raw) != REDIS_OK || raw == nullptr) {
      fail("reading a reply");
    }
    return Reply(static_cast<redisReply*>(raw));
  }

private:
  [[noreturn]] void fail(const char* doing)
  {
    throw WireError(fmt::format("{}: {}", doing, m_context->errstr[0] != '\0' ? m_context->errstr : "connection lost"));
  }

  redisContext* m_context = nullptr;
};

} // namespace

std::string where(const RedisTarget& target)
{
  return target.socket.empty() ? fmt::format("{}:{}", target.host, target.port) : target.socket;
}

std::unique_ptr<Wire> open_wire(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
                                std::chrono::milliseconds command_timeout)
{
  if (target.tls) {
    return open_tls_wire(target, connect_timeout, command_timeout);
  }
  return std::make_unique<PlainWire>(target, connect_timeout, command_timeout);
}

} // namespace dbmcp::backends::redis
