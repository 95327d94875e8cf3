#pragma once

#include "util/call_context.hpp"
#include "util/json.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dbmcp::store {

// What a store offers the tools: tables of records (the relational methods of Store) or keys with
// values (KeyValues). The tools register the tool set of the capability only (tools/database_tools.hpp).
enum class Capability { records, key_values };

// When cache_set writes: always, only when the key is absent (SET NX), only when present (SET XX).
enum class SetCondition { always, absent, present };

// A key as a read finds it. `ttl_seconds` is the remaining time to live, -1 when the key never expires.
struct KeyValue
{
  std::string key;
  bool found = false;
  std::string type;    // "string", "hash", "list", "set", "zset", "stream"; empty when not found
  Json value;          // strings as parsed JSON when they are JSON, else the string; containers as JSON
  int64_t ttl_seconds = -1;
  size_t bytes = 0;    // the size of a string value as stored
  int64_t length = 0;  // elements of a hash, list, set or sorted set
  bool truncated = false; // a container longer than the store reads at once: `value` holds its first elements
};

// The outcome of a write: whether it happened (a condition may refuse it) and the key's TTL after.
struct KeyWrite
{
  bool stored = false;
  int64_t ttl_seconds = -1;
  size_t bytes = 0;
};

// One key of a scan page.
struct ScannedKey
{
  std::string key;
  std::string type;
  int64_t ttl_seconds = -1;
};

// A page of keys matching `pattern` (a glob: * ? [...]); `cursor` "0" starts, and the page's
// cursor is "0" when the scan is complete. A key may appear on at most one page while it exists
// throughout the scan (the engine's guarantee is at least once; the store removes repeats within
// a page only).
struct ScanRequest
{
  std::string pattern = "*";
  std::string cursor = "0";
  int64_t count = 100;             // a hint: how many keys the engine looks at per step
  std::optional<std::string> type; // only keys of this type
};

struct ScanPage
{
  std::vector<ScannedKey> keys;
  std::string cursor; // "0" when done
};

// The key/value API of a Capability::key_values store. Every method is thread-safe. Keys are
// as the caller names them: a store confined to a key prefix (StoreOptions::key_prefix) adds it
// on the way in and removes it on the way out, so a key outside the prefix cannot be named.
// Failures throw StoreError: unavailable when the server cannot be reached (the call after it
// reconnects), timeout, read_only on a read-only store, invalid_argument for a bad argument.
class KeyValues
{
public:
  virtual ~KeyValues() = default;

  // The key; `found` false (and a null value) when absent.
  virtual KeyValue get(const std::string& key, CallContext& ctx) = 0;
  // Stores `text` as a string under `key`, with `ttl` when given (else without expiry).
  virtual KeyWrite set(const std::string& key, const std::string& text, std::optional<std::chrono::seconds> ttl,
                       SetCondition condition, CallContext& ctx) = 0;
  // Removes `keys`; returns how many existed.
  virtual int64_t remove(const std::vector<std::string>& keys, CallContext& ctx) = 0;
  // Sets `key`'s TTL, or removes it (the key persists) when `ttl` is nullopt; false when the key is absent.
  virtual bool expire(const std::string& key, std::optional<std::chrono::seconds> ttl, CallContext& ctx) = 0;
  virtual ScanPage scan(const ScanRequest& request, CallContext& ctx) = 0;
  // Engine version, memory, clients, hits and misses, keys per database.
  virtual Json stats(CallContext& ctx) = 0;
};

} // namespace dbmcp::store
