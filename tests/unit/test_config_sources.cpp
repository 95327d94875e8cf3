// .env parsing and the secrets directory.
#include "config/sources.hpp"
#include "support/process.hpp"
#include "util/fatal.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace dbmcp;
using namespace dbmcp::config;

TEST_SUITE("config::sources")
{
  TEST_CASE("parse_env_file: comments, export, quotes and escapes")
  {
    const Values values = parse_env_file("# a comment\n"
                                         "\n"
                                         "DB_HOST=db.internal\n"
                                         "export DB_USER = app\n"
                                         "DB_PASSWORD='s3cr#t \"x\"'\n"
                                         "DB_NAME=\"line\\none\"\n"
                                         "DB_PORT=5433 # the replica\n"
                                         "DB_SSL_MODE=\n",
                                         ".env");
    CHECK(values.at("DB_HOST") == "db.internal");
    CHECK(values.at("DB_USER") == "app");
    CHECK(values.at("DB_PASSWORD") == "s3cr#t \"x\"");
    CHECK(values.at("DB_NAME") == "line\none");
    CHECK(values.at("DB_PORT") == "5433");
    CHECK(values.at("DB_SSL_MODE").empty());
  }

  TEST_CASE("parse_env_file: a malformed line is an error naming the file and line")
  {
    CHECK_THROWS_WITH_AS(parse_env_file("A=1\nnot a setting\n", "/x/.env"), "/x/.env:2: expected KEY=value", Fatal);
    CHECK_THROWS_WITH_AS(parse_env_file("A='open\n", "e"), "e:1: expected KEY=value", Fatal);
    CHECK_THROWS_AS(parse_env_file("1A=x\n", "e"), Fatal);
  }

  TEST_CASE("read_secrets_dir: one setting per file, upper-cased, trailing newline dropped")
  {
    const std::string dir = test::temp_dir();
    std::ofstream(dir + "/db_password") << "hunter2\n";
    std::ofstream(dir + "/DB_USER") << "app";
    const Values values = read_secrets_dir(dir);
    CHECK(values.size() == 2);
    CHECK(values.at("DB_PASSWORD") == "hunter2");
    CHECK(values.at("DB_USER") == "app");
    CHECK(read_secrets_dir(dir + "/missing").empty());
  }

  TEST_CASE("read_env_file: a missing file is an error")
  {
    CHECK_THROWS_AS(read_env_file("/nonexistent/.env"), Fatal);
  }
}
