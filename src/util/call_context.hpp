#pragma once

#include "util/deferred_array.hpp"
#include "util/json.hpp"
#include "util/log.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace dbmcp {

// Thrown by CallContext::throw_if_cancelled() and by a store whose statement was interrupted
// because its call was cancelled. The session sends nothing for a cancelled request.
class Cancelled : public std::runtime_error
{
public:
  Cancelled() : std::runtime_error("the request was cancelled") {}
};

// A question for the person behind the client, before a write that matched more rows than its
// limit is carried out.
struct Confirmation
{
  std::string message;  // e.g. "update_records would change 2,345 rows of 'orders' (limit 1,000). Apply?"
  int64_t rows = 0;     // the rows the write would change, counted with nothing written
};

// The person's answer to a Confirmation.
struct ConfirmAnswer
{
  enum class Action { accept, decline, cancel, unanswered };
  Action action = Action::unanswered;
  int64_t rows = 0;    // accept: the count the person confirmed; the write may change at most this many
  std::string reason;  // unanswered: why no answer came, one line
};

// Thrown by a confirmation sink that cannot wait for the answer (MCP 2026-07-28, multi round-trip
// requests): the call ends with `result`, an InputRequiredResult the client answers by calling
// again. Nothing was written. Tools and decorators let it through, as they do Cancelled.
class InputRequired : public std::runtime_error
{
public:
  explicit InputRequired(Json result)
    : std::runtime_error("the call needs the person's input"), m_result(std::move(result))
  {
  }
  const Json& result() const { return m_result; }

private:
  Json m_result;
};

// What one tool call sees of the session that runs it: cancellation, progress and logging.
// The session creates one per request; tools and stores only use it. Thread-safe: cancel() is
// called from the reader thread while the call runs on a worker.
class CallContext
{
public:
  // `progress` and `total` as in notifications/progress; `total` is absent when unknown.
  using ProgressSink = std::function<void(double progress, std::optional<double> total, const std::string& message)>;
  using LogSink = std::function<void(LogLevel level, const std::string& message)>;
  // `text` is a statement's SQL with its placeholders (never the bound values); `rows` the rows it
  // returned and `affected` the rows it inserted, changed or deleted.
  using StatementSink = std::function<void(const std::string& text, int64_t rows, int64_t affected)>;
  // Asks the person behind the client; may block until the answer comes, throws Cancelled when
  // the call is cancelled meanwhile, or throws InputRequired (see there).
  using ConfirmSink = std::function<ConfirmAnswer(const Confirmation& question)>;

  CallContext() = default;
  CallContext(const CallContext&) = delete;
  CallContext& operator=(const CallContext&) = delete;

  // Progress is only reported when the request carried a progress token.
  void set_progress_sink(ProgressSink sink) { m_progress = std::move(sink); }
  // Client-visible logs (notifications/message); stderr logging happens regardless.
  void set_log_sink(LogSink sink) { m_log = std::move(sink); }

  // The statements the store runs for this call are reported here (the audit trail).
  void set_statement_sink(StatementSink sink) { m_statements = std::move(sink); }
  bool wants_statements() const { return static_cast<bool>(m_statements); }
  void statement(const std::string& text, int64_t rows, int64_t affected) const
  {
    if (m_statements) {
      m_statements(text, rows, affected);
    }
  }

  // Set by the session when the client can show the person a confirmation (MCP elicitation);
  // without one, can_confirm() is false and a write over its limit is refused.
  void set_confirm_sink(ConfirmSink sink) { m_confirm = std::move(sink); }
  bool can_confirm() const { return static_cast<bool>(m_confirm); }
  // Only when can_confirm(); never call it while a database transaction is open.
  ConfirmAnswer confirm(const Confirmation& question) const { return m_confirm(question); }

  // Who sent the call, {"name", "version"} as the client named itself (initialize's clientInfo,
  // or the request's _meta); null when it did not. Set by the session before the call runs.
  void set_client(Json client) { m_client = std::move(client); }
  const Json& client() const { return m_client; }

  // The records of an insert_records call left unparsed in its request line (mcp/deferred_records):
  // its arguments then hold `records: []` in their place. Null for every other call.
  void set_deferred_records(std::shared_ptr<const DeferredArray> records) { m_deferred_records = std::move(records); }
  const std::shared_ptr<const DeferredArray>& deferred_records() const { return m_deferred_records; }

  bool wants_progress() const { return static_cast<bool>(m_progress); }
  void progress(double done, std::optional<double> total, const std::string& message) const
  {
    if (m_progress && !cancelled()) {
      m_progress(done, total, message);
    }
  }

  // Logs to stderr at the process's level and to the client sink at the client's level.
  void log(LogLevel level, const std::string& message) const
  {
    log::write(level, message);
    if (m_log && !cancelled()) {
      m_log(level, message);
    }
  }

  bool cancelled() const noexcept { return m_cancelled.load(); }
  void throw_if_cancelled() const
  {
    if (cancelled()) {
      throw Cancelled();
    }
  }

  // Marks the call cancelled and runs the registered interrupt, if any, once.
  void cancel()
  {
    m_cancelled = true;
    std::lock_guard lock(m_mutex);
    if (m_interrupt) {
      m_interrupt();
    }
  }

  // While the returned guard lives, cancel() calls `interrupt` (from another thread), e.g.
  // sqlite3_interrupt or PQcancel on the connection running this call's statement. If the call
  // is already cancelled, `interrupt` runs at once.
  class InterruptGuard
  {
  public:
    explicit InterruptGuard(CallContext* owner) : m_owner(owner) {}
    InterruptGuard(InterruptGuard&& other) noexcept : m_owner(std::exchange(other.m_owner, nullptr)) {}
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;
    InterruptGuard& operator=(InterruptGuard&&) = delete;
    ~InterruptGuard()
    {
      if (m_owner) {
        std::lock_guard lock(m_owner->m_mutex);
        m_owner->m_interrupt = nullptr;
      }
    }

  private:
    CallContext* m_owner;
  };

  [[nodiscard]] InterruptGuard on_cancel(std::function<void()> interrupt)
  {
    std::lock_guard lock(m_mutex);
    m_interrupt = std::move(interrupt);
    if (m_cancelled) {
      m_interrupt();
    }
    return InterruptGuard(this);
  }

private:
  std::atomic<bool> m_cancelled{false};
  std::mutex m_mutex;
  std::function<void()> m_interrupt;
  ProgressSink m_progress;
  LogSink m_log;
  StatementSink m_statements;
  ConfirmSink m_confirm;
  Json m_client;
  std::shared_ptr<const DeferredArray> m_deferred_records;
};

} // namespace dbmcp
