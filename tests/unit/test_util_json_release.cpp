// release_json: frees a tree of any shape and depth and leaves null (ASan counts what it frees).
#include "util/json_release.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace dbmcp;

TEST_SUITE("util: json release")
{
  TEST_CASE("release_json leaves null, for scalars, flat and nested containers")
  {
    for (Json value : {Json(), Json(3), Json("a string longer than the small-string buffer"), Json::object(),
                       Json::array(), Json::parse(R"({"a":[1,{"b":"c","d":[[],{}]}],"e":{"f":null}})")}) {
      release_json(value);
      CHECK(value.is_null());
    }
  }

  TEST_CASE("release_json frees a tree deeper than the depth it empties itself, and a wide one")
  {
    Json deep = "leaf";
    for (int i = 0; i < 10'000; ++i) {
      deep = i % 2 == 0 ? Json::array({std::move(deep), i}) : Json{{"key " + std::to_string(i), std::move(deep)}};
    }
    release_json(deep);
    CHECK(deep.is_null());
    Json wide = Json::object();
    for (int i = 0; i < 1000; ++i) {
      wide["member " + std::to_string(i)] = Json::array({i, std::string(40, 'x'), Json::object({{"n", i}})});
    }
    release_json(wide);
    CHECK(wide.is_null());
  }
}
