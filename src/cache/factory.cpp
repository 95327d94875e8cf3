#include "cache/factory.hpp"

#include "cache/memory_cache.hpp"

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <stdexcept>

namespace dbmcp::cache {
namespace {

struct Factories
{
  std::mutex mutex;
  std::map<std::string, Factory> by_scheme;
};

Factories& factories()
{
  static Factories k_factories;
  return k_factories;
}

} // namespace

void register_factory(const std::string& scheme, Factory factory)
{
  auto& all = factories();
  const std::lock_guard lock(all.mutex);
  all.by_scheme[scheme] = std::move(factory);
}

std::unique_ptr<SharedCache> open_cache(const std::string& url, size_t max_bytes)
{
  if (url == "memory") {
    return std::make_unique<MemoryCache>(max_bytes);
  }
  const auto colon = url.find(':');
  const std::string scheme = colon == std::string::npos ? "" : url.substr(0, colon);
  Factory factory;
  {
    auto& all = factories();
    const std::lock_guard lock(all.mutex);
    if (const auto found = all.by_scheme.find(scheme); found != all.by_scheme.end()) {
      factory = found->second;
    }
  }
  if (factory) {
    return factory(url, max_bytes);
  }
  if (scheme == "redis" || scheme == "rediss" || scheme == "unix") {
    throw std::invalid_argument(fmt::format(
        "--cache {}:… needs the Redis module (src/backends/redis, built with hiredis), which this dbmcp does not "
        "have; use --cache memory",
        scheme));
  }
  throw std::invalid_argument("--cache takes 'memory' or a redis://host:6379/0 URL");
}

} // namespace dbmcp::cache
