#include "tools/tool_kit.hpp"

#include <fmt/format.h>

namespace dbmcp::tools {
namespace {

store::Maintenance parse_operation(const std::string& name)
{
  if (name == "vacuum") {
    return store::Maintenance::vacuum;
  }
  if (name == "analyze") {
    return store::Maintenance::analyze;
  }
  if (name == "reindex") {
    return store::Maintenance::reindex;
  }
  throw store::invalid_argument(fmt::format("operation must be vacuum, analyze or reindex, got '{}'", name));
}

Json run_maintenance(store::Store& store, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"operation", "table"});
  const store::Maintenance operation = parse_operation(args.required_string("operation"));
  std::string table;
  if (args.has("table")) {
    table = require_table(store, args)->name;
  }
  ctx.log(LogLevel::notice, fmt::format("Running {} on {}", args.required_string("operation"),
                                        table.empty() ? "the database" : table));
  Json result = store.maintenance(operation, table, ctx);
  store.refresh_schema();
  return result;
}

using namespace schema;

} // namespace

void add_admin_tools(Registry& registry, store::Store& store, const ToolOptions& options)
{
  registry.add({"database_diagnostics", "Database diagnostics",
                "Engine version, connection (password redacted), table and pool statistics.",
                object(Json::object()), {{"type", "object"}}, true, false, true,
                [&store](const Json& arguments, CallContext& ctx) {
                  const Arguments args(arguments, {});
                  return store.diagnostics(ctx);
                }});
  if (options.allow_admin && !options.read_only && store.capability() == store::Capability::records) {
    registry.add({"run_maintenance", "Run maintenance",
                  "VACUUM, ANALYZE or REINDEX the database or one table.",
                  object({{"operation", {{"enum", {"vacuum", "analyze", "reindex"}}, {"description", "What to run"}}},
                          {"table", string("One table (default: all)")}},
                         {"operation"}),
                  {{"type", "object"}}, false, false, true,
                  [&store](const Json& arguments, CallContext& ctx) { return run_maintenance(store, arguments, ctx); }});
  }
}

} // namespace dbmcp::tools
