#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/client_requests.hpp"
#include "mcp/in_flight.hpp"
#include "mcp/outbox.hpp"
#include "mcp/queue_budget.hpp"
#include "mcp/services.hpp"
#include "mcp/worker_pool.hpp"
#include "transport/line_reader.hpp"
#include "util/deferred_array.hpp"

#include <memory>
#include <optional>

namespace dbmcp::mcp {

// Serves the lines of one input stream: parses each, answers errors, notifications and cheap
// requests at once, and runs the others on `pool`, writing each response to `outbox` when it is
// ready. Called by the thread holding the pool's reading turn (WorkerPool::serve), one thread at a
// time and in the order of the lines; everything it touches is thread-safe. A request submitted to
// the pool from handle_line() runs on the calling thread once handle_line() has returned, when
// no more input is buffered and another thread can take the reading over (leader/followers), else
// on another pool thread.
//
// Each line reserves its size in `budget` before it is parsed, for as long as its work is
// queued or running: handle_line() blocks while the budget is spent, which stops the reader.
// Control messages are the exception: a line of at most 4 KiB holding a notification (such as
// notifications/cancelled), a ping or a response is served at once, without a reservation, when
// the budget is spent, so that a cancellation is acted on while the work it stops holds the
// budget, and the person's answer reaches the call that waits for it.
//
// A response is handed to the call waiting for it (ClientRequests); one to an id the server is not
// waiting on is ignored, with a line on stderr.
class Connection
{
public:
  Connection(const Services& services, InFlight& in_flight, Outbox& outbox, ClientRequests& requests,
             WorkerPool& pool, QueueBudget& budget)
    : m_services(services), m_in_flight(in_flight), m_outbox(outbox), m_requests(requests), m_pool(pool),
      m_budget(budget)
  {
  }

  // Takes the line by value: a bulk insert's records are parsed from it as they are inserted.
  void handle_line(transport::Line line);

private:
  // `records`: the request's deferred insert_records records (mcp/deferred_records), if any.
  void handle_message(Json value, const QueueBudget::Hold& hold, std::shared_ptr<const DeferredArray> records = {});
  void handle_batch(Json batch, const QueueBudget::Hold& hold);
  void handle_notification(const jsonrpc::Notification& notification);
  void start_request(jsonrpc::Request request, const QueueBudget::Hold& hold,
                     std::shared_ptr<const DeferredArray> records);
  // Runs `request` to its response on the calling thread (batches): nullopt when it was
  // cancelled.
  std::optional<Json> run_now(const jsonrpc::Request& request);
  // The response for one element of a batch, if it gets one.
  std::optional<Json> batch_entry(Json value);

  const Services& m_services;
  InFlight& m_in_flight;
  Outbox& m_outbox;
  ClientRequests& m_requests;
  WorkerPool& m_pool;
  QueueBudget& m_budget;
};

} // namespace dbmcp::mcp
