#pragma once
// A Server driven in-process for the mcp unit tests: small fake tools and resources, and a live
// connection over blocking in-memory streams, read with bounded waits (no sleeps).
#include "mcp/server.hpp"
#include "tools/registry.hpp"
#include "tools/resources.hpp"
#include "util/call_context.hpp"

#include <doctest/doctest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <istream>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

namespace dbmcp::test {

using namespace std::chrono_literals;

inline constexpr const char* k_version_key = "io.modelcontextprotocol/protocolVersion";
inline constexpr const char* k_caps_key = "io.modelcontextprotocol/clientCapabilities";
inline constexpr const char* k_log_key = "io.modelcontextprotocol/logLevel";

// A latch the tests open to let a "gate" tool finish.
struct Gate
{
  std::mutex mutex;
  std::condition_variable cv;
  bool open = false;
  int entered = 0;
  void release()
  {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }
};

// Tools: echo (returns its arguments), fail (a ToolError), steps (progress 1..n and logs),
// gate (waits for the Gate or a cancel), block (reports progress, then waits for its cancel),
// confirm (asks the person to confirm `rows` rows, default 5, and returns the answer; too_many_rows
// when the client cannot be asked).
inline tools::Registry make_test_tools(Gate& gate)
{
  log::set_stderr_level(LogLevel::critical);  // keep the tools' log lines off the test output
  tools::Registry registry;
  const Json object_schema = {{"type", "object"}};
  registry.add({"echo", "Echo", "Returns its arguments", object_schema, object_schema, true, false, true,
                [](const Json& args, CallContext&) { return Json{{"echo", args}}; }});
  registry.add({"fail", "Fail", "Always fails", object_schema, nullptr, true, false, true,
                [](const Json&, CallContext&) -> Json { throw tools::ToolError("invalid_argument", "boom"); }});
  registry.add({"steps", "Steps", "Reports progress", object_schema, nullptr, false, false, false,
                [](const Json& args, CallContext& ctx) {
                  const int n = args.value("n", 3);
                  ctx.log(LogLevel::debug, "steps: debug line");
                  ctx.log(LogLevel::warning, "steps: warning line");
                  for (int i = 1; i <= n; ++i) {
                    ctx.progress(i, n, "step " + std::to_string(i));
                    ctx.progress(i - 0.5, n, "a step back, dropped");
                  }
                  return Json{{"steps", n}};
                }});
  registry.add({"gate", "Gate", "Waits for the test", object_schema, nullptr, true, false, true,
                [&gate](const Json&, CallContext& ctx) {
                  // The interrupt takes the gate's mutex under the context's lock: register it
                  // before taking the gate's mutex here, never while holding it.
                  auto guard = ctx.on_cancel([&gate] {
                    std::lock_guard inner(gate.mutex);
                    gate.cv.notify_all();
                  });
                  std::unique_lock lock(gate.mutex);
                  ++gate.entered;
                  gate.cv.notify_all();
                  gate.cv.wait_for(lock, 20s, [&] { return gate.open || ctx.cancelled(); });
                  ctx.throw_if_cancelled();
                  return Json{{"gate", "passed"}};
                }});
  registry.add({"block", "Block", "Runs until cancelled", object_schema, nullptr, false, true, false,
                [](const Json&, CallContext& ctx) -> Json {
                  std::mutex mutex;
                  std::condition_variable cv;
                  auto guard = ctx.on_cancel([&] {
                    std::lock_guard lock(mutex);
                    cv.notify_all();
                  });
                  ctx.progress(1, std::nullopt, "started");
                  std::unique_lock lock(mutex);
                  cv.wait_for(lock, 20s, [&] { return ctx.cancelled(); });
                  ctx.throw_if_cancelled();
                  return Json{{"block", "not cancelled"}};
                }});
  registry.add({"confirm", "Confirm", "Asks the person to confirm a write", object_schema, nullptr, false, true, false,
                [](const Json& args, CallContext& ctx) -> Json {
                  const int64_t rows = args.value("rows", int64_t{5});
                  if (!ctx.can_confirm()) {
                    throw tools::ToolError("too_many_rows", "the client cannot ask the person");
                  }
                  const ConfirmAnswer answer =
                      ctx.confirm({"confirm would change " + std::to_string(rows) + " rows. Apply?", rows});
                  constexpr std::array k_actions = {"accept", "decline", "cancel", "unanswered"};
                  return Json{{"action", k_actions[static_cast<size_t>(answer.action)]},
                              {"rows", answer.rows},
                              {"reason", answer.reason}};
                }});
  return registry;
}

// Resources: one schema per table of {"users", "posts", "products"}.
class TestResources : public tools::Resources
{
public:
  std::vector<Json> list() const override
  {
    std::vector<Json> out;
    for (const auto& t : m_tables) {
      out.push_back({{"uri", uri(t)}, {"name", t}, {"mimeType", "application/json"}});
    }
    return out;
  }
  std::vector<Json> templates() const override
  {
    return {{{"uriTemplate", "db://tables/{table}/schema"}, {"name", "schema"}, {"mimeType", "application/json"}}};
  }
  std::optional<Json> read(const std::string& u) const override
  {
    for (const auto& t : m_tables) {
      if (uri(t) == u) {
        return Json::array({{{"uri", u}, {"mimeType", "application/json"}, {"text", "{\"table\":\"" + t + "\"}"}}});
      }
    }
    return std::nullopt;
  }
  std::vector<std::string> complete(const std::string& tmpl, const std::string& argument,
                                    const std::string& prefix) const override
  {
    std::vector<std::string> out;
    if (tmpl == "db://tables/{table}/schema" && argument == "table") {
      for (const auto& t : m_tables) {
        if (t.rfind(prefix, 0) == 0) {
          out.push_back(t);
        }
      }
    }
    return out;
  }

private:
  static std::string uri(const std::string& table) { return "db://tables/" + table + "/schema"; }
  std::vector<std::string> m_tables = {"posts", "products", "users"};
};

inline Json request(const Json& id, const std::string& method, Json params = Json::object())
{
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

inline Json modern_meta(Json extra = Json::object())
{
  Json meta = {{k_version_key, "2026-07-28"}, {k_caps_key, Json::object()}};
  meta.update(extra);
  return meta;
}

// A request of the 2026-07-28 era: params with the _meta envelope.
inline Json modern(const Json& id, const std::string& method, Json params = Json::object(),
                   Json meta_extra = Json::object())
{
  params["_meta"] = modern_meta(std::move(meta_extra));
  return request(id, method, std::move(params));
}

inline Json initialize(const Json& id, const std::string& version)
{
  return request(id, "initialize", {{"protocolVersion", version}, {"capabilities", Json::object()},
                                    {"clientInfo", {{"name", "test"}, {"version", "1"}}}});
}

inline Json notification(const std::string& method, Json params = Json::object())
{
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

// Runs serve() over all of `input` (lines joined by newlines) and returns the output lines.
inline std::vector<Json> serve_lines(const std::vector<std::string>& input, mcp::ServerOptions options = {},
                                     bool with_resources = true)
{
  Gate gate;
  gate.release();
  const auto registry = make_test_tools(gate);
  TestResources resources;
  mcp::Server server(registry, with_resources ? &resources : nullptr, std::move(options));
  std::string text;
  for (const auto& line : input) {
    text += line + "\n";
  }
  std::istringstream in(text);
  std::ostringstream out;
  REQUIRE(server.serve(in, out) == 0);
  std::vector<Json> messages;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) {
    messages.push_back(Json::parse(line));
  }
  return messages;
}

inline std::vector<Json> serve_messages(const std::vector<Json>& input, mcp::ServerOptions options = {})
{
  std::vector<std::string> lines;
  for (const auto& message : input) {
    lines.push_back(message.dump());
  }
  return serve_lines(lines, std::move(options));
}

// The response with `id` among `messages`; fails the test when there is none.
inline Json response_to(const std::vector<Json>& messages, const Json& id)
{
  for (const auto& m : messages) {
    if (!m.contains("method") && m.contains("id") && m["id"] == id) {
      return m;
    }
  }
  FAIL("no response with id " << id.dump());
  return nullptr;
}

inline size_t count_with_id(const std::vector<Json>& messages, const Json& id)
{
  size_t n = 0;
  for (const auto& m : messages) {
    n += !m.contains("method") && m.contains("id") && m["id"] == id;
  }
  return n;
}

// An input stream the test feeds while the server reads it (blocking until data or close).
class FeedBuf : public std::streambuf
{
public:
  void feed(const std::string& text)
  {
    std::lock_guard lock(m_mutex);
    m_pending += text;
    m_cv.notify_all();
  }
  void close()
  {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_cv.notify_all();
  }

protected:
  int_type underflow() override
  {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return !m_pending.empty() || m_closed; });
    if (m_pending.empty()) {
      return traits_type::eof();
    }
    m_current.swap(m_pending);
    m_pending.clear();
    setg(m_current.data(), m_current.data(), m_current.data() + m_current.size());
    return traits_type::to_int_type(m_current[0]);
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::string m_pending;
  std::string m_current;
  bool m_closed = false;
};

// An output stream that collects whole lines for the test to wait on.
class LinesBuf : public std::streambuf
{
public:
  // The next line, waiting at most `timeout`; nullopt when none arrives.
  std::optional<std::string> next(std::chrono::milliseconds timeout)
  {
    std::unique_lock lock(m_mutex);
    if (!m_cv.wait_for(lock, timeout, [this] { return !m_lines.empty(); })) {
      return std::nullopt;
    }
    std::string line = std::move(m_lines.front());
    m_lines.pop_front();
    return line;
  }

protected:
  int_type overflow(int_type c) override
  {
    if (c != traits_type::eof()) {
      put(static_cast<char>(c));
    }
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override
  {
    for (std::streamsize i = 0; i < n; ++i) {
      put(s[i]);
    }
    return n;
  }

private:
  void put(char c)
  {
    std::lock_guard lock(m_mutex);
    if (c == '\n') {
      m_lines.push_back(std::move(m_partial));
      m_partial.clear();
      m_cv.notify_all();
    } else {
      m_partial += c;
    }
  }

  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::string m_partial;
  std::deque<std::string> m_lines;
};

// A server running on its own thread over a FeedBuf and a LinesBuf.
class LiveServer
{
public:
  explicit LiveServer(mcp::ServerOptions options = {})
    : m_registry(make_test_tools(gate)), m_server(m_registry, &m_resources, std::move(options)), m_in(&m_in_buf),
      m_out(&m_out_buf)
  {
    m_thread = std::thread([this] { m_exit_code = m_server.serve(m_in, m_out); });
  }
  ~LiveServer()
  {
    gate.release();
    m_in_buf.close();
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }

  void send(const Json& message) { m_in_buf.feed(message.dump() + "\n"); }
  void close_input() { m_in_buf.close(); }
  mcp::Server& server() { return m_server; }

  // The next message, or nullopt when none arrives within `timeout`.
  std::optional<Json> next(std::chrono::milliseconds timeout = 10s)
  {
    auto line = m_out_buf.next(timeout);
    if (!line) {
      return std::nullopt;
    }
    Json message = Json::parse(*line);
    seen.push_back(message);
    return message;
  }
  // Reads until the response with `id`; fails after `timeout`.
  Json response(const Json& id, std::chrono::milliseconds timeout = 10s)
  {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto message = next(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()));
      if (message && !message->contains("method") && message->contains("id") && (*message)["id"] == id) {
        return *message;
      }
    }
    FAIL("no response with id " << id.dump() << " within the bound");
    return nullptr;
  }
  // Waits for serve() to return (after close_input() or stop()).
  int join()
  {
    m_thread.join();
    return m_exit_code;
  }
  // Waits until `count` calls entered the gate tool.
  bool wait_gate_entered(int count, std::chrono::milliseconds timeout = 10s)
  {
    std::unique_lock lock(gate.mutex);
    return gate.cv.wait_for(lock, timeout, [&] { return gate.entered >= count; });
  }

  Gate gate;
  std::vector<Json> seen;  // every message next() returned

private:
  tools::Registry m_registry;
  TestResources m_resources;
  mcp::Server m_server;
  FeedBuf m_in_buf;
  LinesBuf m_out_buf;
  std::istream m_in;
  std::ostream m_out;
  std::thread m_thread;
  int m_exit_code = -1;
};

} // namespace dbmcp::test
