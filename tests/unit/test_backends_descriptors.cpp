// Each backend describes itself in one place: schemes, URL parts, demo schema, built or not.
#include "backends/factory.hpp"
#include "backends/info/backend_info.hpp"
#include "store/errors.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
namespace info = dbmcp::backends::info;

TEST_SUITE("backends: descriptors")
{
  TEST_CASE("every scheme finds its backend; mariadb is the mysql backend")
  {
    REQUIRE(info::find_by_scheme("postgres") != nullptr);
    CHECK(info::find_by_scheme("postgres")->name == "postgresql");
    REQUIRE(info::find_by_scheme("mariadb") != nullptr);
    CHECK(info::find_by_scheme("mariadb")->name == "mysql");
    CHECK(info::find_by_scheme("mariadb")->default_port == 3306);
    CHECK(info::find_by_scheme("mysql")->ssl.mode == "ssl-mode");
    CHECK(info::find_by_scheme("postgresql")->ssl.mode == "sslmode");
    REQUIRE(info::find_by_scheme("unix") != nullptr);
    CHECK(info::find_by_scheme("unix")->name == "redis");
    CHECK(info::find_by_scheme("redis")->key_values);
    CHECK_FALSE(info::find_by_scheme("mysql")->key_values);
    CHECK(info::find_by_scheme("oracle") == nullptr);
    CHECK(info::described_schemes()
          == std::vector<std::string>{"sqlite", "postgresql", "postgres", "mysql", "mariadb", "redis", "rediss", "unix"});
  }

  TEST_CASE("DB_BACKEND names: each backend's name and aliases, no other scheme")
  {
    CHECK(info::backend_names()
          == std::vector<std::string>{"sqlite", "postgresql", "postgres", "mysql", "mariadb", "redis"});
    REQUIRE(info::find_by_backend_name("mariadb") != nullptr);
    CHECK(info::find_by_backend_name("mariadb")->name == "mysql");
    CHECK(info::find_by_backend_name("postgres")->name == "postgresql");
    CHECK(info::find_by_backend_name("redis")->name == "redis");
    CHECK(info::find_by_backend_name("rediss") == nullptr);
    CHECK(info::find_by_backend_name("unix") == nullptr);
    for (const info::BackendInfo* backend : info::all()) {
      for (std::string_view alias : backend->aliases) {
        CAPTURE(alias);
        CHECK(info::find_by_scheme(alias) == backend); // an alias is written as its own scheme
      }
    }
  }

  TEST_CASE("demo schema selection: each backend's own DDL, then the shared rows")
  {
    for (const char* name : {"sqlite", "postgresql", "mysql"}) {
      CAPTURE(name);
      const auto script = info::demo_script(*info::find_by_name(name));
      REQUIRE(script);
      for (const char* table : {"users", "posts", "products", "tasks"}) {
        CHECK(script->find(std::string("CREATE TABLE ") + table + " (") != std::string::npos);
      }
      CHECK(script->find("INSERT INTO products (name, price, category, in_stock)") != std::string::npos);
    }
    CHECK(info::demo_script(*info::find_by_name("sqlite"))->find("USING fts5") != std::string::npos);
    CHECK(info::demo_script(*info::find_by_name("postgresql"))->find("SERIAL PRIMARY KEY") != std::string::npos);
    const std::string mysql = *info::demo_script(*info::find_by_name("mysql"));
    CHECK(mysql.find("price DECIMAL(10,2) NOT NULL") != std::string::npos); // the seed guide's products
    CHECK(mysql.find("INDEX idx_category (category)") != std::string::npos);
    CHECK(mysql.find("FULLTEXT INDEX") != std::string::npos);
    CHECK(mysql.find("ENGINE=InnoDB") != std::string::npos);
  }

  TEST_CASE("the factory opens what is built and names what is not")
  {
    const info::BackendInfo& mysql = *info::find_by_name("mysql");
    if (!mysql.built) {
      try {
        backends::backend_for("mysql://u@h/d");
        FAIL("no error");
      } catch (const store::StoreError& e) {
        CHECK(std::string(e.what()).find("the mysql backend is not built into this dbmcp (built in: ") == 0);
      }
      CHECK_THROWS_WITH(backends::backend_for("mariadb://u@h/d"),
                        doctest::Contains("the mariadb backend is not built into this dbmcp"));
    }
    CHECK_THROWS_WITH(backends::backend_for("oracle://h/d"), doctest::Contains("unknown database URL scheme 'oracle:'"));
    if (info::find_by_name("sqlite")->built) {
      CHECK(backends::backend_for("sqlite::memory:") == "sqlite");
    }
    if (info::find_by_name("postgresql")->built) {
      CHECK(backends::backend_for("postgres://h/d") == "postgresql");
    }
    CHECK(backends::supported_schemes() == info::built_schemes());
  }
}
