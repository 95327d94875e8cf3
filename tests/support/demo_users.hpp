#pragma once
// Calls shared by the e2e suites that run the demo schema (users, posts, ...) through the binary on
// each engine.
#include "support/mcp_client.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace dbmcp::test {

inline int64_t count(McpClient& client, const std::string& table)
{
  return client.call_ok("count_records", {{"table", table}})["count"].get<int64_t>();
}

// `count` users numbered from `first`, with unique emails; user `bad_at` breaks the age check.
inline Json users(int first, int count, int bad_at = -1)
{
  Json rows = Json::array();
  for (int i = first; i < first + count; ++i) {
    rows.push_back({{"name", "user " + std::to_string(i)},
                    {"email", "user" + std::to_string(i) + "@example.com"},
                    {"age", i == bad_at ? 200 : 20 + i % 50}});
  }
  return rows;
}

// insert_records of 100,000 rows, streamed from the request line (issue 14): an unknown column or
// a check violation in the last row writes nothing and is named with its row as before; a good
// batch is written whole. The demo database holds 5 users when it starts.
inline void check_streamed_insert(McpClient& client)
{
  Json rows = users(100, 100'000);
  rows[99'999]["emial"] = "x@example.com";
  const Json unknown = client.call_error("insert_records", {{"table", "users"}, {"records", rows}});
  CHECK(unknown["code"] == "invalid_argument");
  CHECK(unknown["message"] == "row 99999: unknown column 'emial' in users; did you mean 'email'?");
  CHECK(unknown["row"] == 99'999);
  rows[99'999].erase("emial");
  rows[99'999]["age"] = "old";
  const Json mistyped = client.call_error("insert_records", {{"table", "users"}, {"records", rows}});
  CHECK(mistyped["message"].get<std::string>().rfind("row 99999: users.age expects an integer (", 0) == 0);
  CHECK(mistyped["row"] == 99'999);
  const Json violating = client.call_error("insert_records", {{"table", "users"}, {"records", users(100, 100'000, 100'099)}});
  CHECK(violating["code"] == "check_violation");
  CHECK(violating["row"] == 99'999);
  CHECK(violating["message"].get<std::string>().find("row 99999") != std::string::npos);
  CHECK(count(client, "users") == 5);
  const Json done = client.call_ok("insert_records", {{"table", "users"}, {"records", users(100, 100'000)}});
  CHECK(done["inserted"] == 100'000);
  CHECK(done["batches"] == 100);
  CHECK(count(client, "users") == 100'005);
}

} // namespace dbmcp::test
