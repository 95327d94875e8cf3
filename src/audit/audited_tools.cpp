#include "audit/audited_tools.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>

namespace dbmcp::audit {
namespace {

// Ties a write's intent line to its outcome line: this process's id and a sequence number.
std::string next_call_id()
{
  static std::atomic<uint64_t> k_sequence{0};
  return fmt::format("{}-{}", ::getpid(), ++k_sequence);
}

struct Audited
{
  tools::Tool::RunFn run;
  std::string name;
  bool writes = false;
  std::shared_ptr<AuditLog> log;
  std::shared_ptr<const AuditOptions> options;

  Json operator()(const Json& arguments, CallContext& ctx) const
  {
    const auto started = std::chrono::steady_clock::now();
    Json record = {{"ts", iso8601_utc(std::chrono::system_clock::now())},
                   {"id", next_call_id()},
                   {"client", ctx.client()},
                   {"tool", name},
                   {"arguments", recorded_arguments(arguments, ctx)}};
    if (writes) {
      Json intent = record;
      intent["phase"] = "intent";
      write(intent, "nothing was run");
    }
    std::mutex mutex;
    StatementList statements(options->limits);
    ctx.set_statement_sink([&](const std::string& text, int64_t rows, int64_t affected) {
      std::lock_guard lock(mutex);
      statements.add(text, rows, affected);
    });
    const auto finish = [&](const char* outcome) {
      ctx.set_statement_sink(nullptr);
      statements.write_to(record);
      record["duration_ms"] =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
      record["outcome"] = outcome;
    };
    Json result;
    try {
      result = run(arguments, ctx);
    } catch (const Cancelled&) {
      finish("cancelled");
      write(record, writes ? "the write was cancelled and rolled back" : "the read was cancelled");
      throw;
    } catch (const InputRequired&) {
      finish("input_required");
      write(record, writes ? "the write waits for the person's confirmation (nothing was written)"
                           : "the call waits for the person's input");
      throw;
    } catch (...) {
      const auto failure = std::current_exception();
      finish("error");
      const tools::CallResult reported = tools::Registry::failure_result(name, failure, false);
      record["error"] = {{"code", reported.structured["error"]["code"]},
                         {"message", cut(reported.text, options->limits.max_sql_bytes)}};
      write(record, "the tool failed: " + reported.text);
      std::rethrow_exception(failure);
    }
    finish("ok");
    write(record, writes ? "the write WAS carried out and committed (its intent line is in the audit file)"
                         : "the answer is withheld");
    return result;
  }

  Json recorded_arguments(const Json& arguments, const CallContext& ctx) const
  {
    if (const auto& deferred = ctx.deferred_records()) {
      // The records are still bytes in the request line, `records: []` in the arguments: the
      // summary is made from their first row and their count, the same as from records in memory.
      Json given = arguments;
      DeferredArray::Reader reader(*deferred);
      if (auto first = reader.next()) {
        given["records"] = Json::array({std::move(*first)});
      }
      Json kept = recorded_arguments(given);
      if (const auto records = kept.find("records"); records != kept.end() && records->is_object()) {
        (*records)["count"] = deferred->size();
      }
      return kept;
    }
    return recorded_arguments(arguments);
  }

  Json recorded_arguments(const Json& arguments) const
  {
    // Without redaction the arguments are summarised in place: a copy of a bulk insert's records
    // would double the call's memory.
    if (!options->redact_arguments) {
      return summarize_arguments(name, arguments, options->limits);
    }
    return summarize_arguments(name, options->redact_arguments(name, arguments), options->limits);
  }

  // Appends `record`, synced for a tool that writes; a failure becomes the call's error, whose
  // message ends with `consequence`.
  void write(const Json& record, const std::string& consequence) const
  {
    try {
      log->append(record, writes);
    } catch (const AuditError& e) {
      throw tools::ToolError("audit_failed", fmt::format("{}; {}", e.what(), consequence));
    }
  }
};

} // namespace

tools::Registry with_audit(const tools::Registry& tools, std::shared_ptr<AuditLog> log, AuditOptions options)
{
  const auto shared_options = std::make_shared<const AuditOptions>(std::move(options));
  tools::Registry audited;
  for (auto tool : tools.tools()) {
    tool.run = Audited{tool.run, tool.name, !tool.read_only_hint, log, shared_options};
    audited.add(std::move(tool));
  }
  return audited;
}

} // namespace dbmcp::audit
