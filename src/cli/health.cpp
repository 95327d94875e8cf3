#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "config/config.hpp"
#include "util/fatal.hpp"

#include <chrono>
#include <iostream>

namespace dbmcp::cli {
namespace {

// Opens the database and round-trips to it. Exit 0 and status "healthy", or exit 1 and status
// "unhealthy" with the reason; usable as a container health check.
int health(const GlobalFlags& flags, bool as_json)
{
  const auto options = resolve_store_options(flags.connection);
  Json status = {{"status", "healthy"}, {"database", config::redact_url(options.url)}};
  int code = 0;
  const auto start = std::chrono::steady_clock::now();
  try {
    auto store = open_store(options, resolve_policy(flags.connection)); // counts the visible tables
    CallContext ctx;
    store->ping(ctx);
    status["backend"] = store->backend();
    status["tables"] = store->schema()->tables.size();
  } catch (const Fatal& e) {
    if (e.exit_code() == 2) {
      throw;
    }
    status["status"] = "unhealthy";
    status["error"] = e.what();
    code = 1;
  } catch (const store::StoreError& e) {
    status["status"] = "unhealthy";
    status["error"] = e.what();
    code = 1;
  }
  status["latency_ms"] =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (wants_json(as_json)) {
    print_json(std::cout, status);
  } else {
    print_human(std::cout, status);
  }
  return code;
}

} // namespace

void setup_health(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto as_json = std::make_shared<bool>(false);
  auto* command = app.add_subcommand("health", "Check the database connection (exit 0 healthy, 1 unhealthy)");
  command->add_flag("--json", *as_json, "Print JSON even on a terminal");
  command->callback([&flags, &exit_code, as_json] { exit_code = health(flags, *as_json); });
}

} // namespace dbmcp::cli
