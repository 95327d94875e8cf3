#include "util/json_fast_dump.hpp"

#include <doctest/doctest.h>

#include <limits>
#include <random>
#include <string>

using namespace dbmcp;

namespace {

// What every protocol line was written with before dump_json: the reference.
std::string nlohmann_dump(const Json& value)
{
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A string of random bytes, most of them printable ASCII, some control characters, quotes,
// backslashes, well-formed UTF-8 and (when `invalid`) stray bytes of 0x80 and above.
std::string random_bytes(std::mt19937& random, bool invalid)
{
  static const std::string specials[] = {"\"", "\\", "/", "\b", "\t", "\n", "\f", "\r", std::string(1, '\0'), "\x01",
                                         "\x1f", "\x7f", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80"};
  std::uniform_int_distribution<int> length(0, 12);
  std::uniform_int_distribution<int> kind(0, 9);
  std::string text;
  for (int i = length(random); i > 0; --i) {
    const int k = kind(random);
    if (k < 6) {
      text.push_back(static_cast<char>(std::uniform_int_distribution<int>(0x20, 0x7e)(random)));
    } else if (k < 9 || !invalid) {
      text += specials[std::uniform_int_distribution<size_t>(0, std::size(specials) - 1)(random)];
    } else {
      text.push_back(static_cast<char>(std::uniform_int_distribution<int>(0x80, 0xff)(random)));
    }
  }
  return text;
}

Json random_json(std::mt19937& random, int depth, bool invalid)
{
  const int kind = std::uniform_int_distribution<int>(0, depth > 0 ? 9 : 6)(random);
  switch (kind) {
  case 0: return nullptr;
  case 1: return std::uniform_int_distribution<int>(0, 1)(random) == 1;
  case 2: return std::uniform_int_distribution<int64_t>(std::numeric_limits<int64_t>::min(), 0)(random);
  case 3: return std::uniform_int_distribution<uint64_t>()(random);
  case 4: return std::uniform_real_distribution<double>(-1e6, 1e6)(random);
  case 5:
  case 6: return random_bytes(random, invalid);
  case 7:
  case 8: {
    Json object = Json::object();
    for (int i = std::uniform_int_distribution<int>(0, 4)(random); i > 0; --i) {
      object[random_bytes(random, invalid)] = random_json(random, depth - 1, invalid);
    }
    return object;
  }
  default: {
    Json array = Json::array();
    for (int i = std::uniform_int_distribution<int>(0, 4)(random); i > 0; --i) {
      array.push_back(random_json(random, depth - 1, invalid));
    }
    return array;
  }
  }
}

} // namespace

TEST_SUITE("util::json_fast_dump")
{
  TEST_CASE("dump_json: the bytes nlohmann's dump writes")
  {
    const Json value = {{"text", "a\"b\\c/d\b\t\n\f\r\x01\x1f\x7f é€😀"},
                        {"numbers", {0, -1, 18446744073709551615ULL, std::numeric_limits<int64_t>::min(), 1.5, 1e300,
                                     0.1, -0.0, std::numeric_limits<double>::infinity()}},
                        {"nested",
                         {{"empty", Json::object()}, {"list", Json::array()}, {"null", nullptr}, {"t", true}}}};
    CHECK(dump_json(value) == nlohmann_dump(value));
    CHECK(dump_json(value).find(R"(a\"b\\c/d\b\t\n\f\r\u0001\u001f)") != std::string::npos);
    // Not UTF-8, binary: nlohmann's serializer writes them (the invalid byte replaced).
    const Json invalid = {{"bad", "x\xff" "y"}, {"ok", "z"}};
    CHECK(dump_json(invalid) == nlohmann_dump(invalid));
    CHECK(dump_json(invalid).find("\xEF\xBF\xBD") != std::string::npos);
    const Json binary = {{"blob", Json::binary({1, 2, 3})}};
    CHECK(dump_json(binary) == nlohmann_dump(binary));
    std::string out = "prefix ";
    append_json(out, invalid);
    CHECK(out == "prefix " + nlohmann_dump(invalid));
  }

  TEST_CASE("dump_json: on random values, the bytes nlohmann's dump writes")
  {
    std::mt19937 random(1129);
    for (int i = 0; i < 5000; ++i) {
      const Json value = random_json(random, 4, i % 4 == 3);
      const std::string expected = nlohmann_dump(value);
      CAPTURE(expected);
      CHECK(dump_json(value) == expected);
    }
  }
}
