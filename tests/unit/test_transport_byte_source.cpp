// FdSource and WakePipe: reading a pipe, end of input, and interruption through the wake pipe.
#include "transport/byte_source.hpp"
#include "transport/line_reader.hpp"
#include "transport/line_writer.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include <unistd.h>

using namespace dbmcp::transport;

namespace {

struct Pipe
{
  int fds[2] = {-1, -1};
  Pipe() { REQUIRE(::pipe(fds) == 0); }
  ~Pipe()
  {
    close_write();
    ::close(fds[0]);
  }
  void write(const std::string& text) { REQUIRE(::write(fds[1], text.data(), text.size()) == ssize_t(text.size())); }
  void close_write()
  {
    if (fds[1] >= 0) {
      ::close(fds[1]);
      fds[1] = -1;
    }
  }
};

} // namespace

TEST_SUITE("transport::ByteSource")
{
  TEST_CASE("FdSource: lines from a pipe until it is closed")
  {
    Pipe pipe;
    WakePipe wake;
    FdSource source(pipe.fds[0], wake.read_fd());
    LineReader reader(source, 64);
    pipe.write("first\nsec");
    auto first = reader.next();
    REQUIRE(first);
    CHECK(first->text == "first");
    pipe.write("ond\n");
    auto second = reader.next();
    REQUIRE(second);
    CHECK(second->text == "second");
    pipe.close_write();
    CHECK_FALSE(reader.next().has_value());
  }

  TEST_CASE("FdSource: wake() ends a read that is blocked on an idle pipe")
  {
    Pipe pipe;
    WakePipe wake;
    FdSource source(pipe.fds[0], wake.read_fd());
    LineReader reader(source, 64);
    std::optional<Line> got = Line{"sentinel"};
    std::thread reader_thread([&] { got = reader.next(); });
    wake.wake();  // from another thread, as a signal handler would
    reader_thread.join();
    CHECK_FALSE(got.has_value());
  }

  TEST_CASE("LineWriter: lines from many threads never interleave")
  {
    std::ostringstream out;
    LineWriter writer(out);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < 200; ++i) {
          CHECK(writer.write_line(std::string(100, char('a' + t))));
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    std::istringstream in(out.str());
    std::string line;
    int count = 0;
    while (std::getline(in, line)) {
      ++count;
      REQUIRE(line.size() == 100);
      CHECK(line.find_first_not_of(line[0]) == std::string::npos);
    }
    CHECK(count == 800);
  }

  TEST_CASE("LineWriter: a write stuck in the stream does not keep other threads from queueing lines")
  {
    // A stream whose first write blocks until released.
    class GateBuf : public std::stringbuf
    {
    public:
      std::mutex mutex;
      std::condition_variable changed;
      bool entered = false;
      bool released = false;

    protected:
      std::streamsize xsputn(const char* s, std::streamsize n) override
      {
        std::unique_lock lock(mutex);
        if (!entered) {
          entered = true;
          changed.notify_all();
          changed.wait(lock, [this] { return released; });
        }
        return std::stringbuf::xsputn(s, n);
      }
    };
    GateBuf buf;
    std::ostream out(&buf);
    LineWriter writer(out);
    std::thread first([&] { CHECK(writer.write_line("one")); });
    {
      std::unique_lock lock(buf.mutex);
      REQUIRE(buf.changed.wait_for(lock, std::chrono::seconds(30), [&] { return buf.entered; }));
    }
    std::mutex asked_mutex;
    std::condition_variable asked_changed;
    bool asked = false;
    std::thread second([&] {
      CHECK(writer.write_line_if(
          [&] {
            std::lock_guard lock(asked_mutex);
            asked = true;
            asked_changed.notify_all();
            return true;
          },
          "two"));
    });
    bool queued_meanwhile = false;
    {
      // A bound against a hang, not a timing assertion: the old writer held its lock here forever.
      std::unique_lock lock(asked_mutex);
      queued_meanwhile = asked_changed.wait_for(lock, std::chrono::seconds(10), [&] { return asked; });
    }
    CHECK(queued_meanwhile);
    {
      std::lock_guard lock(buf.mutex);
      buf.released = true;
      buf.changed.notify_all();
    }
    first.join();
    second.join();
    CHECK(buf.str() == "one\ntwo\n");
  }

  TEST_CASE("LineWriter: write_line_if writes only what is still wanted")
  {
    std::ostringstream out;
    LineWriter writer(out);
    CHECK_FALSE(writer.write_line_if([] { return false; }, "dropped"));
    CHECK(writer.write_line_if([] { return true; }, "kept"));
    CHECK(out.str() == "kept\n");
  }
}
