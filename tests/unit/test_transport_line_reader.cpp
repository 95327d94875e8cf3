// LineReader: splitting, \r stripping, the size cap and recovery after an oversize line.
#include "transport/line_reader.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

using dbmcp::transport::Line;
using dbmcp::transport::LineReader;
using dbmcp::transport::StreamSource;

namespace {

std::vector<Line> read_all(const std::string& input, size_t max_bytes)
{
  std::istringstream in(input);
  StreamSource source(in);
  LineReader reader(source, max_bytes);
  std::vector<Line> lines;
  while (auto line = reader.next()) {
    lines.push_back(std::move(*line));
  }
  return lines;
}

// Hands out all of `bytes` in one read, as a pipe holding several lines does.
class OneReadSource final : public dbmcp::transport::ByteSource
{
public:
  explicit OneReadSource(std::string bytes) : m_bytes(std::move(bytes)) {}
  size_t read(char* buffer, size_t capacity) override
  {
    const size_t count = std::min(capacity, m_bytes.size());
    m_bytes.copy(buffer, count);
    m_bytes.erase(0, count);
    return count;
  }

private:
  std::string m_bytes;
};

} // namespace

TEST_SUITE("transport::LineReader")
{
  TEST_CASE("LineReader: splits on newline and strips one trailing carriage return")
  {
    const auto lines = read_all("one\ntwo\r\n\nthree\r\r\nlast", 100);
    REQUIRE(lines.size() == 5);
    CHECK(lines[0].text == "one");
    CHECK(lines[1].text == "two");
    CHECK(lines[2].text.empty());
    CHECK(lines[3].text == "three\r");
    CHECK(lines[4].text == "last");
    for (const auto& line : lines) {
      CHECK_FALSE(line.too_long);
    }
  }

  TEST_CASE("LineReader: buffered() tells whether bytes already read wait to be consumed")
  {
    OneReadSource source("one\ntwo\n");
    LineReader chunked(source, 100);
    CHECK_FALSE(chunked.buffered());  // nothing read yet
    REQUIRE(chunked.next()->text == "one");
    CHECK(chunked.buffered());  // "two\n" came in the same read
    REQUIRE(chunked.next()->text == "two");
    CHECK_FALSE(chunked.buffered());
    CHECK_FALSE(chunked.next());
  }

  TEST_CASE("LineReader: end of input")
  {
    CHECK(read_all("", 10).empty());
    CHECK(read_all("a\n", 10).size() == 1);
  }

  TEST_CASE("LineReader: a line over the cap is reported, skipped, and reading goes on")
  {
    const std::string big(5000, 'x');
    const auto lines = read_all("ok\n" + big + "\nafter\n", 1024);
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].text == "ok");
    CHECK(lines[1].too_long);
    CHECK(lines[1].text.empty());
    CHECK(lines[1].size == 5000);
    CHECK(lines[2].text == "after");
    CHECK_FALSE(lines[2].too_long);
  }

  TEST_CASE("LineReader: the cap counts the line without its \\r\\n")
  {
    SUBCASE("exactly the cap")
    {
      const auto lines = read_all(std::string(8, 'a') + "\r\n", 8);
      REQUIRE(lines.size() == 1);
      CHECK_FALSE(lines[0].too_long);
      CHECK(lines[0].text == std::string(8, 'a'));
    }
    SUBCASE("one over the cap")
    {
      const auto lines = read_all(std::string(9, 'a') + "\n", 8);
      REQUIRE(lines.size() == 1);
      CHECK(lines[0].too_long);
      CHECK(lines[0].size == 9);
    }
    SUBCASE("an oversize last line without a newline")
    {
      const auto lines = read_all("fine\n" + std::string(300, 'b'), 100);
      REQUIRE(lines.size() == 2);
      CHECK(lines[1].too_long);
    }
  }

  TEST_CASE("LineReader: lines longer than one read chunk")
  {
    const std::string long_line(200'000, 'z');
    const auto lines = read_all(long_line + "\nshort\n", 1'000'000);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == long_line);
    CHECK(lines[1].text == "short");
  }
}
