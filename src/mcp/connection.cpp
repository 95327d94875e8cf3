#include "mcp/connection.hpp"

#include "jsonrpc/error.hpp"
#include "jsonrpc/error_mapping.hpp"
#include "mcp/call_sinks.hpp"
#include "mcp/deferred_records.hpp"
#include "mcp/dispatcher.hpp"
#include "mcp/request_scope.hpp"
#include "util/json_release.hpp"
#include "util/log.hpp"

#include <memory>

namespace dbmcp::mcp {
namespace {

// The one place where the exceptions of serving a request become what goes on the wire: the
// result of `body`, nothing for a cancelled request, or the error response jsonrpc maps.
template <typename Body>
std::optional<Json> guarded(const Json& id, Body&& body)
{
  try {
    return body();
  } catch (const Cancelled&) {
    return std::nullopt;
  } catch (...) {
    return jsonrpc::error_response_for(id, std::current_exception());
  }
}

bool is_blank(const std::string& text)
{
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Lines this short are parsed even when the queue budget is spent, to find the control messages.
constexpr size_t k_control_line_bytes = 4096;

// A notification (notifications/cancelled above all), a ping or a response to a request of ours:
// cheap, and never queued.
bool is_control(const Json& value)
{
  if (!value.is_object()) {
    return false;
  }
  if (!value.contains("method")) {
    return value.contains("id") && (value.contains("result") || value.contains("error"));
  }
  if (!value["method"].is_string()) {
    return false;
  }
  return !value.contains("id") || value["method"] == "ping";
}

// Frees `message` (a request's params, a batch), then drops this holder's share of `hold`. In this
// order, because releasing a large reservation gives free memory back to the system (QueueBudget):
// a message freed after that (a lambda's captures are destroyed in no set order) stays resident.
void release_after(Json& message, QueueBudget::Hold& hold)
{
  release_json(message);
  hold.reset();
}

} // namespace

void Connection::handle_line(transport::Line line)
{
  if (line.too_long) {
    m_outbox.send(jsonrpc::error_response(
        nullptr, jsonrpc::invalid_request("message of " + std::to_string(line.size) +
                                          " bytes exceeds the maximum line size of " +
                                          std::to_string(m_services.options.max_line_bytes) + " bytes")));
    return;
  }
  if (is_blank(line.text)) {
    return;
  }
  auto hold = m_budget.try_reserve(line.text.size());
  std::optional<Json> parsed;
  if (!hold) {
    // The budget is spent by queued and running work. A short control line is served at once
    // without a reservation, so that a cancellation never waits behind the work it would stop.
    if (line.text.size() <= k_control_line_bytes) {
      try {
        parsed = jsonrpc::parse_json(line.text);
      } catch (...) {
        parsed.reset(); // reported below, once the line holds its reservation
      }
      if (parsed && is_control(*parsed)) {
        handle_message(std::move(*parsed), nullptr);
        return;
      }
    }
    hold = m_budget.reserve(line.text.size());
    if (!hold) {
      return; // stopping
    }
  }
  Json value;
  if (!parsed && line.text.size() >= k_defer_records_bytes) {
    // A bulk insert: its records stay in the line, parsed one by one as they are inserted.
    auto shared = std::make_shared<std::string>(std::move(line.text));
    if (auto deferred = parse_deferring_records(shared)) {
      shared.reset();
      handle_message(std::move(deferred->message), hold, std::move(deferred->records));
      return;
    }
    line.text = std::move(*shared); // not deferred: parsed whole below
  }
  if (parsed) {
    value = std::move(*parsed);
  } else if (auto error = guarded(nullptr, [&]() -> std::optional<Json> {
               value = jsonrpc::parse_json(line.text);
               return std::nullopt;
             })) {
    m_outbox.send(*error);
    return;
  }
  if (value.is_array()) {
    handle_batch(std::move(value), hold);
  } else {
    handle_message(std::move(value), hold);
  }
}

void Connection::handle_message(Json value, const QueueBudget::Hold& hold,
                                std::shared_ptr<const DeferredArray> records)
{
  auto message = jsonrpc::classify(std::move(value));
  if (auto* invalid = std::get_if<jsonrpc::Invalid>(&message)) {
    m_outbox.send(jsonrpc::error_response(invalid->id, invalid->error));
  } else if (auto* notification = std::get_if<jsonrpc::Notification>(&message)) {
    handle_notification(*notification);
  } else if (auto* request = std::get_if<jsonrpc::Request>(&message)) {
    start_request(std::move(*request), hold, std::move(records));
  } else if (const auto& response = std::get<jsonrpc::Response>(message); !m_requests.resolve(response)) {
    log::write(LogLevel::warning, "ignored a response from the client to id " + response.id.dump().substr(0, 200) +
                                      ": the server is waiting for no such request");
  }
}

void Connection::handle_notification(const jsonrpc::Notification& notification)
{
  if (notification.method == "notifications/cancelled") {
    const Json& params = notification.params;
    if (params.is_object() && params.contains("requestId") && jsonrpc::is_valid_id(params["requestId"])) {
      m_in_flight.cancel(params["requestId"]);
    }
  }
  // notifications/initialized and anything else need no action and never get a reply.
}

void Connection::start_request(jsonrpc::Request request, const QueueBudget::Hold& hold,
                               std::shared_ptr<const DeferredArray> records)
{
  auto ctx = m_in_flight.start(request.id);
  if (!ctx) {
    m_outbox.send(jsonrpc::error_response(request.id, jsonrpc::invalid_request("id " + request.id.dump() +
                                                                               " is already in use")));
    return;
  }
  RequestScope scope;
  const Method* method = nullptr;
  if (auto error = guarded(request.id, [&]() -> std::optional<Json> {
        scope = scope_of(request, m_services.session);
        method = &route(request.method, scope, m_services);
        return std::nullopt;
      })) {
    m_in_flight.finish(request.id);
    m_outbox.send(*error);
    return;
  }
  // The job holds the line's reservation until its response is sent and the request is freed.
  ctx->set_deferred_records(std::move(records));
  auto job = [this, request = std::move(request), scope, method, ctx, hold = QueueBudget::Hold(hold)]() mutable {
    attach_sinks(*ctx, scope, m_outbox, m_requests);
    {
      auto response = guarded(request.id, [&]() -> std::optional<Json> {
        return jsonrpc::result_response(request.id, run_method(*method, m_services, request, scope, *ctx));
      });
      if (m_in_flight.finish(request.id) && response) {
        m_outbox.send(*response);
        release_json(*response);
      }
    }
    ctx->set_deferred_records(nullptr); // the request line, before the reservation that counts it
    release_after(request.params, hold);
  };
  if (method->immediate) {
    job();
  } else {
    m_pool.submit(std::move(job));
  }
}

std::optional<Json> Connection::run_now(const jsonrpc::Request& request)
{
  auto ctx = m_in_flight.start(request.id);
  if (!ctx) {
    return jsonrpc::error_response(request.id, jsonrpc::invalid_request("id " + request.id.dump() +
                                                                        " is already in use"));
  }
  auto response = guarded(request.id, [&]() -> std::optional<Json> {
    if (request.method == "initialize") {
      throw jsonrpc::invalid_request("initialize must not be part of a batch");
    }
    const RequestScope scope = scope_of(request, m_services.session);
    const Method& method = route(request.method, scope, m_services);
    attach_sinks(*ctx, scope, m_outbox, m_requests);
    return jsonrpc::result_response(request.id, run_method(method, m_services, request, scope, *ctx));
  });
  return m_in_flight.finish(request.id) ? response : std::nullopt;
}

std::optional<Json> Connection::batch_entry(Json value)
{
  auto message = jsonrpc::classify(std::move(value));
  if (auto* invalid = std::get_if<jsonrpc::Invalid>(&message)) {
    return jsonrpc::error_response(invalid->id, invalid->error);
  }
  if (auto* notification = std::get_if<jsonrpc::Notification>(&message)) {
    handle_notification(*notification);
  } else if (auto* request = std::get_if<jsonrpc::Request>(&message)) {
    return run_now(*request);
  }
  return std::nullopt;
}

void Connection::handle_batch(Json batch, const QueueBudget::Hold& hold)
{
  // JSON-RPC batches exist in protocol version 2025-03-26 only.
  const auto version = m_services.session.version();
  if (!version || !features_of(*version).batches) {
    m_outbox.send(jsonrpc::error_response(
        nullptr, jsonrpc::invalid_request("batches are only accepted in a session that negotiated 2025-03-26")));
    return;
  }
  if (batch.empty()) {
    m_outbox.send(jsonrpc::error_response(nullptr, jsonrpc::invalid_request("empty batch")));
    return;
  }
  // The elements run in order on one worker; their responses go out together as one line.
  m_pool.submit([this, batch = std::move(batch), hold = QueueBudget::Hold(hold)]() mutable {
    Json responses = Json::array();
    for (Json& value : batch) {
      if (auto response = batch_entry(std::move(value))) {
        responses.push_back(std::move(*response));
      }
    }
    if (!responses.empty()) {
      m_outbox.send(responses);
    }
    responses = Json();
    release_after(batch, hold);
  });
}

} // namespace dbmcp::mcp
