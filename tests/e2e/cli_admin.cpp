// The admin subcommands and configuration precedence through the built binary: health,
// diagnostics, maintenance, config; and a password that never shows up anywhere.
#include "support/process.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

// An environment with no stray .env or secrets: every test names its own sources.
struct Sandbox
{
  std::string dir = temp_dir();
  std::string db = dir + "/app.db";
  std::string secrets = dir + "/secrets";
  std::string env_file = dir + "/app.env";

  Sandbox()
  {
    std::filesystem::create_directory(secrets);
    std::ofstream(env_file) << "";
  }
  std::vector<std::string> args(std::vector<std::string> rest) const
  {
    std::vector<std::string> all = {"--env-file", env_file, "--secrets-dir", secrets};
    all.insert(all.end(), rest.begin(), rest.end());
    return all;
  }
};

std::string source_of(const Json& config, const std::string& name)
{
  for (const auto& setting : config["settings"]) {
    if (setting["name"] == name) {
      return setting["source"].get<std::string>();
    }
  }
  return "absent";
}

} // namespace

TEST_SUITE("e2e: admin subcommands")
{
  TEST_CASE("health: exit 0 and a JSON status when the database answers, 1 when it does not")
  {
    Sandbox sandbox;
    const auto healthy = run_dbmcp(sandbox.args({"--db", sandbox.db, "--create", "health"}));
    CHECK(healthy.exit_code == 0);
    const Json status = Json::parse(healthy.out);
    CHECK(status["status"] == "healthy");
    CHECK(status["backend"] == "sqlite");

    const auto unhealthy =
        run_dbmcp(sandbox.args({"--db", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", "health"}));
    CHECK(unhealthy.exit_code == 1);
    const Json down = Json::parse(unhealthy.out);
    CHECK(down["status"] == "unhealthy");
    // The PostgreSQL module loaded and tried the server: the error is the connection's.
    CHECK(down["error"].get<std::string>().find("127.0.0.1") != std::string::npos);

    const auto missing = run_dbmcp(sandbox.args({"--db", sandbox.dir + "/none/x.db", "--read-only", "health"}));
    CHECK(missing.exit_code == 1);
  }

  TEST_CASE("a binary without its PostgreSQL module says so, and SQLite still works")
  {
    Sandbox sandbox;
    const std::string alone = sandbox.dir + "/bin/dbmcp";
    std::filesystem::create_directories(sandbox.dir + "/bin");
    std::filesystem::copy_file(binary(), alone);
    std::filesystem::permissions(alone, std::filesystem::perms::owner_exec, std::filesystem::perm_options::add);
    Process postgres({alone, "--db", "postgresql://127.0.0.1:1/none", "health", "--json"}, {{"DBMCP_MODULE_DIR", ""}});
    std::string report;
    for (const auto& line : postgres.read_remaining_lines()) {
      report += line;
    }
    CHECK(postgres.wait() == 1);
    const std::string error = Json::parse(report)["error"];
    CHECK(error.find("module is not installed (looked for " + sandbox.dir + "/bin/dbmcp-postgres.so") != std::string::npos);
    Process sqlite({alone, "--db", sandbox.db, "--create", "health"});
    CHECK(sqlite.wait() == 0);
  }

  TEST_CASE("diagnostics and maintenance on SQLite")
  {
    Sandbox sandbox;
    REQUIRE(run_dbmcp(sandbox.args({"--db", sandbox.db, "init", "--demo"})).exit_code == 0);
    const auto report = run_dbmcp(sandbox.args({"--db", sandbox.db, "diagnostics", "--json"}));
    CHECK(report.exit_code == 0);
    CHECK(Json::parse(report.out).dump().find("users") != std::string::npos);

    for (const std::string operation : {"vacuum", "analyze", "reindex"}) {
      const auto done = run_dbmcp(sandbox.args({"--db", sandbox.db, "maintenance", operation}));
      CHECK_MESSAGE(done.exit_code == 0, operation << ": " << done.err);
    }
    const auto one = run_dbmcp(sandbox.args({"--db", sandbox.db, "maintenance", "analyze", "--table", "users"}));
    CHECK(one.exit_code == 0);
    const auto typo = run_dbmcp(sandbox.args({"--db", sandbox.db, "maintenance", "analyze", "--table", "usres"}));
    CHECK(typo.exit_code == 2);
    CHECK(typo.err.find("did you mean 'users'?") != std::string::npos);
    CHECK(run_dbmcp(sandbox.args({"--db", sandbox.db, "maintenance", "defrag"})).exit_code == 2);
    CHECK(run_dbmcp(sandbox.args({"--db", sandbox.db, "--read-only", "maintenance", "vacuum"})).exit_code == 2);
  }

  TEST_CASE("config: the same setting from flag, env, .env and secrets; the right one wins")
  {
    Sandbox sandbox;
    std::ofstream(sandbox.secrets + "/db_max_pool_size") << "4\n";
    const auto config = [&](std::vector<std::string> flags, std::map<std::string, std::string> env = {}) {
      flags.insert(flags.begin(), {"--db", sandbox.db});
      flags.push_back("config");
      flags.push_back("--json");
      const auto result = run_dbmcp(sandbox.args(flags), "", env);
      REQUIRE_MESSAGE(result.exit_code == 0, result.err);
      return Json::parse(result.out);
    };
    Json resolved = config({});
    CHECK(resolved["effective"]["pool_max"] == 4);
    CHECK(source_of(resolved, "DB_MAX_POOL_SIZE") == "secrets");

    std::ofstream(sandbox.env_file) << "DB_MAX_POOL_SIZE=5\n";
    resolved = config({});
    CHECK(resolved["effective"]["pool_max"] == 5);
    CHECK(source_of(resolved, "DB_MAX_POOL_SIZE") == ".env");

    resolved = config({}, {{"DB_MAX_POOL_SIZE", "6"}});
    CHECK(resolved["effective"]["pool_max"] == 6);
    CHECK(source_of(resolved, "DB_MAX_POOL_SIZE") == "env");

    resolved = config({"--pool-max", "7"}, {{"DB_MAX_POOL_SIZE", "6"}});
    CHECK(resolved["effective"]["pool_max"] == 7);
    CHECK(source_of(resolved, "DB_MAX_POOL_SIZE") == "flag");
    CHECK(source_of(resolved, "DATABASE_URL") == "flag");
  }

  TEST_CASE("invalid configuration: one line on stderr and exit code 2")
  {
    Sandbox sandbox;
    const auto below = run_dbmcp(sandbox.args({"--db", sandbox.db, "--pool-min", "5", "--pool-max", "2", "health"}));
    CHECK(below.exit_code == 2);
    CHECK(below.err == "dbmcp: the maximum pool size (2, from flag) is below the minimum pool size (5, from flag)\n");
    const auto ssl = run_dbmcp(sandbox.args({"--db", "postgresql://h/db", "config"}), "", {{"DB_SSL_MODE", "maybe"}});
    CHECK(ssl.exit_code == 2);
    CHECK(ssl.err.find("DB_SSL_MODE (from env) must be one of") != std::string::npos);
    const auto cert = run_dbmcp(sandbox.args({"--db", "postgresql://h/db", "config"}), "",
                                {{"DB_SSL_CERT", sandbox.dir + "/missing.crt"}});
    CHECK(cert.exit_code == 2);
    CHECK(cert.err.find("cannot read the file") != std::string::npos);
    const auto url = run_dbmcp(sandbox.args({"--db", "postgresql:oops", "health"}));
    CHECK(url.exit_code == 2);
    CHECK(url.err.find("malformed database URL") != std::string::npos);
    const auto scheme = run_dbmcp(sandbox.args({"--db", "oracle://x/y", "health"}));
    CHECK(scheme.exit_code == 2);
    CHECK(scheme.err.find("unknown database URL scheme 'oracle:'") != std::string::npos);
    std::ofstream(sandbox.env_file) << "this is not a setting\n";
    const auto env = run_dbmcp(sandbox.args({"--db", sandbox.db, "config"}));
    CHECK(env.exit_code == 2);
    CHECK(env.err.find("app.env:1: expected KEY=value") != std::string::npos);
  }

  TEST_CASE("the password never appears in any output or log")
  {
    const std::string server = postgres_url();
    Sandbox sandbox;
    const std::string password = "Pw-7f3a9c-never-shown";
    std::ofstream(sandbox.secrets + "/db_password") << password << "\n";
    const std::string inline_url = std::string(server) + "?password=" + password;
    std::vector<Completed> runs;
    for (const std::vector<std::string>& command :
         std::vector<std::vector<std::string>>{{"--db", server, "--log-level", "debug", "config", "--json"},
                                               {"--db", server, "config"},
                                               {"--db", server, "--log-level", "debug", "health"},
                                               {"--db", server, "diagnostics", "--json"},
                                               {"--db", inline_url, "diagnostics"},
                                               {"--db", inline_url, "config"},
                                               {"--db", server, "call", "database_diagnostics"},
                                               {"--db", "postgresql://nobody@127.0.0.1:1/x?connect_timeout=2", "health"},
                                               {"--db", server, "--log-level", "debug", "call", "list_tables"}}) {
      runs.push_back(run_dbmcp(sandbox.args(command)));
    }
    const std::string request = R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"database_diagnostics","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"debug"}}})";
    runs.push_back(run_dbmcp(sandbox.args({"--db", server, "--log-level", "debug"}), request + "\n"));
    CHECK(runs[0].exit_code == 0);
    CHECK(runs[2].exit_code == 0);
    CHECK(runs[3].exit_code == 0);
    CHECK(runs.back().out.find("\"result\"") != std::string::npos);
    for (size_t i = 0; i < runs.size(); ++i) {
      CAPTURE(i);
      CHECK(runs[i].out.find(password) == std::string::npos);
      CHECK(runs[i].err.find(password) == std::string::npos);
    }
  }

  TEST_CASE("config and health never print a password the URL parser cannot place, and create no files")
  {
    Sandbox sandbox;
    const std::string secret = "Pw-never-shown";
    const std::vector<std::string> urls = {
        "postgresql://app:" + secret + "?x@127.0.0.1:1/db?connect_timeout=2",
        "postgresql://app:" + secret + "#x@127.0.0.1:1/db?connect_timeout=2",
        "postgresql://app:" + secret + "/x@127.0.0.1:1/db?connect_timeout=2",
        "postgresql://app:" + secret + "%zz@127.0.0.1:1/db?connect_timeout=2",
        "postgresql://127.0.0.1:1/db?connect_timeout=2&pass%77ord=" + secret,
        "host=127.0.0.1 port=1 password=" + secret,
    };
    const std::string work = sandbox.dir + "/work";
    std::filesystem::create_directory(work);
    for (const auto& url : urls) {
      for (const std::string command : {"config", "health"}) {
        CAPTURE(url);
        CAPTURE(command);
        const auto result = run({"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", work, binary(), "--env-file",
                                 sandbox.env_file, "--secrets-dir", sandbox.secrets, "--db", url, command});
        CHECK((command == std::string("config") || result.exit_code != 0));
        CHECK(result.out.find(secret) == std::string::npos);
        CHECK(result.err.find(secret) == std::string::npos);
        CHECK(result.out.find("\"healthy\"") == std::string::npos);
      }
    }
    CHECK(std::filesystem::is_empty(work));
    const auto dsn = run_dbmcp(sandbox.args({"--db", "host=db password=" + secret, "health"}));
    CHECK(dsn.exit_code == 2);
    CHECK(dsn.err.find("key=value connection string") != std::string::npos);
    CHECK(dsn.err.find("postgresql://") != std::string::npos);
  }
}
