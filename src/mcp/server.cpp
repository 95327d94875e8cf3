#include "mcp/server.hpp"

#include "mcp/client_requests.hpp"
#include "mcp/connection.hpp"
#include "mcp/in_flight.hpp"
#include "mcp/outbox.hpp"
#include "mcp/queue_budget.hpp"
#include "mcp/services.hpp"
#include "mcp/session.hpp"
#include "mcp/worker_pool.hpp"
#include "transport/byte_source.hpp"
#include "transport/line_reader.hpp"
#include "transport/line_writer.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>

#include <unistd.h>

namespace dbmcp::mcp {

struct Server::Impl
{
  Impl(const tools::Registry& tools, const tools::Resources* resources, ServerOptions server_options)
    : options(std::move(server_options)), services{tools, resources, options, session}
  {
  }

  // Reading std::cin goes straight to fd 0 with poll(), so that stop() can interrupt a blocked
  // read through the wake pipe; other streams are read through their streambuf and checked for
  // stop() between lines.
  std::unique_ptr<transport::ByteSource> source_for(std::istream& in)
  {
    if (&in == &std::cin) {
      return std::make_unique<transport::FdSource>(STDIN_FILENO, wake.read_fd());
    }
    return std::make_unique<transport::StreamSource>(in);
  }

  // Waits for the requests in flight; once stop() was called they are cancelled (and send
  // nothing more) instead of being awaited.
  void drain(WorkerPool& pool)
  {
    using namespace std::chrono_literals;
    while (!pool.wait_idle_for(20ms)) {
      if (stopping.load()) {
        in_flight.cancel_all();
      }
    }
  }

  int serve(std::istream& in, std::ostream& out)
  {
    transport::LineWriter writer(out);
    Outbox outbox(writer);
    ClientRequests requests(outbox);
    // Before the pool: queued jobs hold reservations until the pool has run them.
    QueueBudget budget(options.max_queued_bytes, &stopping);
    WorkerPool pool(options.workers);
    Connection connection(services, in_flight, outbox, requests, pool, budget);
    const auto source = source_for(in);
    transport::LineReader reader(*source, options.max_line_bytes);
    // Called by whichever pool thread holds the reading turn (one at a time, in turn order): the
    // line is freed before the request it holds runs (WorkerPool::serve), unless its records are
    // streamed (mcp/deferred_records.hpp): then it lives until that call ends.
    const std::function<ReadStep()> read_one = [&] {
      if (stopping.load()) {
        return ReadStep::ended;
      }
      auto line = reader.next();
      if (!line) {
        return ReadStep::ended;
      }
      connection.handle_line(std::move(*line));
      return reader.buffered() ? ReadStep::input_buffered : ReadStep::input_drained;
    };
    const std::function<void()> at_end = [&] {
      if (stopping.load()) {
        in_flight.cancel_all();
      }
      // No answer to a question of ours can come any more: the calls waiting for one end.
      requests.close();
      drain(pool);
    };
    pool.serve(read_one, at_end);
    return 0;
  }

  ServerOptions options;
  Session session;
  Services services;
  InFlight in_flight;
  transport::WakePipe wake;
  std::atomic<bool> stopping{false};
  static_assert(std::atomic<bool>::is_always_lock_free, "stop() must be async-signal-safe");
};

Server::Server(const tools::Registry& tools, const tools::Resources* resources, ServerOptions options)
  : m_impl(std::make_unique<Impl>(tools, resources, std::move(options)))
{
}

Server::~Server() = default;

int Server::serve(std::istream& in, std::ostream& out)
{
  return m_impl->serve(in, out);
}

void Server::stop()
{
  // Async-signal-safe: a lock-free atomic store and one write(2).
  m_impl->stopping.store(true);
  m_impl->wake.wake();
}

} // namespace dbmcp::mcp
