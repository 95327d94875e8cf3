#include "cli/commands.hpp"
#include "store/schema.hpp"
#include "util/fatal.hpp"
#include "util/json_parse.hpp"

#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <unistd.h>

namespace dbmcp::cli {
namespace {

struct CallFlags
{
  std::string tool;
  std::string arguments = "{}";
};

Json parse_arguments(const std::string& text)
{
  const std::string source = text == "-" ? std::string(std::istreambuf_iterator<char>(std::cin), {}) : text;
  std::string failure;
  auto arguments = parse_json_bounded(source, &failure);
  if (!arguments || !arguments->is_object()) {
    throw Fatal(fmt::format("the tool arguments must be one JSON object, e.g. '{{\"table\": \"users\"}}'{}; got: {}",
                            arguments ? "" : " (" + failure + ")", source.substr(0, 80)));
  }
  return std::move(*arguments);
}

// The tool `name`, or Fatal saying why it is not offered (a write under --read-only, an admin
// tool without --allow-admin, a typo).
const tools::Tool& find_tool(const tools::Registry& registry, store::Store& store, const std::string& name,
                             bool read_only)
{
  if (const tools::Tool* tool = registry.find(name)) {
    return *tool;
  }
  if (tools::make_database_tools(store, {.allow_admin = true}).find(name)) {
    throw Fatal(read_only ? fmt::format("tool '{}' writes and is not offered under --read-only", name)
                          : fmt::format("tool '{}' is offered only with --allow-admin", name));
  }
  std::vector<std::string> names;
  for (const auto& tool : registry.tools()) {
    names.push_back(tool.name);
  }
  const auto matches = store::close_matches(name, names);
  throw Fatal(matches.empty() ? fmt::format("unknown tool '{}' (see dbmcp tools)", name)
                              : fmt::format("unknown tool '{}'; did you mean '{}'?", name, matches.front()));
}

// A progress bar on stderr, redrawn in place, for long calls run from a terminal.
void show_progress_on_terminal(CallContext& ctx)
{
  if (::isatty(STDERR_FILENO) == 0) {
    return;
  }
  ctx.set_progress_sink([](double done, std::optional<double> total, const std::string& message) {
    constexpr int k_width = 30;
    const double fraction = total && *total > 0 ? std::min(done / *total, 1.0) : 0.0;
    const int filled = static_cast<int>(fraction * k_width);
    std::cerr << fmt::format("\r[{:#<{}}{:<{}}] {:3.0f}% {}\x1b[K", "", filled, "", k_width - filled, fraction * 100,
                             message)
              << (fraction >= 1.0 ? "\n" : "") << std::flush;
  });
}

int call(const GlobalFlags& flags, const CallFlags& call_flags)
{
  const Json arguments = parse_arguments(call_flags.arguments);
  const auto options = resolve_store_options(flags.connection);
  auto store = open_store(options, resolve_policy(flags.connection));
  const auto registry = with_audit_trail(flags, database_tools(flags, options, *store));
  const tools::Tool& tool = find_tool(registry, *store, call_flags.tool, options.read_only);
  CallContext ctx;
  ctx.set_client(Json{{"name", "dbmcp call"}, {"version", DBMCP_VERSION}});
  show_progress_on_terminal(ctx);
  const auto result = registry.call(tool, arguments, ctx);
  std::cout << result.structured.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  if (result.is_error) {
    std::cerr << "dbmcp: " << call_flags.tool << ": " << result.text << '\n';
    return 1;
  }
  return 0;
}

} // namespace

void setup_call(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto call_flags = std::make_shared<CallFlags>();
  auto* command = app.add_subcommand("call", "Run one tool and print its structured result as JSON\n"
                                             "(exit 0 ok, 1 tool error, 2 usage)");
  command->add_option("tool", call_flags->tool, "Tool name (see dbmcp tools)")->required();
  command->add_option("arguments", call_flags->arguments, "Tool arguments as a JSON object, or - to read stdin")
      ->option_text("JSON|-");
  command->callback([&flags, &exit_code, call_flags] { exit_code = call(flags, *call_flags); });
}

} // namespace dbmcp::cli
