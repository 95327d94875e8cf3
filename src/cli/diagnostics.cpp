#include "cli/commands.hpp"
#include "cli/output.hpp"

#include <iostream>

namespace dbmcp::cli {
namespace {

// What the database_diagnostics tool returns: engine, connection (password redacted), tables
// and pool; with --cache, `result_cache` as well: whether the cache answers now (probed), and this
// process's counts (hits, misses, hit ratio, invalidations, bytes written; bytes and entries of a
// memory cache), which a one-off command starts at zero.
int diagnostics(const GlobalFlags& flags, bool as_json)
{
  const store::StoreOptions options = resolve_store_options(flags.connection);
  // Under the access policy: its hidden tables and columns, and the row counts of its row-filtered
  // tables, are left out as in the database_diagnostics tool.
  auto store = open_store(options, resolve_policy(flags.connection));
  CallContext ctx;
  Json report = store->diagnostics(ctx);
  if (const auto result_cache = open_result_cache(flags, options); result_cache && report.is_object()) {
    result_cache->probe();
    report["result_cache"] = result_cache->stats();
  }
  if (wants_json(as_json)) {
    print_json(std::cout, report);
  } else {
    print_human(std::cout, report);
  }
  return 0;
}

} // namespace

void setup_diagnostics(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto as_json = std::make_shared<bool>(false);
  auto* command =
      app.add_subcommand("diagnostics", "Engine version, connection, per-table and pool statistics");
  command->add_flag("--json", *as_json, "Print JSON even on a terminal");
  command->callback([&flags, &exit_code, as_json] { exit_code = diagnostics(flags, *as_json); });
}

} // namespace dbmcp::cli
