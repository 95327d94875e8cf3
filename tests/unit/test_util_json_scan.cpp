// The byte scanner behind insert_records' deferred records (issue 14): bounds of values, the path
// to the records, and validate_array, which must accept exactly what the parser accepts.
#include "util/json_parse.hpp"
#include "util/json_scan.hpp"

#include <doctest/doctest.h>

#include <array>
#include <random>
#include <string>

using namespace dbmcp;
using namespace dbmcp::json_scan;

namespace {

// What the parser says of `text` as an array nested at most `depth` deep: its size, or nullopt.
std::optional<size_t> parsed_array_size(const std::string& text, size_t depth)
{
  const auto value = parse_json_bounded(text, nullptr, depth);
  return value && value->is_array() ? std::optional<size_t>(value->size()) : std::nullopt;
}

void check_same_as_parser(const std::string& text, size_t depth = k_max_json_depth)
{
  CAPTURE(text);
  CHECK(validate_array(text, depth) == parsed_array_size(text, depth));
}

std::string_view slice_of(std::string_view text, Slice slice)
{
  return text.substr(slice.begin, slice.end - slice.begin);
}

} // namespace

TEST_SUITE("util::json_scan")
{
  TEST_CASE("validate_array: accepts and refuses what the parser does")
  {
    for (const std::string text : {
             "[]", " [ ] ", "[1,2,3]", "[{}]", "[[],{}]", R"([{"a":[1,{"b":"]"}]}])", "[true,false,null]",
             "[-0,0.5,-1.5e-3,1E+2,18446744073709551615,18446744073709551616,123456789012345678901234567890]",
             R"(["\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00"])", "[\"é😀\xc3\xa9\"]",
             // refused
             "", "[", "]", "[1,]", "[,1]", "[1 2]", "{}", "1", "\"[]\"", "[] []", "[]x", "[01]", "[1.]", "[.5]",
             "[-]", "[1e]", "[1e+]", "[+1]", "[tru]", "[truex]", "[nul]", "[NaN]", "[Infinity]", "[1e400]",
             "[-1e400]", "[\"a]", "[\"\\x\"]", "[\"\\u12\"]", "[\"\\u12g4\"]", "[\"\\ud83d\"]", "[\"\\ud83d\\u0041\"]",
             "[\"\\ude00\"]", "[\"\x01\"]", "[\"\t\"]", "[\"\xc3\"]", "[\"\xc0\x80\"]", "[\"\xed\xa0\x80\"]",
             "[\"\xf4\x90\x80\x80\"]", "[\"\xe0\x80\x80\"]", "[\"\xff\"]", "[{\"a\"}]", "[{\"a\":}]", "[{1:2}]",
             "[{\"a\":1,}]", "[{\"a\":1]", "[[}", "['a']", "[1]\x00"}) {
      check_same_as_parser(text);
    }
    CHECK(validate_array(R"([1, {"a": [2, 3]}, "x,y", [4]])", k_max_json_depth) == 4);
  }

  TEST_CASE("validate_array: the nesting limit counts the array itself, as the parser does")
  {
    const auto nested = [](size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
    check_same_as_parser(nested(10), 10);
    check_same_as_parser(nested(11), 10);
    CHECK(validate_array(nested(10), 10) == 1);
    CHECK_FALSE(validate_array(nested(11), 10));
  }

  TEST_CASE("validate_array: random edits of a valid array are judged as the parser judges them")
  {
    const std::string base = R"([{"id":1,"name":"a \"q\" [b]","tags":["x","y"],"n":-12.5e3,"ok":true,"u":"\u00e9é"},)"
                             R"({"id":2,"doc":{"k":[1,[2,{"z":null}]]},"s":"\\","e":"\ud83d\ude00"},[],{},0,"",false])";
    check_same_as_parser(base);
    const std::array<std::string, 21> pieces = {"\"", "\\", "[", "]", "{", "}", ",", ":", "0", "1", "-", ".", "e",
                                                "u", "\\u", "\xc3", "\xa9", "\x01", " ", "null", "d8"};
    std::mt19937 random(14);
    for (int round = 0; round < 5000; ++round) {
      std::string text = base;
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int e = 0; e < edits; ++e) {
        const size_t at = random() % text.size();
        const std::string& piece = pieces[random() % pieces.size()];
        switch (random() % 3) {
        case 0: text.insert(at, piece); break;
        case 1: text.erase(at, 1); break;
        default: text.replace(at, 1, piece); break;
        }
      }
      check_same_as_parser(text, 4 + random() % 3);
    }
  }

  TEST_CASE("find_path and ArrayElements: the bounds of values, strings with brackets and escapes skipped")
  {
    const std::string text = R"( {"a": {"s": "}\"]", "b": [ 1 , "x]\\" ,{"c":[]} ,[] ] }, "z": 2} )";
    const std::array<std::string_view, 2> path = {"a", "b"};
    const auto found = find_path(text, path);
    REQUIRE(found);
    CHECK(slice_of(text, *found) == R"([ 1 , "x]\\" ,{"c":[]} ,[] ])");
    ArrayElements elements(text, *found);
    std::vector<std::string_view> seen;
    while (const auto element = elements.next()) {
      seen.push_back(slice_of(text, *element));
    }
    CHECK(seen == std::vector<std::string_view>{"1", R"("x]\\")", R"({"c":[]})", "[]"});
    const std::array<std::string_view, 2> missing = {"a", "q"};
    CHECK_FALSE(find_path(text, missing));
    const std::array<std::string_view, 1> twice = {"k"};
    CHECK_FALSE(find_path(R"({"k":1,"k":2})", twice));
    CHECK_FALSE(find_path(R"({"\u006b":1})", twice));
    CHECK(find_path(R"({"k":1})", twice));
    CHECK_FALSE(find_path(R"({"k":1)", twice));
    CHECK_FALSE(find_path(R"({"k":"1})", twice));
  }
}
