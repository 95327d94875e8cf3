#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/in_flight.hpp"
#include "mcp/outbox.hpp"
#include "mcp/services.hpp"
#include "mcp/worker_pool.hpp"
#include "transport/line_reader.hpp"

#include <optional>

namespace dbmcp::mcp {

// Serves the lines of one input stream: parses each, answers errors, notifications and cheap
// requests at once, and runs the others on `pool`, writing each response to `outbox` when it is
// ready. Called from the reader thread only; everything it touches is thread-safe.
class Connection
{
public:
  Connection(const Services& services, InFlight& in_flight, Outbox& outbox, WorkerPool& pool)
    : m_services(services), m_in_flight(in_flight), m_outbox(outbox), m_pool(pool)
  {
  }

  void handle_line(const transport::Line& line);

private:
  void handle_message(Json value);
  void handle_batch(Json batch);
  void handle_notification(const jsonrpc::Notification& notification);
  void start_request(jsonrpc::Request request);
  // Runs `request` to its response on the calling thread (batches): nullopt when it was
  // cancelled.
  std::optional<Json> run_now(const jsonrpc::Request& request);
  // The response for one element of a batch, if it gets one.
  std::optional<Json> batch_entry(Json value);

  const Services& m_services;
  InFlight& m_in_flight;
  Outbox& m_outbox;
  WorkerPool& m_pool;
};

} // namespace dbmcp::mcp
