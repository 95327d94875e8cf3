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

  TEST_CASE("base64_decode: standard alphabet, padding optional but exact")
  {
    CHECK(dbmcp::base64_decode("") == std::string());
    CHECK(dbmcp::base64_decode("Zm9vYmFy") == "foobar");
    CHECK(dbmcp::base64_decode("Zg==") == "f");
    CHECK(dbmcp::base64_decode("Zg") == "f");
    CHECK(dbmcp::base64_decode("Zm8=") == "fo");
    CHECK(dbmcp::base64_decode("Zm8") == "fo");
    CHECK(dbmcp::base64_decode("+/8=") == std::string("\xfb\xff"));
    for (const std::string text : {"", "a", "ab", "abc", "\x00\xff\x10\xfb"}) {
      CHECK(dbmcp::base64_decode(dbmcp::base64_encode(text)) == text);
    }
  }

  TEST_CASE("base64_decode: refuses bad characters and bad padding")
  {
    SUBCASE("characters outside the standard alphabet")
    {
      for (const char* text : {"-_8=", "Zm9v YmFy", "Zm9v\nYmFy", "Zm9v$mFy", "Zm9vYmF\xc3\xa9"}) {
        CAPTURE(text);
        CHECK_FALSE(dbmcp::base64_decode(text).has_value());
      }
      CHECK_FALSE(dbmcp::base64_decode(std::string("Zm9v\0mFy", 8)).has_value());
    }
    SUBCASE("padding that does not end the text or complete its last group")
    {
      for (const char* text : {"Zg=", "Zg===", "Zm9v==", "Zm9v=", "Zg==Zg==", "Z=g=", "=", "==", "Zm8==", "Z==="}) {
        CAPTURE(text);
        CHECK_FALSE(dbmcp::base64_decode(text).has_value());
      }
    }
    SUBCASE("a lone sextet, which no encoder writes")
    {
      CHECK_FALSE(dbmcp::base64_decode("Zm9vY").has_value());
      CHECK_FALSE(dbmcp::base64_decode("Z").has_value());
    }
  }
}
