#include "backends/redis/redis_store.hpp"

#include "backends/redis/redis_connection.hpp"
#include "backends/redis/redis_url.hpp"
#include "backends/redis/redis_values.hpp"
#include "config/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace dbmcp::backends::redis {
namespace {

using namespace std::chrono_literals;

// `text` with the glob characters of SCAN MATCH escaped, so that a prefix matches itself only.
std::string glob_escaped(const std::string& text)
{
  std::string out;
  for (const char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

int64_t ttl_of(const redisReply& reply)
{
  return reply.integer >= 0 ? reply.integer : -1;
}

// A Redis database as a key-value store. The relational methods of Store answer invalid_argument:
// the tools never call them on a key_values store, and `dbmcp init` or a script gets a clear refusal.
class RedisStore final : public store::Store, public store::KeyValues
{
public:
  RedisStore(const store::StoreOptions& options, RedisTarget target)
    : m_url(options.url), m_prefix(options.key_prefix), m_read_only(options.read_only),
      m_client(std::move(target), options.pool_timeout,
               options.statement_timeout.count() > 0 ? options.statement_timeout : std::chrono::milliseconds(30s)),
      m_schema(std::make_shared<store::Schema>())
  {
  }

  std::string backend() const override { return "redis"; }
  store::Capability capability() const override { return store::Capability::key_values; }
  store::KeyValues& key_values() override { return *this; }

  std::shared_ptr<const store::Schema> schema() const override { return m_schema; }
  void refresh_schema() override {}
  std::vector<store::Row> select(const store::Select&, CallContext&) override { refuse(); }
  int64_t count(const std::string&, const store::Filter&, const std::optional<store::TextSearch>&,
                CallContext&) override
  {
    refuse();
  }
  std::vector<store::Row> aggregate(const store::AggregateQuery&, CallContext&) override { refuse(); }
  store::InsertResult insert(const std::string&, const store::Row&, const std::vector<store::RelatedRows>&,
                             CallContext&) override
  {
    refuse();
  }
  store::BatchResult insert_many(const store::BatchInsert&, CallContext&) override { refuse(); }
  std::vector<store::Row> update(const std::string&, const store::Filter&, const store::Row&, const store::WriteLimits&,
                                 CallContext&) override
  {
    refuse();
  }
  std::vector<store::Row> remove(const std::string&, const store::Filter&, const store::WriteLimits&,
                                 CallContext&) override
  {
    refuse();
  }
  Json maintenance(store::Maintenance, const std::string&, CallContext&) override { refuse(); }
  void execute_script(const std::string&, CallContext&) override { refuse(); }

  Json diagnostics(CallContext& ctx) override
  {
    Json result = stats(ctx);
    result["backend"] = "redis";
    result["connection"] = config::redact_url(m_url);
    result["key_prefix"] = m_prefix.empty() ? Json(nullptr) : Json(m_prefix);
    result["read_only"] = m_read_only;
    return result;
  }

  void ping(CallContext& ctx) override
  {
    ctx.throw_if_cancelled();
    m_client.run({"PING"});
  }

  store::KeyValue get(const std::string& key, CallContext& ctx) override
  {
    ctx.throw_if_cancelled();
    const std::string full = prefixed(key);
    const auto replies = m_client.pipeline({{"TYPE", full}, {"TTL", full}});
    store::KeyValue out;
    out.key = key;
    out.type = text_of(*replies[0]);
    if (out.type == "none") {
      out.type.clear();
      return out;
    }
    out.found = true;
    out.ttl_seconds = ttl_of(*replies[1]);
    read_value(m_client, full, out.type, out);
    return out;
  }

  store::KeyWrite set(const std::string& key, const std::string& text, std::optional<std::chrono::seconds> ttl,
                      store::SetCondition condition, CallContext& ctx) override
  {
    check_writable(ctx);
    redis::Command command{"SET", prefixed(key), text};
    if (ttl) {
      command.insert(command.end(), {"EX", std::to_string(ttl->count())});
    }
    if (condition != store::SetCondition::always) {
      command.push_back(condition == store::SetCondition::absent ? "NX" : "XX");
    }
    const Reply reply = m_client.run(command);
    store::KeyWrite out;
    out.stored = reply->type != REDIS_REPLY_NIL;
    out.ttl_seconds = ttl ? ttl->count() : -1;
    out.bytes = out.stored ? text.size() : 0;
    return out;
  }

  int64_t remove(const std::vector<std::string>& keys, CallContext& ctx) override
  {
    check_writable(ctx);
    if (keys.empty()) {
      return 0;
    }
    redis::Command command{"DEL"};
    for (const auto& key : keys) {
      command.push_back(prefixed(key));
    }
    return m_client.run(command)->integer;
  }

  bool expire(const std::string& key, std::optional<std::chrono::seconds> ttl, CallContext& ctx) override
  {
    check_writable(ctx);
    const std::string full = prefixed(key);
    if (ttl) {
      return m_client.run({"EXPIRE", full, std::to_string(ttl->count())})->integer == 1;
    }
    const auto replies = m_client.pipeline({{"EXISTS", full}, {"PERSIST", full}});
    return replies[0]->integer == 1;
  }

  store::ScanPage scan(const store::ScanRequest& request, CallContext& ctx) override
  {
    ctx.throw_if_cancelled();
    redis::Command command{"SCAN", request.cursor, "MATCH", glob_escaped(m_prefix) + request.pattern, "COUNT",
                           std::to_string(request.count)};
    if (request.type) {
      command.insert(command.end(), {"TYPE", *request.type});
    }
    const Reply reply = m_client.run(command);
    store::ScanPage page;
    page.cursor = text_of(*reply->element[0]);
    std::set<std::string> seen;
    std::vector<redis::Command> details;
    for (size_t i = 0; i < reply->element[1]->elements; ++i) {
      const std::string full = text_of(*reply->element[1]->element[i]);
      if (full.compare(0, m_prefix.size(), m_prefix) != 0 || !seen.insert(full).second) {
        continue;
      }
      page.keys.push_back({full.substr(m_prefix.size()), "", -1});
      details.push_back({"TYPE", full});
      details.push_back({"TTL", full});
    }
    if (!details.empty()) {
      const auto replies = m_client.pipeline(details);
      for (size_t i = 0; i < page.keys.size(); ++i) {
        page.keys[i].type = text_of(*replies[2 * i]);
        page.keys[i].ttl_seconds = ttl_of(*replies[2 * i + 1]);
      }
    }
    return page;
  }

  Json stats(CallContext& ctx) override
  {
    ctx.throw_if_cancelled();
    const Json info = parse_info(text_of(*m_client.run({"INFO"})));
    const auto field = [&info](const char* name) { return info.value(name, std::string()); };
    const auto number = [&field](const char* name) -> Json {
      const std::string text = field(name);
      return text.empty() ? Json(nullptr) : Json(std::stoll(text));
    };
    Json keyspace = Json::object();
    for (const auto& [name, value] : info.items()) {
      if (name.rfind("db", 0) == 0 && name.size() > 2 && std::isdigit(static_cast<unsigned char>(name[2]))) {
        keyspace[name] = keyspace_entry(value.get<std::string>());
      }
    }
    const Json hits = number("keyspace_hits");
    const Json misses = number("keyspace_misses");
    Json ratio = nullptr;
    if (hits.is_number() && misses.is_number() && hits.get<int64_t>() + misses.get<int64_t>() > 0) {
      ratio = static_cast<double>(hits.get<int64_t>()) / static_cast<double>(hits.get<int64_t>() + misses.get<int64_t>());
    }
    return {{"version", field("redis_version")},
            {"mode", field("redis_mode")},
            {"uptime_seconds", number("uptime_in_seconds")},
            {"memory", {{"used_bytes", number("used_memory")}, {"used", field("used_memory_human")},
                        {"peak", field("used_memory_peak_human")}, {"max_bytes", number("maxmemory")},
                        {"policy", field("maxmemory_policy")}}},
            {"clients", {{"connected", number("connected_clients")}, {"blocked", number("blocked_clients")}}},
            {"keyspace_hits", hits},
            {"keyspace_misses", misses},
            {"hit_ratio", ratio},
            {"expired_keys", number("expired_keys")},
            {"evicted_keys", number("evicted_keys")},
            {"database", m_client.target().db},
            {"keyspace", keyspace}};
  }

private:
  [[noreturn]] static void refuse()
  {
    throw store::invalid_argument("Redis stores keys, not tables: use the cache_* tools");
  }

  // `key` under the prefix; throws invalid_argument for an empty key.
  std::string prefixed(const std::string& key) const
  {
    if (key.empty()) {
      throw store::invalid_argument("a key must not be empty");
    }
    return m_prefix + key;
  }

  void check_writable(CallContext& ctx) const
  {
    ctx.throw_if_cancelled();
    if (m_read_only) {
      throw store::read_only("the database is open read-only (--read-only)");
    }
  }

  // "keys=3,expires=1,avg_ttl=0" as {"keys": 3, "expires": 1, "avg_ttl_ms": 0}.
  static Json keyspace_entry(const std::string& text)
  {
    Json entry = Json::object();
    size_t start = 0;
    while (start < text.size()) {
      const size_t end = std::min(text.find(',', start), text.size());
      const std::string part = text.substr(start, end - start);
      const auto equals = part.find('=');
      if (equals != std::string::npos) {
        const std::string name = part.substr(0, equals);
        entry[name == "avg_ttl" ? "avg_ttl_ms" : name] = std::stoll(part.substr(equals + 1));
      }
      start = end + 1;
    }
    return entry;
  }

  const std::string m_url;
  const std::string m_prefix;
  const bool m_read_only;
  Client m_client;
  const std::shared_ptr<const store::Schema> m_schema;
};

} // namespace

std::unique_ptr<store::Store> open_redis_store(const store::StoreOptions& options)
{
  auto store = std::make_unique<RedisStore>(options, parse_url(options.url));
  CallContext ctx;
  store->ping(ctx);
  return store;
}

} // namespace dbmcp::backends::redis
