#include "cli/commands.hpp"
#include "mcp/server.hpp"
#include "tools/database_tools.hpp"

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

const char* k_instructions =
    "dbmcp exposes one database through a fixed set of tools. Start with list_tables and "
    "describe_table; read with get_record, list_records (where/order_by/cursor), search_records, "
    "count_records and aggregate_records; write with insert_record(s), update_record(s) and "
    "delete_record(s). Filters use the `where` object: {\"col\": value} or {\"col\": {\"gte\": 1}}. "
    "Table schemas are also resources at db://tables/{table}/schema.";

} // namespace

tools::ToolOptions tool_options(const GlobalFlags& flags, const store::StoreOptions& options)
{
  return {.read_only = options.read_only,
          .allow_admin = flags.allow_admin,
          .max_rows = flags.max_rows,
          .max_answer_bytes = flags.max_answer_bytes};
}

int serve(const GlobalFlags& flags)
{
  const auto options = resolve_store_options(flags.connection);
  auto store = open_store(options);
  const auto registry = tools::make_database_tools(*store, tool_options(flags, options));
  const auto resources = tools::make_schema_resources(*store);
  const unsigned workers = flags.workers > 0 ? flags.workers
                                             : static_cast<unsigned>(std::max(options.pool_max, 2));
  mcp::Server server(registry, resources.get(),
                     {.version = DBMCP_VERSION, .instructions = k_instructions,
                      .max_line_bytes = flags.max_line_bytes, .workers = workers});
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
