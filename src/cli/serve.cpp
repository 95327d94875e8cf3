#include "cli/commands.hpp"
#include "config/config.hpp"
#include "mcp/server.hpp"
#include "tools/database_tools.hpp"
#include "tools/instructions.hpp"
#include "util/log.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

namespace dbmcp::cli {
namespace {

std::atomic<mcp::Server*> g_server{nullptr};

extern "C" void on_stop_signal(int)
{
  if (mcp::Server* server = g_server.load()) {
    server->stop();
  }
}

// "all", or the --tables list and the --exclude-tables list.
std::string describe_visibility(const store::StoreOptions& options)
{
  const auto& only = options.visibility.include;
  const auto& hidden = options.visibility.exclude;
  std::string text = only.empty() ? "all" : fmt::format("{}", fmt::join(only, ","));
  if (!hidden.empty()) {
    text += fmt::format(" except {}", fmt::join(hidden, ","));
  }
  return text;
}

// The info line that says what this server serves, before it touches the database.
void log_start(const GlobalFlags& flags, const store::StoreOptions& options, const store::Store& store)
{
  log::write(LogLevel::info,
             fmt::format("dbmcp {} serving MCP on stdio: backend {}, database {}, {}, admin tools {}, tables {}",
                         DBMCP_VERSION, store.backend(), config::redact_url(options.url),
                         options.read_only ? "read-only" : "read-write", flags.allow_admin ? "on" : "off",
                         describe_visibility(options)));
}

// A person who runs dbmcp in a terminal sees why it waits.
void greet_terminal()
{
  if (::isatty(STDIN_FILENO) != 0) {
    std::cerr << "dbmcp: serving MCP (JSON-RPC, one message a line) on stdin/stdout; an MCP client normally "
                 "starts this. Press Ctrl-D to end; see dbmcp --help for the subcommands.\n"
              << std::flush;
  }
}

} // namespace

tools::ToolOptions tool_options(const GlobalFlags& flags, const store::StoreOptions& options)
{
  tools::ToolOptions tools{.read_only = options.read_only,
                           .allow_admin = flags.allow_admin,
                           .max_rows = flags.max_rows,
                           .max_answer_bytes = flags.max_answer_bytes,
                           .max_affected_rows = flags.max_affected_rows};
  if (const auto policy = resolve_policy(flags.connection)) {
    // The write tools the policy lets no table use are not offered; none at all: as --read-only.
    const policy::Access allowed = policy->allowed_somewhere();
    tools.insert = allowed.insert;
    tools.update = allowed.update;
    tools.remove = allowed.remove;
    tools.read_only = tools.read_only || !allowed.writes();
  }
  return tools;
}

int serve(const GlobalFlags& flags)
{
  const auto options = resolve_store_options(flags.connection);
  const auto policy = resolve_policy(flags.connection);
  auto store = open_store_lazily(options, policy); // the first call that needs the database connects
  if (policy) {
    log::write(LogLevel::info, fmt::format("access policy {} in force", policy->source));
  }
  log_start(flags, options, *store);
  greet_terminal();
  const auto registry = with_audit_trail(flags, database_tools(flags, options, *store));
  const auto resources = tools::make_schema_resources(*store);
  const std::string instructions = tools::make_instructions(registry) +
                                   (resources ? " Table schemas are also resources at db://tables/{table}/schema." : "");
  const unsigned workers = flags.workers > 0 ? flags.workers
                                             : static_cast<unsigned>(std::max(options.pool_max, 2));
  mcp::Server server(registry, resources.get(),
                     {.version = DBMCP_VERSION, .instructions = instructions,
                      .max_line_bytes = flags.max_line_bytes, .max_queued_bytes = flags.max_queued_bytes,
                      .workers = workers});
  g_server = &server;
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGPIPE, SIG_IGN);
  const int code = server.serve(std::cin, std::cout);
  g_server = nullptr;
  return code;
}

void setup_serve(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto* command = app.add_subcommand("serve", "Serve MCP over stdin/stdout (the default)");
  command->callback([&flags, &exit_code] { exit_code = serve(flags); });
}

} // namespace dbmcp::cli
