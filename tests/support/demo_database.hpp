#pragma once
// A fresh SQLite database with the demo schema (users, posts, products, tasks), made by the binary
// under test (`dbmcp init --demo`) in the test's temporary folder.
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <string>

namespace dbmcp::test {

// temp_dir()/name with the demo schema; fails the test when init fails.
inline std::string demo_database(const std::string& name = "demo.db")
{
  const std::string path = temp_dir() + "/" + name;
  const auto init = run_dbmcp({"--db", path, "init", "--demo"});
  REQUIRE_MESSAGE(init.exit_code == 0, init.err);
  return path;
}

} // namespace dbmcp::test
