// The key/value tools of a Capability::key_values store (Redis): cache_get, cache_scan,
// cache_stats, and unless read-only cache_set, cache_delete, cache_expire.
#include "tools/answer_budget.hpp"
#include "tools/tool_kit.hpp"

#include <fmt/format.h>

namespace dbmcp::tools {
namespace {

// The longest TTL a call may set: ten years, far beyond any cache and within Redis' range.
constexpr int64_t k_max_ttl_seconds = 10LL * 366 * 24 * 3600;
// The most keys one cache_get or cache_delete names.
constexpr size_t k_max_keys = 100;

// `key` or `keys` (exactly one of them); `plural` says which was given.
std::vector<std::string> requested_keys(const Arguments& args, bool& plural)
{
  plural = args.has("keys");
  if (plural == args.has("key")) {
    throw store::invalid_argument("give either 'key' (one key) or 'keys' (a list of keys)");
  }
  std::vector<std::string> keys = plural ? args.strings("keys") : std::vector<std::string>{args.required_string("key")};
  if (keys.empty() || keys.size() > k_max_keys) {
    throw store::invalid_argument(fmt::format("'keys' takes 1 to {} keys, got {}", k_max_keys, keys.size()));
  }
  return keys;
}

std::optional<std::chrono::seconds> ttl_argument(const Arguments& args)
{
  if (!args.has("ttl_seconds")) {
    return std::nullopt;
  }
  return std::chrono::seconds(args.integer("ttl_seconds", 0, 1, k_max_ttl_seconds));
}

// A key as cache_get answers it; its value is cut to what is left of `budget` (the cut value is
// the JSON text, shortened, with `value_cut` set).
Json key_entry(const store::KeyValue& read, AnswerBudget& budget, Truncation& truncation)
{
  Json entry{{"key", read.key}, {"found", read.found}};
  if (read.found) {
    entry["type"] = read.type;
    entry["value"] = read.value;
    entry["ttl_seconds"] = read.ttl_seconds;
    if (read.type != "string") {
      entry["length"] = read.length;
    }
    if (read.truncated) {
      entry["elements_omitted"] = read.length - static_cast<int64_t>(read.value.size());
    }
    const size_t size = json_size(entry);
    if (size > budget.remaining()) {
      const size_t others = size - json_size(entry["value"]);
      const size_t room = budget.remaining() > others + 64 ? budget.remaining() - others - 64 : 64;
      entry["value"] = cut_text(read.value.is_string() ? read.value.get<std::string>() : read.value.dump(), room);
      entry["value_cut"] = true;
      ++truncation.values_cut;
    }
  }
  budget.spend(json_size(entry));
  return entry;
}

Json cache_get(store::Store& store, const Json& arguments, const ToolOptions& options, CallContext& ctx)
{
  const Arguments args(arguments, {"key", "keys"});
  bool plural = false;
  const auto keys = requested_keys(args, plural);
  AnswerBudget budget(options.max_answer_bytes);
  budget.spend(k_answer_fields_bytes);
  Truncation truncation;
  Json entries = Json::array();
  for (const auto& key : keys) {
    entries.push_back(key_entry(store.key_values().get(key, ctx), budget, truncation));
  }
  Json result = plural ? Json{{"keys", std::move(entries)}} : std::move(entries.front());
  if (!truncation.empty()) {
    result["truncated"] = truncation_note(truncation, options.max_answer_bytes, "read fewer keys at a time");
  }
  return result;
}

store::SetCondition condition_argument(const Arguments& args)
{
  const std::string only_if = args.string("only_if").value_or("");
  if (only_if.empty()) {
    return store::SetCondition::always;
  }
  if (only_if == "absent") {
    return store::SetCondition::absent;
  }
  if (only_if == "present") {
    return store::SetCondition::present;
  }
  throw store::invalid_argument(fmt::format("only_if must be 'absent' or 'present', got '{}'", only_if));
}

Json cache_set(store::Store& store, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"key", "value", "ttl_seconds", "only_if"});
  const std::string key = args.required_string("key");
  if (!arguments.contains("value")) {
    throw store::invalid_argument("'value' is required (any JSON value; null is stored as null)");
  }
  const std::string text = arguments.at("value").dump();
  const store::KeyWrite write = store.key_values().set(key, text, ttl_argument(args), condition_argument(args), ctx);
  Json result{{"key", key}, {"stored", write.stored}};
  if (write.stored) {
    result["ttl_seconds"] = write.ttl_seconds;
    result["bytes"] = write.bytes;
  } else {
    result["reason"] = args.string("only_if") == "absent" ? "the key exists (only_if: absent)"
                                                          : "the key does not exist (only_if: present)";
  }
  return result;
}

Json cache_delete(store::Store& store, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"key", "keys"});
  bool plural = false;
  const auto keys = requested_keys(args, plural);
  return {{"deleted", store.key_values().remove(keys, ctx)}};
}

Json cache_expire(store::Store& store, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"key", "ttl_seconds"});
  const std::string key = args.required_string("key");
  const auto ttl = ttl_argument(args);
  const bool found = store.key_values().expire(key, ttl, ctx);
  return {{"key", key}, {"found", found}, {"ttl_seconds", found && ttl ? Json(ttl->count()) : Json(-1)}};
}

Json cache_scan(store::Store& store, const Json& arguments, const ToolOptions& options, CallContext& ctx)
{
  const Arguments args(arguments, {"pattern", "cursor", "count", "type"});
  store::ScanRequest request;
  request.pattern = args.string("pattern").value_or("*");
  request.cursor = args.string("cursor").value_or("0");
  if (request.cursor.empty() || request.cursor.find_first_not_of("0123456789") != std::string::npos) {
    throw store::invalid_argument("'cursor' is the next_cursor of the previous page, or \"0\" to start");
  }
  request.count = args.integer("count", 100, 1, 1000);
  request.type = args.string("type");
  const store::ScanPage page = store.key_values().scan(request, ctx);
  Json keys = Json::array();
  for (const auto& key : page.keys) {
    keys.push_back({{"key", key.key}, {"type", key.type}, {"ttl_seconds", key.ttl_seconds}});
  }
  // A page cannot be cut and resumed (the cursor is Redis'), so one too large is refused.
  if (json_size(keys) + k_answer_fields_bytes > options.max_answer_bytes) {
    throw store::invalid_argument(fmt::format(
        "this page of {} keys is larger than the answer budget ({} bytes); ask again with the same cursor and a "
        "smaller count",
        page.keys.size(), options.max_answer_bytes));
  }
  const bool done = page.cursor == "0";
  return {{"keys", std::move(keys)}, {"next_cursor", done ? Json(nullptr) : Json(page.cursor)}, {"done", done}};
}

using namespace schema;

Json key_or_keys()
{
  return object({{"key", string("One key")}, {"keys", strings("Several keys (at most 100)")}});
}

} // namespace

void add_key_value_tools(Registry& registry, store::Store& store, const ToolOptions& options)
{
  registry.add({"cache_get", "Read keys",
                "Reads a key ({key}) or several ({keys}): found, type, value (JSON when stored as JSON; hashes, lists, "
                "sets and sorted sets as JSON, first 1000 elements) and remaining ttl_seconds (-1: no expiry).",
                key_or_keys(), {{"type", "object"}}, true, false, true,
                [&store, options](const Json& arguments, CallContext& ctx) {
                  return cache_get(store, arguments, options, ctx);
                }});
  registry.add({"cache_scan", "Scan keys",
                "Lists keys matching a glob pattern one page at a time (Redis SCAN): each key with its type and "
                "ttl_seconds. Pass next_cursor back until done is true; a page may be empty before the end.",
                object({{"pattern", string("Glob: * any run, ? one character, [abc] a set (default *)")},
                        {"cursor", string("next_cursor of the previous page (default \"0\": start)")},
                        {"count", integer("Keys Redis examines per page (a hint; default 100)", 1, 1000)},
                        {"type", {{"type", "string"},
                                  {"enum", {"string", "hash", "list", "set", "zset", "stream"}},
                                  {"description", "Only keys of this type"}}}}),
                {{"type", "object"}}, true, false, true,
                [&store, options](const Json& arguments, CallContext& ctx) {
                  return cache_scan(store, arguments, options, ctx);
                }});
  registry.add({"cache_stats", "Key-value statistics",
                "Server version, memory, clients, keyspace hits and misses, keys per database.", object(Json::object()),
                {{"type", "object"}}, true, false, true, [&store](const Json& arguments, CallContext& ctx) {
                  const Arguments args(arguments, {});
                  return store.key_values().stats(ctx);
                }});
  if (options.read_only) {
    return;
  }
  registry.add({"cache_set", "Store a key",
                "Stores any JSON value under a key (as JSON text), optionally with a TTL and only if the key is "
                "absent or present. Answers stored, ttl_seconds and bytes.",
                object({{"key", string("The key")},
                        {"value", {{"description", "Any JSON value"}}},
                        {"ttl_seconds", integer("Expire after this many seconds (default: never)", 1, k_max_ttl_seconds)},
                        {"only_if", {{"type", "string"}, {"enum", {"absent", "present"}},
                                     {"description", "Write only when the key is absent (create) or present (replace)"}}}},
                       {"key", "value"}),
                {{"type", "object"}}, false, true, true,
                [&store](const Json& arguments, CallContext& ctx) { return cache_set(store, arguments, ctx); }});
  registry.add({"cache_delete", "Delete keys", "Deletes a key ({key}) or several ({keys}); answers how many existed.",
                key_or_keys(), {{"type", "object"}}, false, true, true,
                [&store](const Json& arguments, CallContext& ctx) { return cache_delete(store, arguments, ctx); }});
  registry.add({"cache_expire", "Set a key's TTL",
                "Sets a key's time to live, or removes it (the key then persists) when ttl_seconds is absent.",
                object({{"key", string("The key")},
                        {"ttl_seconds", integer("Expire after this many seconds (absent: never)", 1, k_max_ttl_seconds)}},
                       {"key"}),
                {{"type", "object"}}, false, false, true,
                [&store](const Json& arguments, CallContext& ctx) { return cache_expire(store, arguments, ctx); }});
}

} // namespace dbmcp::tools
