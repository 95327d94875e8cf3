#pragma once

#include "util/json.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace dbmcp::store {

using Row = Json;

// The rows of a batch insert, handed out one at a time and in order, so that a request's records
// can go into the engine as they are parsed instead of all being built in memory first.
class RowSource
{
public:
  virtual ~RowSource() = default;
  // The number of rows in all, known before the first is read.
  virtual size_t size() const = 0;
  // The next row, or nullptr after the last. The row belongs to the source until the next call;
  // the caller may read it in place or move from it. Throws StoreError for a row that cannot be
  // given ("row N: …", details {"row": N}); a source is read once.
  virtual Row* next() = 0;
};

// Rows held in memory by the caller; each is copied when it is handed out.
class SpanRowSource : public RowSource
{
public:
  explicit SpanRowSource(std::span<const Row> rows) : m_rows(rows) {}
  size_t size() const override { return m_rows.size(); }
  Row* next() override
  {
    if (m_next >= m_rows.size()) {
      return nullptr;
    }
    m_current = m_rows[m_next++];
    return &m_current;
  }

private:
  std::span<const Row> m_rows;
  size_t m_next = 0;
  Row m_current;
};

} // namespace dbmcp::store
