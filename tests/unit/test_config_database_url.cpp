// The one database URL parser and the redaction built on it (issue 15 #7).
#include "config/config.hpp"
#include "config/database_url.hpp"

#include <doctest/doctest.h>

using namespace dbmcp::config;

namespace {

// The UrlError message for `text`, or "parsed".
std::string refusal(const std::string& text)
{
  try {
    parse_database_url(text);
  } catch (const UrlError& e) {
    return e.what();
  }
  return "parsed";
}

} // namespace

TEST_SUITE("config::database_url")
{
  TEST_CASE("parts split as libpq splits them")
  {
    const auto url = parse_database_url("postgresql://app:s%40cret@db:5432,db2/x?sslmode=require&pass%77ord=y");
    CHECK(url.scheme == "postgresql");
    CHECK(url.has_password);
    CHECK(url.raw_user == "app");
    CHECK(url.raw_hosts == "db:5432,db2");
    CHECK(url.raw_path == "x");
    REQUIRE(url.parameters.size() == 2);
    CHECK(url.parameters[1].key == "password");
    CHECK(url.has_parameter("password"));
    CHECK(parse_database_url("sqlite:///tmp/a.db?mode=ro").sqlite_path == "/tmp/a.db");
    CHECK(parse_database_url("sqlite:rel.db").sqlite_path == "rel.db");
    CHECK(parse_database_url("sqlite::memory:").sqlite_path == ":memory:");
    CHECK(parse_database_url("./data:1.db").sqlite_path == "./data:1.db");
    CHECK(url_scheme("postgres://h/x") == "postgres");
    CHECK(url_scheme("/tmp/a.db") == "sqlite");
  }

  TEST_CASE("passwords with ?, # and / never shown; secret keys decoded before the check")
  {
    CHECK(redact_url("postgresql://app:pa?ss@db/x") == "postgresql://app:****@db/x");
    CHECK(redact_url("postgresql://app:pa#ss@db/x") == "postgresql://app:****@db/x");
    CHECK(redact_url("postgresql://app:pa%2Fss@db/x") == "postgresql://app:****@db/x");
    CHECK(redact_url("postgresql://app:p?a#s:s@db/x?password=a#b&sslmode=require") ==
          "postgresql://app:****@db/x?password=****&sslmode=require");
    CHECK(redact_url("postgresql://db/x?pass%77ord=hunter2") == "postgresql://db/x?pass%77ord=****");
    CHECK(redact_url("postgresql://db/x?PASSWORD=hunter2") == "postgresql://db/x?PASSWORD=****");
    CHECK(redact_url("postgresql://db/x?sslpassword=hunter2") == "postgresql://db/x?sslpassword=****");
    CHECK(redact_url("postgresql://db?password=hunter2") == "postgresql://db?password=****");
    // By rule, not a list: any key naming a password, a secret or a token.
    CHECK(redact_url("mysql://db/x?ssl_key_password=a&Client_Secret=b&auth%5Ftoken=c&ssl_mode=required")
          == "mysql://db/x?ssl_key_password=****&Client_Secret=****&auth%5Ftoken=****&ssl_mode=required");
    // An unencoded '/' in the password: libpq would read "app:pa" as host:port; refused, never shown.
    CHECK(redact_url("postgresql://app:pa/ss@db/x").find("ss") == std::string::npos);
  }

  TEST_CASE("what cannot be parsed is refused without echoing it")
  {
    const std::string secret = "hunter2";
    for (const std::string& text :
         {"postgresql://app:" + secret + "/x@db/x", "postgresql://app:" + secret + "%zz@db/x",
          "postgresql://app:" + secret + "%4@db/x", "postgresql://db/x?password=" + secret + "%",
          "postgresql://app:" + secret + "@x@db/x", "postgresql://db/x?password" + secret,
          "postgresql://db/x?password=" + secret + "=1", "postgresql:" + secret,
          "postgresql://db/x?password=" + secret + "%00", "host=db password=" + secret,
          " dbname = x password=" + secret, "postgresql://db/x\n" + secret}) {
      CAPTURE(text);
      const std::string message = refusal(text);
      CHECK(message != "parsed");
      CHECK(message.find(secret) == std::string::npos);
      CHECK(redact_url(text).find(secret) == std::string::npos);
    }
    CHECK(refusal("host=db password=x").find("postgresql://") != std::string::npos);
    CHECK(refusal("postgresql://app:p%zz@db/x").find("percent-escape in the password") != std::string::npos);
    CHECK(refusal("sqlite:a=b.db") == "parsed");
  }
}
