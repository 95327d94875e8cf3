#include "audit/audited_tools.hpp"
#include "cli/commands.hpp"
#include "policy/argument_masking.hpp"
#include "util/fatal.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

namespace dbmcp::cli {

tools::Registry with_audit_trail(const GlobalFlags& flags, tools::Registry registry)
{
  const std::string path = resolve_audit_path(flags.connection);
  if (path.empty()) {
    return registry;
  }
  std::shared_ptr<audit::AuditLog> log;
  try {
    log = std::make_shared<audit::AuditLog>(path);
  } catch (const audit::AuditError& e) {
    throw Fatal(fmt::format("{} (--audit / DB_AUDIT); no tool call is served unaudited", e.what()), 2);
  }
  log::write(LogLevel::info, fmt::format("audit trail: every tool call is appended to {}", path));
  audit::AuditOptions options;
  if (auto policy = resolve_policy(flags.connection)) {
    options.redact_arguments = [policy](const std::string&, const Json& arguments) {
      return policy::mask_arguments(*policy, arguments);
    };
  }
  return audit::with_audit(registry, std::move(log), std::move(options));
}

} // namespace dbmcp::cli
