#include "backends/redis/redis_shared_cache.hpp"

#include "backends/redis/redis_connection.hpp"
#include "store/errors.hpp"

#include <fmt/format.h>

namespace dbmcp::backends::redis {
namespace {

// A cache answers in milliseconds or not at all: a slow server must not hold a read back for long.
constexpr std::chrono::milliseconds k_connect_timeout{1000};
constexpr std::chrono::milliseconds k_command_timeout{1000};

class RedisSharedCache final : public cache::SharedCache
{
public:
  explicit RedisSharedCache(RedisTarget target)
    : m_where(target.socket.empty()
                  ? fmt::format("{}://{}:{}/{}", target.tls ? "rediss" : "redis", target.host, target.port, target.db)
                  : fmt::format("unix://{}?db={}", target.socket, target.db)),
      m_client(std::move(target), k_connect_timeout, k_command_timeout)
  {
  }

  std::string describe() const override { return m_where; }

  std::optional<std::string> get(const std::string& key) override
  {
    return guarded([&]() -> std::optional<std::string> {
      const Reply reply = m_client.run({"GET", key});
      if (reply->type == REDIS_REPLY_NIL) {
        return std::nullopt;
      }
      return std::string(reply->str, reply->len);
    });
  }

  void set(const std::string& key, const std::string& value, std::chrono::seconds ttl) override
  {
    const auto seconds = std::max<int64_t>(1, ttl.count());
    guarded([&] { return m_client.run({"SET", key, value, "EX", std::to_string(seconds)}) != nullptr; });
  }

  std::vector<int64_t> counters(const std::vector<std::string>& keys) override
  {
    if (keys.empty()) {
      return {};
    }
    return guarded([&] {
      Command command{"MGET"};
      command.insert(command.end(), keys.begin(), keys.end());
      const Reply reply = m_client.run(command);
      std::vector<int64_t> values;
      for (size_t i = 0; i < reply->elements; ++i) {
        const redisReply& element = *reply->element[i];
        values.push_back(element.type == REDIS_REPLY_STRING ? std::stoll(std::string(element.str, element.len)) : 0);
      }
      return values;
    });
  }

  void bump(const std::vector<std::string>& keys) override
  {
    if (keys.empty()) {
      return;
    }
    guarded([&] {
      std::vector<Command> commands;
      for (const auto& key : keys) {
        commands.push_back({"INCR", key});
      }
      return m_client.pipeline(commands).size();
    });
  }

private:
  // Runs `work`, turning every failure (server gone, error reply, unexpected reply) into CacheUnavailable.
  template <typename Work>
  auto guarded(Work&& work) -> decltype(work())
  {
    try {
      return work();
    } catch (const std::exception& e) {
      throw cache::CacheUnavailable(fmt::format("{}: {}", m_where, e.what()));
    }
  }

  const std::string m_where;
  Client m_client;
};

} // namespace

std::unique_ptr<cache::SharedCache> open_redis_shared_cache(const std::string& url)
{
  return std::make_unique<RedisSharedCache>(parse_url(url));
}

} // namespace dbmcp::backends::redis
