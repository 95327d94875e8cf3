#include "mcp/call_sinks.hpp"

#include "jsonrpc/message.hpp"
#include "mcp/elicitation.hpp"

#include <memory>
#include <mutex>

namespace dbmcp::mcp {
namespace {

// The last progress value sent for one request.
struct ProgressState
{
  std::mutex mutex;
  std::optional<double> last;
};

void attach_progress(CallContext& ctx, const RequestScope& scope, Outbox& outbox)
{
  auto state = std::make_shared<ProgressState>();
  const bool with_message = scope.features.annotations;  // ProgressNotification.message: 2025-03-26+
  ctx.set_progress_sink([&ctx, &outbox, state, with_message, token = scope.progress_token](
                            double progress, std::optional<double> total, const std::string& message) {
    std::lock_guard lock(state->mutex);
    if (state->last && progress <= *state->last) {
      return;
    }
    state->last = progress;
    Json params = {{"progressToken", token}, {"progress", progress}};
    if (total) {
      params["total"] = *total;
    }
    if (with_message && !message.empty()) {
      params["message"] = message;
    }
    outbox.send_if([&ctx] { return !ctx.cancelled(); }, jsonrpc::notification("notifications/progress", params));
  });
}

void attach_log(CallContext& ctx, LogLevel threshold, Outbox& outbox)
{
  ctx.set_log_sink([&ctx, &outbox, threshold](LogLevel level, const std::string& message) {
    if (level < threshold) {
      return;
    }
    Json params = {{"level", to_string(level)}, {"logger", "dbmcp"}, {"data", message}};
    outbox.send_if([&ctx] { return !ctx.cancelled(); }, jsonrpc::notification("notifications/message", params));
  });
}

void attach_confirmation(CallContext& ctx, bool with_mode, ClientRequests& requests)
{
  ctx.set_confirm_sink([&ctx, &requests, with_mode](const Confirmation& question) {
    const auto reply = requests.ask("elicitation/create", confirmation_params(question, with_mode), ctx);
    if (!reply.result) {
      ConfirmAnswer unanswered;
      unanswered.reason = reply.failure;
      return unanswered;
    }
    return confirmation_answer(*reply.result, question.rows);
  });
}

} // namespace

void attach_sinks(CallContext& ctx, const RequestScope& scope, Outbox& outbox, ClientRequests& requests)
{
  if (!scope.features.modern && scope.form_elicitation) {
    // ElicitRequest.mode exists from 2025-11-25.
    attach_confirmation(ctx, scope.version >= std::string("2025-11-25"), requests);
  }
  if (!scope.progress_token.is_null()) {
    attach_progress(ctx, scope, outbox);
  }
  if (scope.log_level) {
    attach_log(ctx, *scope.log_level, outbox);
  }
}

} // namespace dbmcp::mcp
