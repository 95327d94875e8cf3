#pragma once

#include "backends/redis/redis_connection.hpp"
#include "store/key_values.hpp"

#include <string>

namespace dbmcp::backends::redis {

// The most elements of a hash, list, set or sorted set one read returns.
inline constexpr int64_t k_max_elements = 1000;

// `text` parsed when it is JSON, else `text` as a JSON string.
Json json_or_string(const std::string& text);

// Reads the value of `key` (already prefixed), of Redis type `type`, into `out` (value, bytes,
// length, truncated). Throws like Client::run.
void read_value(Client& client, const std::string& key, const std::string& type, store::KeyValue& out);

// INFO's "field:value" lines, sections dropped.
Json parse_info(const std::string& info);

} // namespace dbmcp::backends::redis
