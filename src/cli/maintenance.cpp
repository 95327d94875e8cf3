#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "util/fatal.hpp"

#include <fmt/format.h>

#include <iostream>

namespace dbmcp::cli {
namespace {

struct MaintenanceFlags
{
  std::string operation;
  std::string table;
  bool json = false;
};

store::Maintenance parse_operation(const std::string& name)
{
  if (name == "vacuum") {
    return store::Maintenance::vacuum;
  }
  if (name == "analyze") {
    return store::Maintenance::analyze;
  }
  return store::Maintenance::reindex;
}

int maintenance(const GlobalFlags& flags, const MaintenanceFlags& maintenance_flags)
{
  const auto options = resolve_store_options(flags.connection);
  if (options.read_only) {
    throw Fatal("maintenance writes to the database; drop --read-only");
  }
  auto store = open_store(options);
  std::string table;
  if (!maintenance_flags.table.empty()) {
    try {
      table = store->schema()->require_table(maintenance_flags.table).name;
    } catch (const store::StoreError& e) {
      throw Fatal(e.what());
    }
  }
  CallContext ctx;
  Json result;
  try {
    result = store->maintenance(parse_operation(maintenance_flags.operation), table, ctx);
  } catch (const store::StoreError& e) {
    throw Fatal(fmt::format("{} failed: {}", maintenance_flags.operation, e.what()), 1);
  }
  invalidate_result_cache(flags, options, *store);
  if (wants_json(maintenance_flags.json)) {
    print_json(std::cout, result);
  } else {
    print_human(std::cout, result);
  }
  return 0;
}

} // namespace

void setup_maintenance(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto maintenance_flags = std::make_shared<MaintenanceFlags>();
  auto* command = app.add_subcommand("maintenance", "Run VACUUM, ANALYZE or REINDEX on the database or one table");
  command->add_option("operation", maintenance_flags->operation, "vacuum, analyze or reindex")
      ->required()
      ->check(CLI::IsMember({"vacuum", "analyze", "reindex"}));
  command->add_option("--table", maintenance_flags->table, "Only this table (default: the whole database)");
  command->add_flag("--json", maintenance_flags->json, "Print JSON even on a terminal");
  command->callback([&flags, &exit_code, maintenance_flags] { exit_code = maintenance(flags, *maintenance_flags); });
}

} // namespace dbmcp::cli
