#include "backends/redis/redis_values.hpp"

#include <algorithm>
#include <sstream>

namespace dbmcp::backends::redis {
namespace {

std::vector<std::string> texts(const redisReply& reply)
{
  std::vector<std::string> out;
  for (size_t i = 0; i < reply.elements; ++i) {
    out.push_back(text_of(*reply.element[i]));
  }
  return out;
}

// HSCAN / SSCAN `key` until `k_max_elements` are read or the scan ends; the flat reply items.
std::vector<std::string> scan_members(Client& client, const std::string& command, const std::string& key,
                                      int64_t per_item, bool& truncated)
{
  std::vector<std::string> items;
  std::string cursor = "0";
  do {
    const Reply reply = client.run({command, key, cursor, "COUNT", "500"});
    cursor = text_of(*reply->element[0]);
    for (auto& item : texts(*reply->element[1])) {
      items.push_back(std::move(item));
    }
  } while (cursor != "0" && static_cast<int64_t>(items.size()) < k_max_elements * per_item);
  truncated = cursor != "0";
  if (static_cast<int64_t>(items.size()) > k_max_elements * per_item) {
    items.resize(static_cast<size_t>(k_max_elements * per_item));
    truncated = true;
  }
  return items;
}

int64_t length_of(Client& client, const std::string& command, const std::string& key)
{
  return client.run({command, key})->integer;
}

} // namespace

Json json_or_string(const std::string& text)
{
  Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? Json(text) : parsed;
}

void read_value(Client& client, const std::string& key, const std::string& type, store::KeyValue& out)
{
  const std::string last = std::to_string(k_max_elements - 1);
  if (type == "string") {
    const Reply reply = client.run({"GET", key});
    const std::string text = text_of(*reply);
    out.bytes = text.size();
    out.value = reply->type == REDIS_REPLY_NIL ? Json(nullptr) : json_or_string(text);
  } else if (type == "list") {
    out.length = length_of(client, "LLEN", key);
    out.value = texts(*client.run({"LRANGE", key, "0", last}));
    out.truncated = out.length > k_max_elements;
  } else if (type == "zset") {
    out.length = length_of(client, "ZCARD", key);
    const auto items = texts(*client.run({"ZRANGE", key, "0", last, "WITHSCORES"}));
    out.value = Json::array();
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      out.value.push_back({{"member", items[i]}, {"score", json_or_string(items[i + 1])}});
    }
    out.truncated = out.length > k_max_elements;
  } else if (type == "hash") {
    out.length = length_of(client, "HLEN", key);
    const auto items = scan_members(client, "HSCAN", key, 2, out.truncated);
    out.value = Json::object();
    for (size_t i = 0; i + 1 < items.size(); i += 2) {
      out.value[items[i]] = items[i + 1];
    }
  } else if (type == "set") {
    out.length = length_of(client, "SCARD", key);
    auto items = scan_members(client, "SSCAN", key, 1, out.truncated);
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    out.value = items;
  } else {
    out.value = nullptr; // streams and module types: the type and TTL say what is there
  }
}

Json parse_info(const std::string& info)
{
  Json fields = Json::object();
  std::istringstream lines(info);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    const auto colon = line.find(':');
    if (line.empty() || line.front() == '#' || colon == std::string::npos) {
      continue;
    }
    fields[line.substr(0, colon)] = line.substr(colon + 1);
  }
  return fields;
}

} // namespace dbmcp::backends::redis
