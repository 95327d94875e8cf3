#include "cli/commands.hpp"
#include "cli/output.hpp"

#include <iostream>

namespace dbmcp::cli {
namespace {

// The resolved configuration, each value with its source; passwords are redacted. Opens no
// database.
int show_config(const GlobalFlags& flags, bool as_json)
{
  const config::Resolved resolved = resolve_configuration(flags.connection);
  const store::StoreOptions& options = resolved.options;
  if (wants_json(as_json)) {
    Json settings = Json::array();
    for (const auto& setting : resolved.settings) {
      settings.push_back({{"name", setting.name}, {"value", setting.value}, {"source", setting.source}});
    }
    print_json(std::cout, {{"settings", settings},
                           {"effective",
                            {{"url", config::redact_url(options.url)},
                             {"pool_min", options.pool_min},
                             {"pool_max", options.pool_max},
                             {"pool_timeout_s", options.pool_timeout.count() / 1000.0},
                             {"statement_timeout_s", options.statement_timeout.count() / 1000.0},
                             {"read_only", flags.connection.read_only}}}});
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& setting : resolved.settings) {
    rows.push_back({setting.name, setting.value, setting.source});
  }
  print_table(std::cout, {"SETTING", "VALUE", "SOURCE"}, rows);
  return 0;
}

} // namespace

void setup_config(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto as_json = std::make_shared<bool>(false);
  auto* command = app.add_subcommand("config", "Show the resolved configuration and where each value came from");
  command->add_flag("--json", *as_json, "Print JSON even on a terminal");
  command->callback([&flags, &exit_code, as_json] { exit_code = show_config(flags, *as_json); });
}

} // namespace dbmcp::cli
