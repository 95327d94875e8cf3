#include "mcp/queue_budget.hpp"

#include "util/memory.hpp"

#include <chrono>

namespace dbmcp::mcp {

QueueBudget::QueueBudget(size_t limit, const std::atomic<bool> *stopping)
    : m_limit(limit), m_stopping(stopping) {}

QueueBudget::Hold QueueBudget::reserve(size_t bytes) {
  using namespace std::chrono_literals;
  std::unique_lock lock(m_mutex);
  while (!fits(bytes)) {
    if (m_stopping && m_stopping->load()) {
      return nullptr;
    }
    m_freed.wait_for(lock, 20ms);
  }
  m_used += bytes;
  return std::make_shared<const Reservation>(*this, bytes);
}

QueueBudget::Hold QueueBudget::try_reserve(size_t bytes) {
  std::lock_guard lock(m_mutex);
  if (!fits(bytes)) {
    return nullptr;
  }
  m_used += bytes;
  return std::make_shared<const Reservation>(*this, bytes);
}

size_t QueueBudget::used() const {
  std::lock_guard lock(m_mutex);
  return m_used;
}

void QueueBudget::release(size_t bytes) {
  {
    std::lock_guard lock(m_mutex);
    m_used -= bytes;
  }
  m_freed.notify_all();
  if (bytes >= k_give_back_after_bytes) {
    give_memory_back(); // a large line's work is over: its parsed form and rows are freed
  }
}

} // namespace dbmcp::mcp
