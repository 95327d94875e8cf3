#include "cli/commands.hpp"

#include <fmt/format.h>

#include <iostream>

namespace dbmcp::cli {
namespace {

int list_tools(const GlobalFlags& flags, bool as_json)
{
  const auto options = resolve_store_options(flags.connection);
  auto store = open_store_lazily(options, resolve_policy(flags.connection)); // the tool set depends on the options only
  const auto registry = database_tools(flags, options, *store);
  if (as_json) {
    Json list = Json::array();
    for (const auto& tool : registry.tools()) {
      list.push_back({{"name", tool.name},
                      {"title", tool.title},
                      {"description", tool.description},
                      {"readOnly", tool.read_only_hint},
                      {"inputSchema", tool.input_schema}});
    }
    std::cout << list.dump(2) << '\n';
    return 0;
  }
  size_t width = 0;
  for (const auto& tool : registry.tools()) {
    width = std::max(width, tool.name.size());
  }
  for (const auto& tool : registry.tools()) {
    std::cout << fmt::format("{:<{}}  {:<5}  {}\n", tool.name, width, tool.read_only_hint ? "read" : "write",
                             tool.title);
  }
  return 0;
}

} // namespace

void setup_tools(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto as_json = std::make_shared<bool>(false);
  auto* command = app.add_subcommand("tools", "List the tools this configuration offers");
  command->add_flag("--json", *as_json, "Print names, descriptions and input schemas as JSON");
  command->callback([&flags, &exit_code, as_json] { exit_code = list_tools(flags, *as_json); });
}

} // namespace dbmcp::cli
