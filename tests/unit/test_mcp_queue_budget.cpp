// The queued-bytes budget (issue 15 #11): what it admits, and that a Connection
// holds each line's bytes exactly as long as the line's work is queued or
// running.
#include "mcp/connection.hpp"
#include "mcp/queue_budget.hpp"
#include "test_mcp_harness.hpp"
#include "transport/line_writer.hpp"

#include <atomic>
#include <future>
#include <sstream>
#include <thread>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

// What a Connection serves with: the test tools (see test_mcp_harness.hpp), a session and an
// outbox writing into `out`.
struct Wiring
{
  Gate gate;
  const tools::Registry registry = make_test_tools(gate);
  const mcp::ServerOptions options{};
  mcp::Session session;
  const mcp::Services services{registry, nullptr, options, session};
  mcp::InFlight in_flight;
  std::ostringstream out;
  transport::LineWriter writer{out};
  mcp::Outbox outbox{writer};
  mcp::ClientRequests requests{outbox};
};

} // namespace

TEST_SUITE("mcp::QueueBudget") {
  TEST_CASE("QueueBudget: reservations fit the limit; one larger line is "
            "admitted alone") {
    mcp::QueueBudget budget(100);
    auto a = budget.try_reserve(60);
    REQUIRE(a);
    CHECK(budget.used() == 60);
    CHECK_FALSE(budget.try_reserve(41));
    auto b = budget.try_reserve(40);
    REQUIRE(b);
    CHECK(budget.used() == 100);
    a.reset();
    CHECK(budget.used() == 40);
    CHECK_FALSE(budget.try_reserve(
        500)); // larger than the budget: only when nothing else is held
    b.reset();
    CHECK(budget.used() == 0);
    auto big = budget.try_reserve(500);
    REQUIRE(big);
    CHECK_FALSE(budget.try_reserve(1));
    big.reset();
    CHECK(mcp::QueueBudget(0).try_reserve(1'000'000)); // 0: unbounded
  }

  TEST_CASE("QueueBudget: reserve() waits for a release, and gives up when "
            "stopping") {
    std::atomic<bool> stopping{false};
    mcp::QueueBudget budget(10, &stopping);
    auto held = budget.reserve(10);
    mcp::QueueBudget::Hold waited;
    std::thread reader([&] { waited = budget.reserve(5); });
    held.reset(); // frees the room the reader waits for
    reader.join();
    REQUIRE(waited);
    CHECK(budget.used() == 5);

    auto full = budget.reserve(5);
    mcp::QueueBudget::Hold refused = full;
    std::thread stopped([&] { refused = budget.reserve(5); });
    stopping.store(true);
    stopped.join();
    CHECK_FALSE(refused);
    CHECK(budget.used() == 10);
  }

  TEST_CASE("Connection: a line's bytes stay reserved while its request is "
            "queued or running") {
    Wiring w;
    const std::string first =
        modern(1, "tools/call", {{"name", "gate"}}).dump();
    const std::string second =
        modern(2, "tools/call", {{"name", "gate"}}).dump();
    mcp::QueueBudget budget(first.size() + second.size());
    {
      mcp::WorkerPool pool(1);
      mcp::Connection connection(w.services, w.in_flight, w.outbox, w.requests, pool, budget);
      connection.handle_line({first});
      connection.handle_line({second});
      {
        std::unique_lock lock(w.gate.mutex);
        REQUIRE(w.gate.cv.wait_for(lock, 10s, [&] { return w.gate.entered == 1; }));
      }
      // One call runs (in the gate), one is queued: both lines are held, the
      // budget is spent, and the next line would wait, so the reader stops
      // reading.
      CHECK(budget.used() == first.size() + second.size());
      CHECK_FALSE(budget.try_reserve(1));
      w.gate.release();
      pool.wait_idle();
      CHECK(budget.used() == 0);
      // Answered at once (an error, no job): nothing stays reserved.
      connection.handle_line({"{\"jsonrpc\":\"2.0\",\"id\":3}"});
      CHECK(budget.used() == 0);
    }
    std::istringstream lines(w.out.str());
    int responses = 0;
    for (std::string line; std::getline(lines, line);) {
      ++responses;
    }
    CHECK(responses == 3);
  }

  TEST_CASE("Connection: a cancellation and a ping are served while the "
            "budget is spent by the very request they cancel") {
    Wiring w;
    const std::string call = modern(1, "tools/call", {{"name", "gate"}}).dump();
    mcp::QueueBudget budget(call.size());
    {
      mcp::WorkerPool pool(1);
      mcp::Connection connection(w.services, w.in_flight, w.outbox, w.requests, pool, budget);
      connection.handle_line({call});
      {
        std::unique_lock lock(w.gate.mutex);
        REQUIRE(w.gate.cv.wait_for(lock, 10s, [&] { return w.gate.entered == 1; }));
      }
      REQUIRE_FALSE(budget.try_reserve(1));
      // The gate call waits for its cancellation, which must not wait for
      // the budget the call holds (that was a deadlock).
      std::promise<void> served;
      std::thread reader([&] {
        connection.handle_line({R"({"jsonrpc":"2.0","id":2,"method":"ping"})"});
        connection.handle_line(
            {R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})"});
        served.set_value();
      });
      const bool done = served.get_future().wait_for(30s) == std::future_status::ready;
      if (!done) {
        w.gate.release(); // unblock the reader so that the test ends
      }
      reader.join();
      CHECK_MESSAGE(done, "the ping and the cancellation waited for the queue budget");
      pool.wait_idle();
      CHECK(budget.used() == 0);
    }
    // The ping is answered; the cancelled call sends nothing.
    std::istringstream lines(w.out.str());
    std::vector<Json> responses;
    for (std::string line; std::getline(lines, line);) {
      responses.push_back(Json::parse(line));
    }
    REQUIRE(responses.size() == 1);
    CHECK(responses[0]["id"] == 2);
    CHECK(responses[0].contains("result"));
  }

  TEST_CASE("Server: 300 pipelined requests under a 1 KiB budget are each "
            "answered once") {
    std::vector<Json> input;
    for (int id = 1; id <= 300; ++id) {
      input.push_back(modern(id, "tools/call",
                             {{"name", "echo"}, {"arguments", {{"n", id}}}}));
    }
    mcp::ServerOptions options;
    options.max_queued_bytes = 1024;
    const auto out = serve_messages(input, options);
    REQUIRE(out.size() == 300);
    for (int id = 1; id <= 300; ++id) {
      CHECK(count_with_id(out, id) == 1);
    }
    // A line larger than the whole budget is still served, alone.
    const auto big = serve_messages(
        {modern(1, "tools/call",
                {{"name", "echo"},
                 {"arguments", {{"pad", std::string(5000, 'x')}}}})},
        options);
    REQUIRE(big.size() == 1);
    CHECK(big[0]["result"]["isError"] == false);
  }
}
