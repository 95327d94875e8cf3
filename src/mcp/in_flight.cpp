#include "mcp/in_flight.hpp"

#include "util/json_fast_dump.hpp"

namespace dbmcp::mcp {

std::string InFlight::key(const Json& id)
{
  // "1" and 1 are different ids. append_json writes the bytes of id.dump() without nlohmann's
  // serializer (an id is a string or an integer, and the parser admits only well-formed UTF-8),
  // and without dump_json's reservation for a whole line: a short id stays in the string itself.
  std::string key;
  append_json(key, id);
  return key;
}

std::shared_ptr<CallContext> InFlight::start(const Json& id)
{
  auto context = std::make_shared<CallContext>();
  std::lock_guard lock(m_mutex);
  if (!m_calls.emplace(key(id), context).second) {
    return nullptr;
  }
  return context;
}

bool InFlight::finish(const Json& id)
{
  std::lock_guard lock(m_mutex);
  const auto it = m_calls.find(key(id));
  if (it == m_calls.end()) {
    return false;
  }
  const bool wanted = !it->second->cancelled();
  m_calls.erase(it);
  return wanted;
}

void InFlight::cancel(const Json& id)
{
  std::lock_guard lock(m_mutex);
  if (const auto it = m_calls.find(key(id)); it != m_calls.end()) {
    it->second->cancel();
  }
}

void InFlight::cancel_all()
{
  std::lock_guard lock(m_mutex);
  for (auto& [id, context] : m_calls) {
    context->cancel();
  }
}

size_t InFlight::size() const
{
  std::lock_guard lock(m_mutex);
  return m_calls.size();
}

} // namespace dbmcp::mcp
