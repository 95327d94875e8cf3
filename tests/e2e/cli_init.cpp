// `dbmcp init` and the embedded default database, through the built binary.
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

std::string write_file(const std::string& path, const std::string& text)
{
  std::ofstream(path) << text;
  return path;
}

} // namespace

TEST_SUITE("e2e: dbmcp init")
{
  TEST_CASE("init --demo: creates the example schema once, refuses a second time")
  {
    const std::string db = temp_dir() + "/demo.db";
    const auto first = run_dbmcp({"--db", db, "init", "--demo"});
    CHECK_MESSAGE(first.exit_code == 0, first.err);
    CHECK(first.out.empty()); // stdout is for results only
    CHECK(first.err.find("users") != std::string::npos);
    const auto second = run_dbmcp({"--db", db, "init", "--demo"});
    CHECK(second.exit_code == 1);
    CHECK(second.err.find("already exist") != std::string::npos);
    const auto count = run_dbmcp({"--db", db, "call", "count_records", R"({"table":"users"})"});
    CHECK(Json::parse(count.out)["count"] == 5);
  }

  TEST_CASE("init --schema: a script in one transaction; a failing script changes nothing")
  {
    const std::string dir = temp_dir();
    const std::string db = dir + "/app.db";
    const std::string schema = write_file(dir + "/schema.sql", R"sql(
      CREATE TABLE enrolments (student INTEGER NOT NULL, course TEXT NOT NULL, grade REAL,
                               PRIMARY KEY (student, course));
      INSERT INTO enrolments VALUES (1, 'maths', 3.5), (1, 'physics', NULL), (2, 'maths', 2.0);
    )sql");
    const auto ok = run_dbmcp({"--db", db, "init", "--schema", schema});
    CHECK_MESSAGE(ok.exit_code == 0, ok.err);
    const auto row = run_dbmcp({"--db", db, "call", "get_record",
                                R"({"table":"enrolments","key":{"student":1,"course":"maths"}})"});
    CHECK_MESSAGE(row.exit_code == 0, row.err);
    CHECK(Json::parse(row.out)["record"]["grade"] == 3.5);
    const auto composite = run_dbmcp({"--db", db, "call", "get_record", R"({"table":"enrolments","id":1})"});
    CHECK(composite.exit_code == 1);
    CHECK(composite.err.find("composite primary key") != std::string::npos);

    const std::string broken = write_file(dir + "/broken.sql", "CREATE TABLE half (id INTEGER PRIMARY KEY);\n"
                                                               "CREATE TABLE oops (;\n");
    const auto failed = run_dbmcp({"--db", db, "init", "--schema", broken});
    CHECK(failed.exit_code == 1);
    CHECK(failed.err.find("nothing changed") != std::string::npos);
    const auto tables = run_dbmcp({"--db", db, "call", "list_tables"});
    CHECK(tables.out.find("\"half\"") == std::string::npos);

    CHECK(run_dbmcp({"--db", db, "init"}).exit_code == 2);
    CHECK(run_dbmcp({"--db", db, "init", "--schema", dir + "/missing.sql"}).exit_code == 2);
  }

  TEST_CASE("no --db: the embedded default under XDG_DATA_HOME, created on first use")
  {
    const std::string data = temp_dir();
    const auto init = run_dbmcp({"init", "--demo"}, "", {{"XDG_DATA_HOME", data}, {"DATABASE_URL", ""}});
    CHECK_MESSAGE(init.exit_code == 0, init.err);
    CHECK(std::filesystem::exists(data + "/dbmcp/dbmcp.db"));
    const auto count = run_dbmcp({"call", "count_records", R"({"table":"posts"})"}, "",
                                 {{"XDG_DATA_HOME", data}, {"DATABASE_URL", ""}});
    CHECK(Json::parse(count.out)["count"] == 6);
  }
}
