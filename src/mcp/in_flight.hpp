#pragma once

#include "util/call_context.hpp"
#include "util/json.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace dbmcp::mcp {

// The requests being served, by id, with the CallContext that cancels each. Thread-safe.
// A request is either finished (its response may go out) or cancelled (nothing more is sent),
// never both: finish() and cancel() decide under one lock.
class InFlight
{
public:
  // Registers request `id`; nullptr when a request with this id is already in flight.
  std::shared_ptr<CallContext> start(const Json& id);
  // Unregisters `id`; true when its response should be sent (it was not cancelled).
  bool finish(const Json& id);
  // Cancels request `id` if it is in flight; unknown or finished ids are ignored.
  void cancel(const Json& id);
  // Cancels every request in flight.
  void cancel_all();
  size_t size() const;

private:
  static std::string key(const Json& id);

  mutable std::mutex m_mutex;
  std::unordered_map<std::string, std::shared_ptr<CallContext>> m_calls;
};

} // namespace dbmcp::mcp
