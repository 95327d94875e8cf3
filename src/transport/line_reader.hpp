#pragma once

#include "transport/byte_source.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace dbmcp::transport {

// One input line. `text` has neither its newline nor a trailing carriage return. When the line
// was longer than the limit, `too_long` is set, `text` is empty and `size` says how long it was.
struct Line
{
  std::string text;
  bool too_long = false;
  size_t size = 0;
};

// Splits a byte source into lines on '\n', strips one trailing '\r' and caps the line size: a
// longer line is skipped up to its newline and reported as too_long, and reading goes on.
// A last line without a newline is still returned. Knows nothing of what the lines contain.
class LineReader
{
public:
  LineReader(ByteSource& source, size_t max_line_bytes);

  // The next line, or nullopt at end of input.
  std::optional<Line> next();
  // True when bytes already read from the source wait to be consumed (the client has sent more
  // than the lines returned so far): the next next() may not need to wait.
  bool buffered() const { return m_pos < m_chunk.size(); }
  size_t max_line_bytes() const { return m_max; }

private:
  bool fill();
  Line finish_line();

  ByteSource& m_source;
  size_t m_max;
  std::string m_chunk;       // bytes read but not yet consumed, from m_pos
  size_t m_pos = 0;
  std::string m_line;        // the line being assembled (at most m_max + 1 bytes kept)
  size_t m_line_size = 0;    // its full size so far, including bytes dropped past the cap
  bool m_eof = false;
};

} // namespace dbmcp::transport
