#include "util/base64.hpp"

#include <doctest/doctest.h>

TEST_SUITE("util::base64")
{
  TEST_CASE("base64: RFC 4648 vectors and round trips")
  {
    CHECK(dbmcp::base64_encode("") == "");
    CHECK(dbmcp::base64_encode("f") == "Zg==");
    CHECK(dbmcp::base64_encode("fo") == "Zm8=");
    CHECK(dbmcp::base64_encode("foobar") == "Zm9vYmFy");
    CHECK(dbmcp::base64url_encode("\xfb\xff") == "-_8");
    for (const std::string text : {"", "a", "ab", "abc", "{\"k\":[1,\"x\"]}", "\x00\xff\x10"}) {
      CHECK(dbmcp::base64url_decode(dbmcp::base64url_encode(text)) == text);
    }
    CHECK_FALSE(dbmcp::base64url_decode("ab$c").has_value());
    CHECK_FALSE(dbmcp::base64url_decode("a").has_value());
  }
}
