// Merging flags > environment > .env > secrets > defaults, and validation.
#include "config/config.hpp"
#include "config/database_url.hpp"
#include "support/process.hpp"
#include "util/fatal.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace dbmcp;
using namespace dbmcp::config;

namespace {

// Inputs whose .env and secrets live in fresh folders, so the machine's own never leak in.
struct Sources
{
  std::string dir = test::temp_dir();
  Inputs inputs{{}, {}, dir + "/.env", dir + "/secrets"};

  Sources()
  {
    std::ofstream(inputs.env_file) << "";
    std::filesystem::create_directory(inputs.secrets_dir);
  }
  void env_file(const std::string& text) { std::ofstream(inputs.env_file) << text; }
  void secret(const std::string& name, const std::string& value)
  {
    std::ofstream(inputs.secrets_dir + "/" + name) << value << "\n";
  }
};

const Setting& setting(const Resolved& resolved, const std::string& name)
{
  for (const auto& item : resolved.settings) {
    if (item.name == name) {
      return item;
    }
  }
  FAIL("no setting " << name);
  return resolved.settings.front();
}

} // namespace

TEST_SUITE("config::resolve")
{
  TEST_CASE("precedence: flag > env > .env > secrets > default, setting by setting")
  {
    Sources sources;
    sources.secret("db_max_pool_size", "4");
    sources.secret("db_min_pool_size", "1");
    sources.secret("db_pool_timeout", "9");
    sources.env_file("DB_MAX_POOL_SIZE=5\nDB_MIN_POOL_SIZE=2\n");
    sources.inputs.environment = {{"DB_MAX_POOL_SIZE", "6"}};
    sources.inputs.flags = {{"DB_MAX_POOL_SIZE", "7"}};
    Resolved resolved = resolve(sources.inputs);
    CHECK(resolved.options.pool_max == 7);
    CHECK(setting(resolved, "DB_MAX_POOL_SIZE").source == "flag");
    CHECK(resolved.options.pool_min == 2);
    CHECK(setting(resolved, "DB_MIN_POOL_SIZE").source == ".env");
    CHECK(resolved.options.pool_timeout == std::chrono::milliseconds(9000));
    CHECK(setting(resolved, "DB_POOL_TIMEOUT").source == "secrets");

    sources.inputs.flags.clear();
    CHECK(resolve(sources.inputs).options.pool_max == 6);
    sources.inputs.environment.clear();
    CHECK(resolve(sources.inputs).options.pool_max == 5);
    sources.env_file("");
    CHECK(resolve(sources.inputs).options.pool_max == 4);
  }

  TEST_CASE("the URL: DATABASE_URL, else built from DB_* parts with the password as a parameter")
  {
    Sources sources;
    sources.inputs.environment = {{"DB_HOST", "db.internal"}, {"DB_PORT", "5433"}, {"DB_USER", "app"},
                                  {"DB_NAME", "shop"}, {"DB_SSL_MODE", "require"}};
    sources.secret("db_password", "p@ss word");
    Resolved resolved = resolve(sources.inputs);
    CHECK(resolved.options.url == "postgresql://app@db.internal:5433/shop?password=p%40ss%20word&sslmode=require");
    CHECK(setting(resolved, "url").value == "postgresql://app@db.internal:5433/shop?password=****&sslmode=require");
    CHECK(setting(resolved, "DB_PASSWORD").value == "****");
    CHECK(setting(resolved, "DB_PASSWORD").source == "secrets");

    sources.inputs.flags = {{"DATABASE_URL", "postgresql://u:inline@h/db"}};
    resolved = resolve(sources.inputs);
    CHECK(resolved.options.url == "postgresql://u:inline@h/db?sslmode=require");
    CHECK(setting(resolved, "DATABASE_URL").value == "postgresql://u:****@h/db");

    sources.inputs.flags = {{"DATABASE_URL", "/tmp/x.db"}};
    CHECK(resolve(sources.inputs).options.url == "/tmp/x.db");
  }

  TEST_CASE("invalid settings are one clear Fatal with exit code 2")
  {
    Sources sources;
    const auto message = [&](Values flags, Values environment = {}) {
      sources.inputs.flags = std::move(flags);
      sources.inputs.environment = std::move(environment);
      try {
        resolve(sources.inputs);
      } catch (const Fatal& e) {
        CHECK(e.exit_code() == 2);
        return std::string(e.what());
      }
      return std::string("no error");
    };
    CHECK(message({{"DB_MIN_POOL_SIZE", "5"}}, {{"DB_MAX_POOL_SIZE", "3"}}) ==
          "the maximum pool size (3, from env) is below the minimum pool size (5, from flag)");
    CHECK(message({{"DB_MAX_POOL_SIZE", "0"}}) == "the maximum pool size must be at least 1, got 0 from flag");
    // Found by fuzz_url: a NUL in a password (from a .env or secrets file) escaped as a UrlError.
    const std::string nul_password = message({}, {{"DB_HOST", "db"}, {"DB_PASSWORD", std::string("se\0cret", 7)},
                                                  {"DB_SSL_MODE", "require"}});
    CHECK(nul_password.find("the password setting cannot go into the database URL") == 0);
    CHECK(nul_password.find("cret") == std::string::npos);
    CHECK(message({{"DB_MAX_POOL_SIZE", "ten"}}) ==
          "DB_MAX_POOL_SIZE (from flag) must be a whole number from 0 to 10000, got 'ten'");
    CHECK(message({{"DATABASE_URL", "postgresql://h/db"}}, {{"DB_SSL_MODE", "sometimes"}}) ==
          "DB_SSL_MODE (from env) must be one of disable, allow, prefer, require, verify-ca, verify-full; got 'sometimes'");
    CHECK(message({{"DATABASE_URL", "postgresql://h/db"}}, {{"DB_SSL_CA", "/nonexistent/ca.pem"}}) ==
          "DB_SSL_CA (from env): cannot read the file /nonexistent/ca.pem");
    CHECK(message({{"DATABASE_URL", "postgresql:h/db"}}).find("malformed database URL") == 0);
    CHECK(message({{"DB_POOL_TIMEOUT", "-1"}}).find("must be a number of seconds") != std::string::npos);
  }

  TEST_CASE("redact_url hides user-info and parameter passwords only")
  {
    CHECK(redact_url("postgresql://app:secret@db:5432/x?password=y&sslmode=require") ==
          "postgresql://app:****@db:5432/x?password=****&sslmode=require");
    CHECK(redact_url("postgresql://app@db/x") == "postgresql://app@db/x");
    CHECK(redact_url("sqlite:/tmp/a:b.db") == "sqlite:/tmp/a:b.db");
  }
}

TEST_SUITE("config::resolve and the URL parser")
{
  TEST_CASE("a DSN or an unparseable URL stops start-up without showing the password")
  {
    Sources sources;
    for (const std::string url : {"host=db password=hunter2", "postgresql://app:hunter2%g1@db/x",
                                   "postgresql://app:hunter2/x@db/x"}) {
      CAPTURE(url);
      sources.inputs.flags = {{"DATABASE_URL", url}};
      try {
        resolve(sources.inputs);
        FAIL("resolved");
      } catch (const Fatal& e) {
        CHECK(e.exit_code() == 2);
        CHECK(std::string(e.what()).find("hunter2") == std::string::npos);
        CHECK(std::string(e.what()).find("from flag") != std::string::npos);
      }
    }
  }

  TEST_CASE("DB_PASSWORD is not added when a percent-encoded password parameter is present")
  {
    Sources sources;
    sources.inputs.flags = {{"DATABASE_URL", "postgresql://db/x?pass%77ord=a"}};
    sources.inputs.environment = {{"DB_PASSWORD", "b"}};
    const auto resolved = resolve(sources.inputs);
    CHECK(resolved.options.url == "postgresql://db/x?pass%77ord=a");
    CHECK(setting(resolved, "url").value == "postgresql://db/x?pass%77ord=****");
  }
}

TEST_SUITE("config: DB_BACKEND and the backend descriptors")
{
  TEST_CASE("DB_BACKEND chooses the scheme the DB_* parts become, with each backend's password and SSL names")
  {
    Sources sources;
    const auto url_of = [&](Values environment) {
      sources.inputs.environment = std::move(environment);
      return resolve(sources.inputs).options.url;
    };
    SUBCASE("without DB_BACKEND the parts are PostgreSQL, as before")
    {
      CHECK(url_of({{"DB_HOST", "h"}, {"DB_NAME", "d"}}) == "postgresql://h/d");
    }
    SUBCASE("postgres is the PostgreSQL backend under its other scheme")
    {
      CHECK(url_of({{"DB_BACKEND", "postgres"}, {"DB_USER", "u"}, {"DB_PASSWORD", "pw"}}) ==
            "postgres://u@localhost/?password=pw");
    }
    SUBCASE("mysql and mariadb: the password in the user info, ssl-mode and ssl-ca")
    {
      const std::string ca = sources.dir + "/ca.pem";
      std::ofstream(ca) << "x";
      CHECK(url_of({{"DB_BACKEND", "mysql"}, {"DB_HOST", "db"}, {"DB_PORT", "3307"}, {"DB_USER", "app"},
                    {"DB_PASSWORD", "p@ss:word"}, {"DB_NAME", "shop"}, {"DB_SSL_MODE", "required"},
                    {"DB_SSL_CA", ca}}) ==
            "mysql://app:p%40ss%3Aword@db:3307/shop?ssl-mode=required&ssl-ca=" + percent_encode(ca));
      CHECK(url_of({{"DB_BACKEND", "mariadb"}, {"DB_PASSWORD", "pw"}}) == "mariadb://:pw@localhost/");
      const Resolved resolved = resolve(sources.inputs);
      CHECK(std::find_if(resolved.settings.begin(), resolved.settings.end(), [](const Setting& s) {
              return s.name == "url" && s.value == "mariadb://:****@localhost/";
            }) != resolved.settings.end());
    }
    SUBCASE("a DATABASE_URL without a password takes DB_PASSWORD into its user info on mysql")
    {
      sources.inputs.flags = {{"DATABASE_URL", "mysql://app@db/shop"}};
      CHECK(url_of({{"DB_PASSWORD", "s/cret"}}) == "mysql://app:s%2Fcret@db/shop");
      sources.inputs.flags = {{"DATABASE_URL", "mysql://app:inline@db/shop"}};
      CHECK(url_of({{"DB_PASSWORD", "other"}}) == "mysql://app:inline@db/shop");
    }
    SUBCASE("sqlite: DB_NAME is the file")
    {
      CHECK(url_of({{"DB_BACKEND", "sqlite"}, {"DB_NAME", "/tmp/x.db"}}) == "sqlite:/tmp/x.db");
    }
  }

  TEST_CASE("DB_BACKEND mistakes are one clear Fatal naming the setting")
  {
    Sources sources;
    const auto message = [&](Values flags, Values environment) {
      sources.inputs.flags = std::move(flags);
      sources.inputs.environment = std::move(environment);
      try {
        resolve(sources.inputs);
      } catch (const Fatal& e) {
        CHECK(e.exit_code() == 2);
        return std::string(e.what());
      }
      return std::string("no error");
    };
    CHECK(message({}, {{"DB_BACKEND", "oracle"}}) ==
          "DB_BACKEND (from env) must be a backend name: one of sqlite, postgresql, postgres, mysql, mariadb, redis; "
          "got 'oracle'");
    // URL schemes that are not backend names are refused too: rediss is a TLS URL, unix a socket path.
    CHECK(message({}, {{"DB_BACKEND", "rediss"}, {"DB_HOST", "h"}}) ==
          "DB_BACKEND (from env) must be a backend name: one of sqlite, postgresql, postgres, mysql, mariadb, redis; "
          "got 'rediss'");
    CHECK(message({}, {{"DB_BACKEND", "unix"}}).find("got 'unix'") != std::string::npos);
    CHECK(message({{"DATABASE_URL", "postgresql://h/d"}}, {{"DB_BACKEND", "mysql"}}) ==
          "DB_BACKEND (from env) is mysql but the database URL (from flag) is a postgresql: URL; remove one of them");
    CHECK(message({}, {{"DB_BACKEND", "sqlite"}, {"DB_HOST", "h"}}) ==
          "DB_HOST (from env) does not apply to DB_BACKEND=sqlite; set DB_NAME to the database file, or --db");
    CHECK(message({}, {{"DB_BACKEND", "mysql"}, {"DB_SSL_MODE", "require"}}) ==
          "DB_SSL_MODE (from env) must be one of disabled, preferred, required, verify_ca, verify_identity; got "
          "'require'");
    const std::string nul = message({}, {{"DB_BACKEND", "mysql"}, {"DB_PASSWORD", std::string("se\0cret", 7)}});
    CHECK(nul.find("the password setting cannot go into the database URL") == 0);
    CHECK(nul.find("cret") == std::string::npos);
  }

  TEST_CASE("redact_url hides a mysql user-info password")
  {
    CHECK(redact_url("mysql://app:secret@db:3306/shop?ssl-mode=required") ==
          "mysql://app:****@db:3306/shop?ssl-mode=required");
    CHECK(redact_url("mariadb://app:secret@db/shop?password=x") == "mariadb://app:****@db/shop?password=****");
  }
}
