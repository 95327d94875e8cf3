#include "transport/line_reader.hpp"

#include <algorithm>
#include <cstring>

namespace dbmcp::transport {
namespace {

constexpr size_t k_chunk_size = 64 * 1024;

} // namespace

LineReader::LineReader(ByteSource& source, size_t max_line_bytes) : m_source(source), m_max(max_line_bytes) {}

bool LineReader::fill()
{
  if (m_eof) {
    return false;
  }
  m_chunk.resize(k_chunk_size);
  const size_t got = m_source.read(m_chunk.data(), m_chunk.size());
  m_chunk.resize(got);
  m_pos = 0;
  if (got == 0) {
    m_eof = true;
  }
  return got > 0;
}

Line LineReader::finish_line()
{
  Line line;
  size_t size = m_line_size;
  if (size > 0 && size <= m_max + 1 && m_line.back() == '\r') {
    m_line.pop_back();
    --size;
  }
  line.size = size;
  if (size > m_max) {
    line.too_long = true;
  } else {
    line.text = std::move(m_line);
  }
  m_line.clear();
  m_line_size = 0;
  return line;
}

std::optional<Line> LineReader::next()
{
  for (;;) {
    if (m_pos >= m_chunk.size() && !fill()) {
      if (m_line_size > 0) {
        return finish_line();
      }
      return std::nullopt;
    }
    const char* begin = m_chunk.data() + m_pos;
    const size_t available = m_chunk.size() - m_pos;
    const void* found = std::memchr(begin, '\n', available);
    const size_t take = found ? static_cast<size_t>(static_cast<const char*>(found) - begin) : available;
    // Keep at most m_max + 1 bytes: one more than allowed, so that a trailing '\r' can be
    // stripped from a line of exactly m_max bytes and anything longer is known to be too long.
    const size_t room = m_line.size() < m_max + 1 ? m_max + 1 - m_line.size() : 0;
    m_line.append(begin, std::min(take, room));
    m_line_size += take;
    m_pos += take;
    if (found) {
      ++m_pos;
      return finish_line();
    }
  }
}

} // namespace dbmcp::transport
