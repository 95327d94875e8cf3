#pragma once

#include "jsonrpc/message.hpp"
#include "mcp/outbox.hpp"
#include "util/call_context.hpp"

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace dbmcp::mcp {

// The requests this server sends to the client (legacy era: elicitation/create) and the calls
// waiting for their responses. Thread-safe: ask() runs on a worker, resolve() on the reader
// thread, close() when the input ends.
class ClientRequests
{
public:
  explicit ClientRequests(Outbox& outbox) : m_outbox(outbox) {}

  // How a request ended: the client's result, or why there is none.
  struct Reply
  {
    std::optional<Json> result;  // the response's result
    std::string failure;         // when no result: the client's error, or that the input ended
  };

  // Sends request `method` with `params` (id "dbmcp-N") and waits for its response. When `ctx`
  // is cancelled meanwhile, tells the client (notifications/cancelled for that id) and throws
  // Cancelled. After close() it returns at once, without a result.
  Reply ask(const std::string& method, const Json& params, CallContext& ctx);

  // Hands `response` to the call waiting for it; false (nothing done) when no request of ours
  // with that id is waiting.
  bool resolve(const jsonrpc::Response& response);

  // The input ended: every waiting call, and every later one, gets no result.
  void close();

private:
  struct Waiting
  {
    bool done = false;
    Reply reply;
  };

  Outbox& m_outbox;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::map<std::string, Waiting*> m_waiting;  // by the id's JSON text
  uint64_t m_next_id = 1;
  bool m_closed = false;
};

} // namespace dbmcp::mcp
