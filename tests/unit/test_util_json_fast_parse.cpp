#include "util/json_fast_parse.hpp"
#include "util/json_parse.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace dbmcp;

namespace {

// True when `a` and `b` are the same value with the same types all the way down (Json's == takes
// 1 and 1u for equal) and the same key order.
bool identical(const Json& a, const Json& b)
{
  if (a.type() != b.type() || a.size() != b.size()) {
    return false;
  }
  if (a.is_object()) {
    for (auto left = a.begin(), right = b.begin(); left != a.end(); ++left, ++right) {
      if (left.key() != right.key() || !identical(left.value(), right.value())) {
        return false;
      }
    }
    return true;
  }
  if (a.is_array()) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!identical(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  return a == b;
}

// nlohmann's own parser, the reference: nullopt where it throws (a syntax error, a number out of range).
std::optional<Json> reference(const std::string& text)
{
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

// Texts built from JSON's tokens and a few bytes outside them, most of them near valid JSON.
std::string random_text(std::mt19937& random)
{
  static const std::vector<std::string> pieces = {
      "{", "}", "[", "]", ",", ":", " ", "\n", "\"a\"", "\"key\"", "\"a\"", "\"\\n\\\"\\\\\\/\\t\"", "\"\\u00e9\"",
      "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\xC3\xA9\"", "\"\xE2\x82\xAC\"",
      "\"\xF0\x9F\x98\x80\"", "\"\xC0\x80\"", "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"",
      "\"\x01\"", "\"\\x\"", "0", "-0", "7", "-12", "01", "1.5", "2e3", "-", "123456789012345678",
      "1234567890123456789", "18446744073709551615", "true", "false", "null", "tru", "\"", "\\", "x", "\xEF\xBB\xBF"};
  std::uniform_int_distribution<size_t> count(1, 14);
  std::uniform_int_distribution<size_t> pick(0, pieces.size() - 1);
  std::string text;
  for (size_t i = count(random); i > 0; --i) {
    text += pieces[pick(random)];
  }
  return text;
}

// The text of a random JSON value up to `depth` levels deep, from the same pieces, with spaces.
std::string random_value(std::mt19937& random, int depth)
{
  static const std::vector<std::string> scalars = {
      "0", "-0", "7", "-12", "123456789012345678", "-123456789012345678", "18446744073709551615", "1.5", "true",
      "false", "null", "\"\"", "\"a\"", "\"\\n\\\"\\\\\\/\\t\"", "\"\\u00e9\"", "\"\xC3\xA9\"",
      "\"\xF0\x9F\x98\x80\"", "\"\\ud83d\\ude00\""};
  static const std::vector<std::string> keys = {"\"a\"", "\"b\"", "\"id\"", "\"\xC3\xA9\""};
  const auto below = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  const std::string space = below(4) == 0 ? " " : "";
  const size_t kind = depth > 0 ? below(4) : 0;
  if (kind < 2) {
    return space + scalars[below(scalars.size())] + space;
  }
  std::string text = kind == 2 ? "[" : "{";
  for (size_t i = below(5); i > 0; --i) {
    text += kind == 3 ? space + keys[below(keys.size())] + ":" : "";
    text += random_value(random, depth - 1) + (i > 1 ? "," : "");
  }
  return text + (kind == 2 ? "]" : "}");
}

} // namespace

TEST_SUITE("util::json_fast_parse")
{
  TEST_CASE("parse_json_fast: a protocol line is read on the fast path, as nlohmann reads it")
  {
    const std::string line =
        R"({"jsonrpc":"2.0","id":104,"method":"tools/call","params":{"name":"get_record","arguments":)"
        R"({"table":"bench_users","id":5,"neg":-42,"zero":-0,"on":true,"off":false,"none":null,"list":[1,[],{}]},)"
        R"("_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","text":"caf\u00e9 \"q\" \\ \/ \t",)"
        R"("utf8":"é€😀"}}} )";
    const auto fast = parse_json_fast(R"( {"a" : [ 1 , "x\n" ] , "b":{} } )", k_max_json_depth);
    REQUIRE(fast);
    CHECK(fast->dump() == R"({"a":[1,"x\n"],"b":{}})");
    const auto value = parse_json_fast(line, k_max_json_depth);
    REQUIRE(value);
    CHECK(identical(*value, Json::parse(line)));
    CHECK((*value)["params"]["_meta"]["text"] == "caf\u00e9 \"q\" \\ / \t");
    CHECK((*value)["params"]["arguments"]["id"].is_number_unsigned());
    CHECK((*value)["params"]["arguments"]["neg"].is_number_integer());
    CHECK_FALSE((*value)["params"]["arguments"]["neg"].is_number_unsigned());
    CHECK((*value)["params"]["arguments"]["zero"].is_number_integer());
    CHECK(identical(*parse_json_bounded(line), Json::parse(line)));
  }

  TEST_CASE("parse_json_fast: what is outside its subset is left to the full parser")
  {
    for (const char* text :
         {"1e400", "-1e400", "1.", ".5", "1.e3", "1e", "1e+", "01.5", "1234567890123456789", "\"\\ud800\"",
          "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\u12\"", "\"\\u12g4\"", "\xEF\xBB\xBF{}",
          "\"\xC0\x80\"", "\"\xED\xA0\x80\"",
          "\"\xF4\x90\x80\x80\"", "\"\xC3\"", "\"a\x01\"", "", " ", "{", "[1,]", "{\"a\" 1}", "01", "-", "tru", "nul",
          "truex", "1 2", "{\"a\":1,}", "/* c */ 1"}) {
      CAPTURE(text);
      CHECK_FALSE(parse_json_fast(text, k_max_json_depth));
    }
    std::string members = "{";
    for (size_t i = 0; i <= k_fast_parse_members; ++i) {
      members += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":1";
    }
    members += "}";
    CHECK_FALSE(parse_json_fast(members, k_max_json_depth));
    CHECK(parse_json_bounded(members)->size() == k_fast_parse_members + 1);
    for (const char* text : {"1.5", "-0.0", "1e3", "2E-3", "1e+2", "0.1", "-123.456e-7", "1e308", "4.9e-324"}) {
      CAPTURE(text);
      const auto value = parse_json_fast(text, k_max_json_depth);
      REQUIRE(value);
      CHECK(identical(*value, Json::parse(text)));
    }
    for (const char* text : {"\"\\u0041\\u00e9\\u20AC\"", "\"\\ud83d\\ude00\"", "\"\\u0000\"", "\"\\uDBFF\\uDFFF\""}) {
      CAPTURE(text);
      const auto value = parse_json_fast(text, k_max_json_depth);
      REQUIRE(value);
      CHECK(identical(*value, Json::parse(text)));
    }
    CHECK(parse_json_fast("[[1]]", 2));
    CHECK_FALSE(parse_json_fast("[[[1]]]", 2));
    CHECK(parse_json_fast(R"({"a":1,"b":2,"a":3})", k_max_json_depth)->dump() == R"({"a":3,"b":2})");
  }

  TEST_CASE("parse_json_fast: on random texts, whatever it reads equals nlohmann's value, types included")
  {
    std::mt19937 random(20261129);
    int read_fast = 0;
    for (int i = 0; i < 20000; ++i) {
      const std::string text = random_text(random);
      const auto fast = parse_json_fast(text, k_max_json_depth);
      const auto expected = reference(text);
      if (fast) {
        ++read_fast;
        CAPTURE(text);
        REQUIRE(expected);
        CHECK(identical(*fast, *expected));
      }
      const auto bounded = parse_json_bounded(text);
      CAPTURE(text);
      REQUIRE(bounded.has_value() == expected.has_value());
      if (bounded) {
        CHECK(identical(*bounded, *expected));
      }
    }
    CHECK(read_fast > 300); // the texts do exercise the fast path
    read_fast = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string text = random_value(random, 4);
      if (i % 2 == 1) { // one byte changed
        text[std::uniform_int_distribution<size_t>(0, text.size() - 1)(random)] = "{}[],:\"\\0-e x\x80"[i % 15];
      }
      const auto fast = parse_json_fast(text, k_max_json_depth);
      const auto expected = reference(text);
      CAPTURE(text);
      if (fast) {
        ++read_fast;
        REQUIRE(expected);
        CHECK(identical(*fast, *expected));
      }
      const auto bounded = parse_json_bounded(text);
      REQUIRE(bounded.has_value() == expected.has_value());
      if (bounded) {
        CHECK(identical(*bounded, *expected));
      }
    }
    CHECK(read_fast > 5000);
  }
}
