// Issue 13 through the built binary: the server starts before it connects and
// reports an unreachable database on the call that needs it; SQLite paths never
// surprise (no file made from a typo, a non-database refused untouched, ~
// expanded, journal mode kept); logs at each level; store errors in subcommands
// are one line and exit 1; `config` shows every setting once.
#include "support/mcp_client.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace dbmcp;
using namespace dbmcp::test;
using namespace std::chrono_literals;

namespace {

std::string read_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Byte 18 of a SQLite header: 1 for a rollback journal, 2 for WAL.
int journal_version(const std::string &path) {
  const std::string header = read_bytes(path);
  REQUIRE(header.size() >= 100);
  return header[18];
}

// Every setting of `dbmcp config --json`, by name; a name seen twice fails.
std::map<std::string, Json> settings_of(const std::string &out) {
  std::map<std::string, Json> settings;
  const Json config = Json::parse(out);
  for (const auto &setting : config["settings"]) {
    const auto name = setting["name"].get<std::string>();
    CHECK_MESSAGE(settings.count(name) == 0, "listed twice: " << name);
    settings[name] = setting;
  }
  return settings;
}

Json list_tables_error(McpClient &client) {
  return client.call_error("list_tables", Json::object());
}

} // namespace

TEST_SUITE("e2e: start first, connect later") {
  TEST_CASE("an unreachable PostgreSQL: handshake, tools/list and ping at "
            "once; the call says why, and retries") {
    const auto started = std::chrono::steady_clock::now();
    McpClient client(
        {"--db",
         "postgresql://app:Secret-pw-1@127.0.0.1:1/appdb?connect_timeout=2"});
    CHECK(client.request("ping", Json::object()).contains("result"));
    const Json tools = client.request("tools/list", Json::object());
    REQUIRE(tools.contains("result"));
    CHECK(tools["result"]["tools"].size() > 5);
    CHECK(std::chrono::steady_clock::now() - started < 1500ms);
    for (int attempt = 0; attempt < 2; ++attempt) {
      const Json error = list_tables_error(client);
      CHECK(error["code"] == "unavailable");
      const std::string message = error["message"];
      CHECK(message.find("127.0.0.1") != std::string::npos);
      CHECK(message.find("appdb") != std::string::npos);
      CHECK(message.find("app:****@") != std::string::npos);
      CHECK(message.find("refused") != std::string::npos);
      CHECK(message.find("Secret-pw-1") == std::string::npos);
    }
    // resources/list needs the catalog: a JSON-RPC error, and the server goes
    // on.
    CHECK(client.request("resources/list", Json::object()).contains("error"));
    CHECK(client.request("ping", Json::object()).contains("result"));
    client.process().close_stdin();
    CHECK(client.process().wait() == 0);
    CHECK(client.process().stderr_text().find("Secret-pw-1") ==
          std::string::npos);
  }

  TEST_CASE("a missing SQLite file: the server starts; the call names the "
            "file; once it exists the next call works") {
    const std::string dir = temp_dir();
    const std::string db = dir + "/later.db";
    McpClient client({"--db", db});
    const Json error = list_tables_error(client);
    CHECK(error["code"] == "unavailable");
    CHECK(error["message"].get<std::string>().find(db + " does not exist") !=
          std::string::npos);
    CHECK(error["message"].get<std::string>().find("--create") !=
          std::string::npos);
    REQUIRE(run_dbmcp({"--db", db, "init", "--demo"}).exit_code == 0);
    CHECK(client.call_ok("count_records", {{"table", "users"}})["count"] == 5);
  }

  TEST_CASE("configuration errors still stop start-up with exit 2") {
    CHECK(run_dbmcp({"--db", "oracle://x/y"}, "").exit_code == 2);
    CHECK(run_dbmcp({"--db", "sqlite:"}, "").exit_code == 2);
    CHECK(run_dbmcp({"--pool-min", "5", "--pool-max", "2", "--db",
                     temp_dir() + "/x.db"},
                    "")
              .exit_code == 2);
    CHECK(run_dbmcp({"--no-such-flag"}, "").exit_code == 2);
    for (const char* bad : {"0", "1023", "abc", "-1", "1099511627777"}) {
      const auto refused = run_dbmcp({"--max-queued-bytes", bad, "config"}, "");
      CAPTURE(bad);
      CHECK(refused.exit_code == 2);
      CHECK(refused.err.find("--max-queued-bytes") != std::string::npos);
    }
  }
}

TEST_SUITE("e2e: --version and DB_BACKEND") {
  TEST_CASE("--version lists the backends and checks the modules beside the binary") {
    const auto result = run_dbmcp({"--version"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.starts_with("dbmcp "));
    CHECK(result.out.find("\nbackends:\n  sqlite") != std::string::npos);
    CHECK(result.out.find("  mysql ") != std::string::npos);
    CHECK(result.out.find("\nmodules found:\n") != std::string::npos);
    if (result.out.find("module dbmcp-postgres.so") != std::string::npos) {
      CHECK(result.out.find("dbmcp-postgres.so: ok\n") != std::string::npos);
    }
  }
  TEST_CASE("DB_BACKEND: an unknown name and a mysql URL without its engine are exit 2 with the reason") {
    const auto unknown = run_dbmcp({"config"}, "", {{"DB_BACKEND", "oracle"}});
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("DB_BACKEND (from env) must be a backend name: one of") != std::string::npos);
    const auto mysql = run_dbmcp({"health"}, "", {{"DB_BACKEND", "mysql"}, {"DB_HOST", "127.0.0.1"}});
    if (mysql.err.find("not built into this dbmcp") != std::string::npos) {
      CHECK(mysql.exit_code == 2);
    }
  }
}

TEST_SUITE("e2e: SQLite paths that cannot surprise") {
  TEST_CASE("a typo path creates nothing; --create creates it in WAL mode") {
    const std::string dir = temp_dir();
    const auto typo = run_dbmcp({"--db", dir + "/dmeo.db", "health"});
    CHECK(typo.exit_code == 1);
    CHECK(typo.out.find(dir + "/dmeo.db does not exist") != std::string::npos);
    CHECK(std::filesystem::is_empty(dir));
    const auto call =
        run_dbmcp({"--db", dir + "/dmeo.db", "call", "list_tables"});
    CHECK(call.exit_code == 1);
    CHECK(call.err.find("does not exist") != std::string::npos);
    CHECK(std::filesystem::is_empty(dir));

    const auto created =
        run_dbmcp({"--db", dir + "/new.db", "--create", "health"});
    CHECK_MESSAGE(created.exit_code == 0, created.out << created.err);
    CHECK(journal_version(dir + "/new.db") == 2);
  }

  TEST_CASE("a relative typo and a missing directory are named with their "
            "absolute paths") {
    const std::string dir = temp_dir();
    const auto relative = run({"/bin/sh", "-c",
                               "cd '" + dir + "' && '" + binary() +
                                   "' --db dmeo.db call list_tables"});
    CHECK(relative.exit_code == 1);
    CHECK(relative.err.find(dir + "/dmeo.db does not exist") !=
          std::string::npos);
    const auto missing_dir = run_dbmcp(
        {"--db", dir + "/no/such/dir/x.db", "--create", "call", "list_tables"});
    CHECK(missing_dir.exit_code == 1);
    CHECK(missing_dir.err.find("the directory " + dir +
                               "/no/such/dir does not exist") !=
          std::string::npos);
  }

  TEST_CASE("a file that is not SQLite is refused and left untouched") {
    const std::string dir = temp_dir();
    const std::string text = dir + "/README.md";
    const std::string content =
        "# Notes\n\nNot a database, but longer than sixteen bytes.\n";
    std::ofstream(text) << content;
    for (const auto &args : std::vector<std::vector<std::string>>{
             {"--db", text, "call", "list_tables"},
             {"--db", text, "--create", "init", "--demo"},
             {"--db", text, "--wal", "health"}}) {
      const auto refused = run_dbmcp(args);
      CHECK(refused.exit_code == 1);
      CHECK((refused.err + refused.out)
                .find(text + " is not a SQLite database") != std::string::npos);
    }
    CHECK(read_bytes(text) == content);
    CHECK(!std::filesystem::exists(text + "-wal"));
    CHECK(!std::filesystem::exists(text + "-journal"));
  }

  TEST_CASE("~/ is expanded in --db and DATABASE_URL") {
    const std::string home = temp_dir();
    const auto flag =
        run_dbmcp({"--db", "~/flag.db", "--create", "init", "--demo"}, "",
                  {{"HOME", home}});
    CHECK_MESSAGE(flag.exit_code == 0, flag.err);
    CHECK(std::filesystem::exists(home + "/flag.db"));
    const auto env =
        run_dbmcp({"call", "count_records", R"({"table":"users"})"}, "",
                  {{"HOME", home}, {"DATABASE_URL", "~/flag.db"}});
    CHECK_MESSAGE(env.exit_code == 0, env.err);
    const auto url = run_dbmcp({"--db", "sqlite:~/flag.db", "call",
                                "count_records", R"({"table":"users"})"},
                               "", {{"HOME", home}});
    CHECK_MESSAGE(url.exit_code == 0, url.err);
  }

  TEST_CASE("an existing file keeps its journal mode unless --wal") {
    const std::string dir = temp_dir();
    const std::string db = dir + "/kept.db";
    std::ofstream(db).flush(); // an empty file: SQLite takes it as a new
                               // database, dbmcp did not create it
    REQUIRE(run_dbmcp({"--db", db, "init", "--demo"}).exit_code == 0);
    CHECK(journal_version(db) == 1);
    REQUIRE(
        run_dbmcp(
            {"--db", db, "call", "insert_record",
             R"({"table":"users","record":{"name":"Kim","email":"kim@example.com"}})"})
            .exit_code == 0);
    CHECK(journal_version(db) == 1);
    CHECK(!std::filesystem::exists(db + "-wal"));
    REQUIRE(run_dbmcp({"--db", db, "--wal", "health"}).exit_code == 0);
    CHECK(journal_version(db) == 2);
  }

  TEST_CASE("init --demo --db FILE: the printed hint names --db FILE") {
    const std::string db = temp_dir() + "/hint.db";
    const auto init = run_dbmcp({"--db", db, "init", "--demo"});
    REQUIRE(init.exit_code == 0);
    CHECK(init.err.find("dbmcp --db " + db + " call list_records") !=
          std::string::npos);
  }
}

TEST_SUITE("e2e: logs and errors") {
  TEST_CASE("--log-level applies to subcommands: info says what was opened; "
            "the default says nothing") {
    const std::string db = temp_dir() + "/log.db";
    REQUIRE(run_dbmcp({"--db", db, "init", "--demo"}).exit_code == 0);
    const auto quiet = run_dbmcp({"--db", db, "health"});
    CHECK(quiet.err.empty());
    const auto info = run_dbmcp({"--db", db, "--log-level", "info", "health"});
    CHECK(info.err.find("dbmcp: info: connected to sqlite") !=
          std::string::npos);
    const auto after = run_dbmcp({"--db", db, "health", "--log-level", "info"});
    CHECK(after.err.find("dbmcp: info: connected to sqlite") !=
          std::string::npos);
  }

  TEST_CASE("serving: one start-up line at info, one line per request at "
            "debug, nothing by default") {
    const std::string db = temp_dir() + "/serve.db";
    REQUIRE(run_dbmcp({"--db", db, "init", "--demo"}).exit_code == 0);
    const auto session = [&](std::vector<std::string> args) {
      args.insert(args.begin(), {"--db", db});
      McpClient client(args);
      client.call_ok("list_records", {{"table", "users"}, {"limit", 2}});
      client.call_error("get_record", {{"table", "users"}, {"id", 999}});
      client.process().close_stdin();
      REQUIRE(client.process().wait() == 0);
      return client.process().stderr_text();
    };
    CHECK(session({}).empty());

    const std::string info = session(
        {"--log-level", "info", "--read-only", "--tables", "users,posts"});
    CHECK(info.find("dbmcp: info: dbmcp ") != std::string::npos);
    CHECK(info.find("backend sqlite, database " + db +
                    ", read-only, admin tools off, tables users,posts") !=
          std::string::npos);
    CHECK(info.find("debug") == std::string::npos);

    const std::string debug = session({"--log-level", "debug"});
    CHECK(debug.find("dbmcp: debug: initialize: ") != std::string::npos);
    CHECK(debug.find("dbmcp: debug: tools/call list_records: ") !=
          std::string::npos);
    CHECK(debug.find(", 2 rows, ") != std::string::npos);
    CHECK(debug.find("tools/call get_record: ") != std::string::npos);
    CHECK(debug.find("tool error not_found") != std::string::npos);
  }

  TEST_CASE("on a terminal with nothing piped in, one line says that it serves "
            "MCP on stdin; piped, nothing") {
    const std::string db = temp_dir() + "/tty.db";
    REQUIRE(run_dbmcp({"--db", db, "init", "--demo"}).exit_code == 0);
    // script(1) (bsdutils, essential on Debian) gives the server a terminal as
    // stdin.
    const auto tty = run({"/usr/bin/env", "script", "-qec",
                          "'" + binary() + "' --db '" + db + "'", "/dev/null"});
    CHECK(tty.out.find("dbmcp: serving MCP") != std::string::npos);
    CHECK(run_dbmcp({"--db", db}).err.empty());
  }

  TEST_CASE("a store error in a subcommand (a damaged file) is one line and exit 1, never an abort")
  {
    const std::string dir = temp_dir();
    const std::string db = dir + "/damaged.db";
    REQUIRE(run({"/usr/bin/env", "sqlite3", db, "CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);"}).exit_code
            == 0);
    {
      // Keep the 100-byte header (so the file is still taken for SQLite), garble the schema page.
      std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
      file.seekp(100);
      const std::string garbage(400, '\xff');
      file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    for (const auto& command : std::vector<std::vector<std::string>>{
             {"diagnostics"}, {"diagnostics", "--json"}, {"health"}, {"call", "list_tables"}}) {
      std::vector<std::string> args = {"--db", db};
      args.insert(args.end(), command.begin(), command.end());
      const auto result = run_dbmcp(args);
      CAPTURE(command.front());
      CHECK(result.exit_code == 1);
      if (command.front() != "health") {
        CHECK(result.err.rfind("dbmcp: ", 0) == 0);
        CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
      }
    }
  }

  TEST_CASE("a broken view (over a dropped table) is left out with a warning; the rest of the database serves")
  {
    const std::string dir = temp_dir();
    const std::string db = dir + "/broken.db";
    REQUIRE(run({"/usr/bin/env", "sqlite3", db,
                 "CREATE TABLE t (a INTEGER); CREATE VIEW v AS SELECT * FROM t; DROP TABLE t; "
                 "CREATE TABLE kept (id INTEGER PRIMARY KEY);"})
                .exit_code
            == 0);
    const auto result = run_dbmcp({"--db", db, "call", "list_tables"});
    CHECK(result.exit_code == 0);
    CHECK(result.out.find("\"kept\"") != std::string::npos);
    CHECK(result.out.find("\"v\"") == std::string::npos);
    CHECK(result.err.find("the view v is left out") != std::string::npos);
    CHECK(run_dbmcp({"--db", db, "diagnostics", "--json"}).exit_code == 0);
  }

  TEST_CASE("--read-only opens a WAL file in a directory it cannot write: immutable, with a warning")
  {
    const std::string dir = temp_dir();
    const std::string sealed = dir + "/sealed";
    std::filesystem::create_directory(sealed);
    const std::string db = sealed + "/wal.db";
    REQUIRE(run({"/usr/bin/env", "sqlite3", db,
                 "PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); "
                 "INSERT INTO t (name) VALUES ('a'), ('b');"})
                .exit_code
            == 0);
    REQUIRE_FALSE(std::filesystem::exists(db + "-shm"));
    using std::filesystem::perms;
    std::filesystem::permissions(dir, perms::owner_all | perms::group_read | perms::group_exec | perms::others_read
                                          | perms::others_exec);
    std::filesystem::permissions(db, perms::owner_read | perms::owner_write | perms::group_read | perms::others_read);
    std::filesystem::permissions(sealed, perms::owner_read | perms::owner_exec | perms::group_read | perms::group_exec
                                             | perms::others_read | perms::others_exec);
    // Root ignores directory permissions: run the binary as nobody, who cannot write `sealed`.
    const std::vector<std::string> as_user =
        geteuid() == 0 ? std::vector<std::string>{"/usr/bin/env", "runuser", "-u", "nobody", "--", binary()}
                       : std::vector<std::string>{binary()};
    const auto dbmcp = [&](std::vector<std::string> args) {
      std::vector<std::string> argv = as_user;
      argv.insert(argv.end(), args.begin(), args.end());
      return run(argv);
    };
    const auto result = dbmcp({"--db", db, "--read-only", "call", "count_records", R"({"table":"t"})"});
    CHECK_MESSAGE(result.exit_code == 0, result.err);
    CHECK(result.out.find("\"count\": 2") != std::string::npos);
    CHECK(result.err.find("opened immutable") != std::string::npos);
    CHECK(result.err.find("will not be seen") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(db + "-shm"));
    // Without --read-only the file cannot be written there: a clear error, as before.
    const auto writable = dbmcp({"--db", db, "call", "count_records", R"({"table":"t"})"});
    CHECK(writable.exit_code == 1);
    CHECK(writable.err.find(db) != std::string::npos);
    std::filesystem::permissions(sealed, perms::owner_all);
  }
}

TEST_SUITE("e2e: dbmcp config") {
  TEST_CASE(
      "every effective setting once, with its source, defaults included") {
    const std::string dir = temp_dir();
    std::ofstream(dir + "/empty.env").flush();
    const auto result = run_dbmcp({"--env-file", dir + "/empty.env",
                                   "--secrets-dir", dir, "--db", dir + "/c.db",
                                   "--max-rows", "50", "--max-queued-bytes", "1048576", "config", "--json"},
                                  "", {{"DB_POOL_TIMEOUT", "7"}});
    REQUIRE_MESSAGE(result.exit_code == 0, result.err);
    const auto settings = settings_of(result.out);
    CHECK(settings.at("DATABASE_URL")["value"] == dir + "/c.db");
    CHECK(settings.at("DATABASE_URL")["source"] == "flag");
    CHECK(settings.count("url") == 0);
    CHECK(settings.at("DB_MAX_POOL_SIZE")["value"] == "10");
    CHECK(settings.at("DB_MAX_POOL_SIZE")["source"] == "default");
    CHECK(settings.at("DB_POOL_TIMEOUT")["source"] == "env");
    CHECK(settings.at("--max-rows")["value"] == "50");
    CHECK(settings.at("--max-rows")["source"] == "flag");
    CHECK(settings.at("--workers")["source"] == "default");
    CHECK(settings.at("--max-queued-bytes")["value"] == "1048576");
    CHECK(settings.at("--max-queued-bytes")["source"] == "flag");
    CHECK(settings.at("--max-line-bytes")["value"] == "67108864");
    CHECK(settings.at("--tables")["value"] == "(all)");
    CHECK(settings.at("--allow-admin")["value"] == "false");
    CHECK(settings.at("--read-only")["source"] == "default");

    const auto fallback =
        run_dbmcp({"--env-file", dir + "/empty.env", "--secrets-dir", dir,
                   "config", "--json"},
                  "", {{"XDG_DATA_HOME", dir}, {"DATABASE_URL", ""}});
    REQUIRE(fallback.exit_code == 0);
    CHECK(settings_of(fallback.out).at("DATABASE_URL")["source"] == "default");
  }
}
