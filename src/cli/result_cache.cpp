#include "cache/cached_tools.hpp"
#include "backends/module_loader.hpp"
#include "cache/factory.hpp"
#include "cli/commands.hpp"
#include "util/fatal.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <mutex>
#include <stdexcept>

namespace dbmcp::cli {
namespace {

// What makes two processes' answers to an equal request differ besides the data: the access
// policy in force among them (its fingerprint), so processes under different policies sharing a
// cache never share answers.
std::string answer_options(const tools::ToolOptions& tools, const store::StoreOptions& options,
                           const policy::Policy* policy)
{
  return Json{{"version", DBMCP_VERSION},
              {"policy", policy ? Json(policy->fingerprint()) : Json(nullptr)},
              {"max_rows", tools.max_rows},
              {"max_answer_bytes", tools.max_answer_bytes},
              {"read_only", options.read_only},
              {"tables", options.visibility.include},
              {"exclude_tables", options.visibility.exclude}}
      .dump();
}

// --cache redis://… and unix://… open through the Redis module (dbmcp-redis.so), loaded only then.
// The module opens without connecting, so whatever it throws is about the URL or the module.
void register_redis_cache()
{
  static std::once_flag once;
  std::call_once(once, [] {
    for (const char* scheme : {"redis", "rediss", "unix"}) {
      cache::register_factory(scheme, [](const std::string& url, size_t) {
        try {
          return backends::open_shared_cache_with_module("redis", url);
        } catch (const store::StoreError& e) {
          throw std::invalid_argument(fmt::format("--cache: {}", e.what()));
        }
      });
    }
  });
}

} // namespace

std::shared_ptr<cache::ResultCache> open_result_cache(const GlobalFlags& flags, const store::StoreOptions& options)
{
  const config::CacheSettings settings = resolve_cache_settings(flags.connection);
  if (settings.url.empty()) {
    return nullptr;
  }
  register_redis_cache();
  std::unique_ptr<cache::SharedCache> shared;
  try {
    shared = cache::open_cache(settings.url, settings.max_bytes);
  } catch (const std::invalid_argument& e) {
    throw Fatal(e.what(), 2);
  } catch (const cache::CacheUnavailable& e) {
    throw Fatal(fmt::format("the result cache cannot be opened: {}", e.what()), 1);
  }
  log::write(LogLevel::info, fmt::format("result cache: {}, answers kept {} s", shared->describe(), settings.ttl_seconds));
  return std::make_shared<cache::ResultCache>(
      std::move(shared), cache::ResultCacheOptions{.ttl = std::chrono::seconds(settings.ttl_seconds),
                                                   .database = config::redact_url(options.url),
                                                   .answer_options = answer_options(tool_options(flags, options), options,
                                                                                 resolve_policy(flags.connection).get())});
}

tools::Registry database_tools(const GlobalFlags& flags, const store::StoreOptions& options, store::Store& store)
{
  tools::ToolOptions tools = tool_options(flags, options);
  if (const auto policy = resolve_policy(flags.connection); policy && !tools.read_only) {
    // The tables the catalog shows, when it can be read now: a write tool only some table can use.
    try {
      policy::Access allowed;
      for (const auto& table : store.schema()->tables) {
        const policy::Access access = policy->access_of(table.name);
        allowed.insert = allowed.insert || access.insert;
        allowed.update = allowed.update || access.update;
        allowed.remove = allowed.remove || access.remove;
      }
      tools.insert = tools.insert && allowed.insert;
      tools.update = tools.update && allowed.update;
      tools.remove = tools.remove && allowed.remove;
      tools.read_only = !allowed.writes();
    } catch (const store::StoreError&) {
      // Unreachable yet: the tool set follows the policy file alone (tool_options).
    }
  }
  tools::Registry registry = tools::make_database_tools(store, tools);
  auto result_cache = open_result_cache(flags, options);
  return result_cache ? cache::with_result_cache(registry, store, std::move(result_cache)) : registry;
}

void invalidate_result_cache(const GlobalFlags& flags, const store::StoreOptions& options, store::Store& store)
{
  const auto result_cache = open_result_cache(flags, options);
  if (!result_cache) {
    return;
  }
  std::vector<std::string> tables;
  for (const auto& table : store.schema()->tables) {
    tables.push_back(table.name);
  }
  result_cache->write(tables, [] { return Json::object(); });
}

} // namespace dbmcp::cli
