// Concurrency: pipelining, immediate answers while calls run, progress, cancellation, end of
// input and stop().
#include "test_mcp_harness.hpp"

#include <map>
#include <set>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

// Every message still buffered once the server has returned.
std::vector<Json> drain(LiveServer& live)
{
  while (live.next(0ms)) {
  }
  return live.seen;
}

} // namespace

TEST_SUITE("mcp::Server concurrency")
{
  TEST_CASE("Server: 200 pipelined requests are each answered once, matched by id")
  {
    std::vector<Json> input;
    for (int i = 0; i < 200; ++i) {
      input.push_back(i % 2 ? modern(i, "tools/call", {{"name", "echo"}, {"arguments", {{"i", i}}}})
                            : modern("s" + std::to_string(i), "tools/list"));
    }
    const auto out = serve_messages(input, {.workers = 4});
    REQUIRE(out.size() == 200);
    std::set<std::string> ids;
    for (const auto& m : out) {
      ids.insert(m["id"].dump());
      if (m["id"].is_number()) {
        CHECK(m["result"]["structuredContent"]["echo"]["i"] == m["id"]);
      } else {
        CHECK(m["result"]["tools"].size() == 6);
      }
    }
    CHECK(ids.size() == 200);
  }

  TEST_CASE("Server: cancels racing their calls' answers: each call answered at most once, serving goes on")
  {
    // Each quick call is followed at once by its cancel, so the cancel lands before, during or
    // after the answer; eight workers make every interleaving likely (and TSan sees them).
    std::vector<Json> input;
    const int calls = 2000;
    for (int i = 0; i < calls; ++i) {
      input.push_back(modern(i, "tools/call", {{"name", "echo"}, {"arguments", {{"i", i}}}}));
      input.push_back(notification("notifications/cancelled", {{"requestId", i}, {"reason", "race"}}));
    }
    input.push_back(modern("last", "server/discover"));
    const auto out = serve_messages(input, {.workers = 8});
    std::map<std::string, int> answers;
    for (const auto& m : out) {
      REQUIRE(m.contains("id"));
      ++answers[m["id"].dump()];
      if (m["id"].is_number()) {
        CHECK(m["result"]["structuredContent"]["echo"]["i"] == m["id"]);
      }
    }
    for (const auto& answer : answers) { // not a structured binding: clang 14 cannot capture one in CHECK_MESSAGE
      CHECK_MESSAGE(answer.second == 1, "id " << answer.first << " answered " << answer.second << " times");
    }
    CHECK(answers.count("\"last\"") == 1);
    CHECK(answers.size() <= static_cast<size_t>(calls) + 1);
  }

  TEST_CASE("Server: ping and server/discover are answered while a long call runs")
  {
    LiveServer live({.workers = 1});
    live.send(initialize(0, "2025-11-25"));
    live.response(0);
    live.send(request(1, "tools/call", {{"name", "gate"}}));
    REQUIRE(live.wait_gate_entered(1));
    live.send(request(2, "ping"));
    CHECK(live.response(2)["result"] == Json::object());
    live.send(modern(3, "server/discover"));
    CHECK(live.response(3)["result"].contains("supportedVersions"));
    live.gate.release();
    CHECK(live.response(1)["result"]["isError"] == false);
  }

  TEST_CASE("Server: with every worker busy, ping is answered, a cancel is honoured and a queued call runs in the freed slot")
  {
    // Both workers hold a gate call; the reading must go on (leader/followers hands it to a free
    // thread, and keeps it when no slot is free).
    LiveServer live({.workers = 2});
    live.send(initialize(0, "2025-11-25"));
    live.response(0);
    live.send(request(1, "tools/call", {{"name", "gate"}}));
    live.send(request(2, "tools/call", {{"name", "gate"}}));
    REQUIRE(live.wait_gate_entered(2));
    live.send(request(3, "tools/call", {{"name", "echo"}, {"arguments", {{"n", 3}}}}));  // queued: no slot
    live.send(request(4, "ping"));
    CHECK(live.response(4)["result"] == Json::object());
    live.send(notification("notifications/cancelled", {{"requestId", 1}, {"reason", "test"}}));
    // Call 1 ends without an answer; call 3 runs in its slot while call 2 still holds the other.
    CHECK(live.response(3)["result"]["structuredContent"]["echo"]["n"] == 3);
    live.gate.release();
    CHECK(live.response(2)["result"]["structuredContent"]["gate"] == "passed");
    live.close_input();
    CHECK(live.join() == 0);
    CHECK(count_with_id(drain(live), 1) == 0);
  }

  TEST_CASE("Server: sequential calls are each answered once, in order, one line each")
  {
    LiveServer live({.workers = 4});
    live.send(initialize(0, "2025-11-25"));
    live.response(0);
    for (int i = 1; i <= 50; ++i) {
      live.send(request(i, "tools/call", {{"name", "echo"}, {"arguments", {{"i", i}}}}));
      const Json answer = live.response(i);
      CHECK(answer["result"]["structuredContent"]["echo"]["i"] == i);
    }
    live.close_input();
    CHECK(live.join() == 0);
    CHECK(live.seen.size() == 51);  // each response alone on its line, nothing else written
  }

  TEST_CASE("Server: progress notifications carry the token and strictly increase")
  {
    const auto out = serve_messages({modern(1, "tools/call", {{"name", "steps"}, {"arguments", {{"n", 5}}}},
                                            {{"progressToken", "tok"}}),
                                     initialize(2, "2024-11-05"),
                                     request(3, "tools/call", {{"name", "steps"}, {"arguments", {{"n", 2}}}, {"_meta", {{"progressToken", 7}}}}),
                                     modern(4, "tools/call", {{"name", "steps"}})});
    std::vector<double> modern_values;
    std::vector<Json> legacy;
    for (const auto& m : out) {
      if (m.value("method", "") != "notifications/progress") {
        continue;
      }
      const Json& p = m["params"];
      if (p["progressToken"] == "tok") {
        modern_values.push_back(p["progress"].get<double>());
        CHECK(p["total"] == 5);
        CHECK(p["message"].get<std::string>().rfind("step ", 0) == 0);
      } else {
        CHECK(p["progressToken"] == 7);
        legacy.push_back(p);
      }
    }
    CHECK(modern_values == std::vector<double>{1, 2, 3, 4, 5});
    REQUIRE(legacy.size() == 2);
    CHECK_FALSE(legacy[0].contains("message"));  // 2024-11-05 has no progress message
    CHECK(response_to(out, 4)["result"]["structuredContent"]["steps"] == 3);
    // No progress for request 4: it had no token (9 messages: 5 + 2 progress, 4 responses).
    CHECK(out.size() == 11);
  }

  TEST_CASE("Server: a cancelled request gets nothing more; unknown ids are ignored")
  {
    LiveServer live;
    live.send(modern(1, "tools/call", {{"name", "block"}}, {{"progressToken", "b"}}));
    const auto first = live.next();
    REQUIRE(first);
    CHECK((*first)["method"] == "notifications/progress");
    const size_t before_cancel = live.seen.size();
    live.send(notification("notifications/cancelled", {{"requestId", 1}, {"reason", "test"}}));
    live.send(notification("notifications/cancelled", {{"requestId", 12345}}));
    live.send(modern(2, "server/discover"));
    live.response(2);
    live.close_input();
    CHECK(live.join() == 0);
    const auto all = drain(live);
    for (size_t i = before_cancel; i < all.size(); ++i) {
      CHECK(all[i]["id"] != 1);
      CHECK(all[i].value("method", "") != "notifications/progress");
    }
    CHECK(count_with_id(all, 1) == 0);
  }

  TEST_CASE("Server: at end of input the requests in flight are finished and answered")
  {
    LiveServer live;
    live.send(modern(1, "tools/call", {{"name", "gate"}}));
    REQUIRE(live.wait_gate_entered(1));
    live.close_input();
    live.gate.release();
    CHECK(live.response(1)["result"]["structuredContent"]["gate"] == "passed");
    CHECK(live.join() == 0);
  }

  TEST_CASE("Server: stop() cancels the requests in flight, which send nothing, and serve returns 0")
  {
    LiveServer live;
    live.send(modern(1, "tools/call", {{"name", "gate"}}));
    REQUIRE(live.wait_gate_entered(1));
    SUBCASE("while reading")
    {
      live.server().stop();
      live.send(modern(2, "server/discover"));  // a stream other than stdin notices stop() per line
    }
    SUBCASE("while draining after end of input")
    {
      live.close_input();
      live.server().stop();
    }
    CHECK(live.join() == 0);
    CHECK(count_with_id(drain(live), 1) == 0);
  }
}
