#include "cli/app.hpp"

#include "cli/commands.hpp"
#include "cli/version.hpp"
#include "tools/answer_budget.hpp"
#include "util/fatal.hpp"
#include "util/log.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

namespace dbmcp::cli {
namespace {

std::string first_line(const std::string& text)
{
  return text.substr(0, text.find('\n'));
}

void add_global_flags(CLI::App& app, GlobalFlags& flags)
{
  add_connection_flags(app, flags.connection);
  // Applied as soon as the option is parsed, before any subcommand runs.
  app.add_option("--log-level", flags.log_level, "stderr log level: debug, info, notice, warning, error")
      ->check(CLI::IsMember({"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"}))
      ->each([](const std::string& level) { log::set_stderr_level(*parse_log_level(level)); });
  app.add_option("--max-line-bytes", flags.max_line_bytes, "Longest accepted input line (default 64 MiB)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 32));
  app.add_option("--max-queued-bytes", flags.max_queued_bytes,
                 "Bytes of input read but not yet served before reading pauses (default 64 MiB)")
      ->check(CLI::Range(size_t{1024}, size_t{1} << 40));
  app.add_option("--workers", flags.workers, "Concurrent tool calls (default: the connection pool size)");
  app.add_option("--max-rows", flags.max_rows, "Largest page a read returns (default 100)")
      ->check(CLI::Range(int64_t{1}, int64_t{1000000}));
  app.add_option("--max-answer-bytes", flags.max_answer_bytes,
                 "Byte budget of the rows one answer carries; more rows page on (default 100000)")
      ->check(CLI::Range(size_t{1024}, tools::k_max_answer_bytes));
  app.add_option("--max-affected-rows", flags.max_affected_rows,
                 "update_records/delete_records matching more rows fail, rolled back (default 1000; 0: no limit)")
      ->envname("DB_MAX_AFFECTED_ROWS")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 62));
  app.add_flag("--allow-admin", flags.allow_admin, "Offer the run_maintenance tool (vacuum, analyze, reindex)");
}

} // namespace

int run(int argc, char** argv)
{
  CLI::App app{"dbmcp: a Model Context Protocol server over stdio for your database.\n"
               "With no subcommand it serves MCP on stdin/stdout.",
               "dbmcp"};
  app.set_version_flag("-V,--version", [] { return version_text(); },
                       "Print the version, the backends built in and the modules found, then exit");
  app.fallthrough();
  app.require_subcommand(0, 1);

  GlobalFlags flags;
  add_global_flags(app, flags);
  int exit_code = 0;
  setup_serve(app, flags, exit_code);
  setup_call(app, flags, exit_code);
  setup_tools(app, flags, exit_code);
  setup_init(app, flags, exit_code);
  setup_health(app, flags, exit_code);
  setup_diagnostics(app, flags, exit_code);
  setup_maintenance(app, flags, exit_code);
  setup_config(app, flags, exit_code);
  setup_audit(app, flags, exit_code);
  setup_policy(app, flags, exit_code);

  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      exit_code = serve(flags);
    }
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "dbmcp: " << e.what() << " (see dbmcp --help)\n";
    return 2;
  } catch (const Fatal& e) {
    std::cerr << "dbmcp: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    // A store error (a broken view, a lost connection) or any other failure a subcommand did not
    // turn into a Fatal: one line and exit 1, never an abort.
    std::cerr << "dbmcp: " << first_line(e.what()) << "\n";
    return 1;
  }
  return exit_code;
}

} // namespace dbmcp::cli
