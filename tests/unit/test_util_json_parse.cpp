#include "util/json_parse.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dbmcp;

namespace {

// `depth` nested arrays around 1: [[...[1]...]].
std::string nested_arrays(size_t depth) {
  return std::string(depth, '[') + "1" + std::string(depth, ']');
}

} // namespace

TEST_SUITE("util::json_parse") {
  TEST_CASE("parse_json_bounded: values, key order, duplicate keys like "
            "nlohmann's parser") {
    const auto value = parse_json_bounded(
        R"( {"z": 1, "a": [true, null, -2, 18446744073709551615, 1.5, "s\u00e9"],
                                              "m": {"k": {}}, "e": []} )");
    REQUIRE(value);
    CHECK(
        value->dump() ==
        R"({"z":1,"a":[true,null,-2,18446744073709551615,1.5,"sé"],"m":{"k":{}},"e":[]})");
    CHECK(parse_json_bounded("42") == Json(42));
    CHECK(parse_json_bounded(R"("x")") == Json("x"));
    // A repeated key keeps its first position and takes its last value, in
    // small and large objects.
    CHECK(parse_json_bounded(R"({"a":1,"b":2,"a":3})")->dump() ==
          R"({"a":3,"b":2})");
    std::string large = "{";
    for (int i = 0; i < 100; ++i) {
      large += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    }
    large += R"("k3":"again","k99":"last"})";
    const auto big = parse_json_bounded(large);
    REQUIRE(big);
    CHECK(big->size() == 100);
    CHECK((*big)["k3"] == "again");
    CHECK((*big)["k99"] == "last");
    CHECK(big->begin().key() == "k0");
    CHECK(Json::parse(large) == *big);
  }

  TEST_CASE("parse_json_bounded: syntax errors and overflowing numbers give "
            "nlohmann's reason") {
    for (const char *text :
         {"", "{nope", "[1,]", "1 2", "\"\\ud800\"", "1e400", "{\"a\":1"}) {
      CAPTURE(text);
      std::string failure;
      CHECK_FALSE(parse_json_bounded(text, &failure));
      CHECK(failure.rfind("[json.exception.", 0) == 0);
    }
  }

  TEST_CASE("parse_json_bounded: nesting up to the limit is accepted, deeper "
            "is refused") {
    CHECK(parse_json_bounded(nested_arrays(k_max_json_depth)));
    std::string failure;
    CHECK_FALSE(
        parse_json_bounded(nested_arrays(k_max_json_depth + 1), &failure));
    CHECK(failure == "JSON nested deeper than 256 levels");
    CHECK_FALSE(parse_json_bounded(R"({"a":{"b":[1]}})", &failure, 2));
    CHECK(parse_json_bounded(R"({"a":{"b":1}})", &failure, 2));
  }

  TEST_CASE("parse_json_bounded: 150,000 levels beside a sibling key are "
            "refused, no stack overflow") {
    // nlohmann's own parser built this, then copied the deep value recursively
    // when the object's vector grew for "b": a stack overflow that killed the
    // server.
    const std::string text = "{\"a\":" + nested_arrays(150'000) + ",\"b\":1}";
    std::string failure;
    CHECK_FALSE(parse_json_bounded(text, &failure));
    CHECK(failure.find("nested deeper") != std::string::npos);
    std::string objects;
    for (int i = 0; i < 100'000; ++i) {
      objects += "{\"a\":";
    }
    objects += "1" + std::string(100'000, '}');
    CHECK_FALSE(parse_json_bounded(objects));
  }

  TEST_CASE(
      "parse_json_bounded: 200,000 keys in one object parse whole") {
    // nlohmann::ordered_json's parser searched the keys so far for every key:
    // ~60 s here. No timed assertion (a slow machine is not a failure).
    std::string text = "{";
    for (int i = 0; i < 200'000; ++i) {
      text += (i ? ",\"key" : "\"key") + std::to_string(i) +
              "\":" + std::to_string(i);
    }
    text += "}";
    const auto value = parse_json_bounded(text);
    REQUIRE(value);
    CHECK(value->size() == 200'000);
    CHECK((*value)["key199999"] == 199'999);
  }
}
