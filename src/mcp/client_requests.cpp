#include "mcp/client_requests.hpp"

#include <fmt/format.h>

namespace dbmcp::mcp {
namespace {

constexpr const char* k_input_ended = "the client closed its input before answering";

} // namespace

ClientRequests::Reply ClientRequests::ask(const std::string& method, const Json& params, CallContext& ctx)
{
  ctx.throw_if_cancelled();
  Waiting waiting;
  Json id;
  {
    std::lock_guard lock(m_mutex);
    if (m_closed) {
      return {std::nullopt, k_input_ended};
    }
    id = fmt::format("dbmcp-{}", m_next_id++);
    m_waiting.emplace(id.dump(), &waiting);
  }
  // Registered before m_mutex is taken below: cancel() runs the interrupt under the context's
  // lock, and the interrupt takes m_mutex.
  auto guard = ctx.on_cancel([this] {
    std::lock_guard lock(m_mutex);
    m_changed.notify_all();
  });
  m_outbox.send_if([&ctx] { return !ctx.cancelled(); },
                   {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
  std::unique_lock lock(m_mutex);
  m_changed.wait(lock, [&] { return waiting.done || ctx.cancelled(); });
  m_waiting.erase(id.dump());
  if (!waiting.done) {
    lock.unlock();
    m_outbox.send(jsonrpc::notification("notifications/cancelled",
                                        {{"requestId", id}, {"reason", "the call waiting for it was cancelled"}}));
    throw Cancelled();
  }
  return std::move(waiting.reply);
}

bool ClientRequests::resolve(const jsonrpc::Response& response)
{
  std::lock_guard lock(m_mutex);
  const auto it = m_waiting.find(response.id.dump());
  if (it == m_waiting.end() || it->second->done) {
    return false;
  }
  Waiting& waiting = *it->second;
  if (!response.error.is_null()) {
    const Json& error = response.error;
    const std::string message = error.is_object() && error.contains("message") && error["message"].is_string()
                                    ? error["message"].get<std::string>()
                                    : error.dump();
    waiting.reply.failure = "the client answered with an error: " + message.substr(0, 200);
  } else {
    waiting.reply.result = response.result;
  }
  waiting.done = true;
  m_changed.notify_all();
  return true;
}

void ClientRequests::close()
{
  std::lock_guard lock(m_mutex);
  m_closed = true;
  for (auto& [id, waiting] : m_waiting) {
    if (!waiting->done) {
      waiting->done = true;
      waiting->reply.failure = k_input_ended;
    }
  }
  m_changed.notify_all();
}

} // namespace dbmcp::mcp
