#pragma once

#include "store/schema.hpp"

#include <chrono>
#include <string>

namespace dbmcp::store {

// Everything a backend needs to open a database, resolved by config/ from flags, environment,
// .env and secrets.
struct StoreOptions
{
  std::string url;           // sqlite:…, postgresql://…, or a bare path
  bool read_only = false;    // open read-only; every write throws read_only
  Visibility visibility;     // --tables / --exclude-tables
  int pool_min = 1;
  int pool_max = 10;
  std::chrono::milliseconds pool_timeout{5000};
  std::chrono::milliseconds statement_timeout{0}; // 0: none
  bool create = true;        // SQLite: create the file when missing (WAL journal when created)
  bool wal = false;          // SQLite: switch an existing file to WAL; otherwise its journal mode is kept
  std::string key_prefix;    // key-value stores: every key the tools name lives under this prefix (--key-prefix)
};

} // namespace dbmcp::store
