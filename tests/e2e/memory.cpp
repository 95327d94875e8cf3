// The process's memory, through the built binary on SQLite (issue 14): an idle
// server stays small and starts its worker threads on demand, and a large
// insert_records gives its memory back to the system once it is answered. Sizes
// are read from /proc/PID/status. Under a sanitizer the sizes mean nothing
// (shadow memory, quarantine): there only the behaviour around them is checked.
#include "support/mcp_client.hpp"
#include "support/proc_status.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <thread>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

double mib(long kib) { return static_cast<double>(kib) / 1024; }

// A SQLite file with an empty `people` table.
std::string people_database() {
  const std::string path = temp_dir() + "/memory.db";
  const auto created =
      run({"/usr/bin/env", "sqlite3", path},
          "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
          "email TEXT NOT NULL UNIQUE, age INTEGER);\n");
  REQUIRE_MESSAGE(created.exit_code == 0, "sqlite3 failed: " << created.err);
  return path;
}

Json people(int count) {
  Json rows = Json::array();
  for (int i = 0; i < count; ++i) {
    rows.push_back({{"id", i + 1},
                    {"name", "person " + std::to_string(i)},
                    {"email", "p" + std::to_string(i) + "@example.com"},
                    {"age", i % 100}});
  }
  return rows;
}

} // namespace

TEST_SUITE("e2e: memory")
{
  TEST_CASE("memory: an idle server stays under 10 MiB and starts a worker thread only for work")
  {
    McpClient client({"--db", people_database()});
    const int pid = client.process().pid();
    CHECK(status_field(pid, "Threads") == 1); // the handshake is answered on the reading thread
    client.call_ok("list_tables", Json::object());
    CHECK(status_field(pid, "Threads") == 2); // one more, to read on while the reading thread ran the call
    if (!k_sanitized) {
      CHECK_MESSAGE(status_field(pid, "VmRSS") <= 10 * 1024, "idle RSS " << mib(status_field(pid, "VmRSS")) << " MiB");
    }
  }

  TEST_CASE("memory: a 100,000-row insert_records streams its rows and gives its memory back once answered")
  {
    McpClient client({"--db", people_database()});
    const int pid = client.process().pid();
    client.call_ok("list_tables", Json::object());
    const long idle = status_field(pid, "VmRSS");
    const Json arguments{{"table", "people"}, {"records", people(100'000)}};
    const long line_kib = static_cast<long>(arguments.dump().size() / 1024);
    const Json done = client.call_ok("insert_records", arguments);
    CHECK(done["inserted"] == 100'000);
    CHECK(client.call_ok("count_records", {{"table", "people"}})["count"] == 100'000);
    if (k_sanitized) {
      return;
    }
    // The records stay in the request line and are parsed a row at a time as they are inserted:
    // the peak, idle size included, stays within 3x the line (issue 14); a parse of the whole
    // array would take about 8x.
    const long peak = status_field(pid, "VmHWM");
    CHECK_MESSAGE(peak <= 3 * line_kib,
                  "peak " << mib(peak) << " MiB, idle " << mib(idle) << " MiB, line " << mib(line_kib) << " MiB");
    // The memory goes back when the job ends, just after its answer is written: poll, bounded.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    long rss = status_field(pid, "VmRSS");
    while (rss > 30 * 1024 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      rss = status_field(pid, "VmRSS");
    }
    CHECK_MESSAGE(rss <= 30 * 1024, "RSS after the insert " << mib(rss) << " MiB (peak " << mib(peak) << " MiB)");
  }
}
