// The deferred parse of an insert_records line (issue 14): the message without its records, the
// records left as bytes and parsed element by element, must mean exactly what parsing the line
// whole means; every line it cannot vouch for is left to the whole parse.
#include "jsonrpc/message.hpp"
#include "mcp/deferred_records.hpp"
#include "util/json_parse.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using namespace dbmcp;
using namespace dbmcp::mcp;

namespace {

// A tools/call of `tool` whose arguments are `arguments` (JSON text, spliced as given).
std::string call_line(const std::string& arguments, const std::string& tool = "insert_records")
{
  return R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":")" + tool +
         R"(","arguments":)" + arguments + R"(},"_meta":{"progressToken":"t"}})";
}

std::optional<DeferredMessage> deferred(const std::string& line)
{
  return parse_deferring_records(std::make_shared<const std::string>(line));
}

// The deferred parse of `line` put back together: the message with its records parsed in place.
Json reassembled(const DeferredMessage& parsed)
{
  Json message = parsed.message;
  message["params"]["arguments"]["records"] = parsed.records->parse();
  return message;
}

// Checks that `line` is deferred and means what the whole parse says, element by element.
void check_equivalent(const std::string& line)
{
  CAPTURE(line);
  const auto parsed = deferred(line);
  REQUIRE(parsed);
  CHECK(parsed->message["params"]["arguments"]["records"] == Json::array());
  const Json whole = jsonrpc::parse_json(line);
  CHECK(reassembled(*parsed).dump() == whole.dump()); // same values, same key order
  const Json& records = whole["params"]["arguments"]["records"];
  CHECK(parsed->records->size() == records.size());
  DeferredArray::Reader reader(*parsed->records);
  for (const auto& expected : records) {
    const auto element = reader.next();
    REQUIRE(element);
    CHECK(element->dump() == expected.dump());
  }
  CHECK_FALSE(reader.next());
}

// `depth` nested arrays around 1.
std::string nested(size_t depth)
{
  return std::string(depth, '[') + "1" + std::string(depth, ']');
}

} // namespace

TEST_SUITE("mcp::deferred_records")
{
  TEST_CASE("deferred records: the same message and rows as the whole parse")
  {
    check_equivalent(call_line(R"({"table":"users","records":[{"id":1,"name":"a"},{"id":2,"name":"b"}]})"));
    SUBCASE("strings holding quotes, brackets, braces, commas and backslashes")
    {
      check_equivalent(call_line(
          R"({"table":"t","records":[{"s":"a \"]} [{, \\","t":"\\\\"},{"s":"}]\"\\\""},{"s":"\\"}],"batch_size":2})"));
    }
    SUBCASE("nested objects and arrays in JSON columns")
    {
      check_equivalent(call_line(R"({"records":[{"doc":{"a":[1,{"b":"]"}],"c":{}}},{"doc":[[],[{}]]}],"table":"t"})"));
    }
    SUBCASE("unicode: escapes, surrogate pairs, raw UTF-8")
    {
      check_equivalent(call_line(R"({"table":"t","records":[{"n":"\u00e9\ud83d\ude00","m":"é😀"},{"n":"\u0000"}]})"));
    }
    SUBCASE("whitespace everywhere, numbers, literals and records not last")
    {
      check_equivalent(" { \"jsonrpc\" : \"2.0\" , \"id\" : 1 , \"method\" : \"tools/call\" , \"params\" : "
                       "{ \"arguments\" : { \"records\" : [ 1 , -2.5e3 , true , false , null , { } , [ ] ] , "
                       "\"table\" : \"t\" } , \"name\" : \"insert_records\" } } \r\n");
    }
    SUBCASE("an empty array")
    {
      check_equivalent(call_line(R"({"table":"t","records":[]})"));
      CHECK(deferred(call_line(R"({"table":"t","records":[ ]})"))->records->size() == 0);
    }
    SUBCASE("records nested up to the depth limit of the whole message")
    {
      // The message, params and arguments hold the records: 3 levels, then the array itself.
      check_equivalent(call_line(R"({"table":"t","records":)" + nested(k_max_json_depth - 3) + "}"));
    }
  }

  TEST_CASE("deferred records: lines left to the whole parse")
  {
    const auto refused = [](const std::string& line) {
      CAPTURE(line);
      CHECK_FALSE(deferred(line));
    };
    SUBCASE("malformed JSON in the middle of the records: the whole parse says where")
    {
      const std::string line = call_line(R"({"table":"t","records":[{"a":1},{"a":tru},{"a":3}]})");
      refused(line);
      CHECK_THROWS_AS(jsonrpc::parse_json(line), jsonrpc::Error);
      refused(call_line(R"({"table":"t","records":[{"a":1},,{"a":3}]})"));
      refused(call_line(R"({"table":"t","records":[{"a":1} {"a":3}]})"));
      refused(call_line(R"({"table":"t","records":[{"a":"\x"}]})"));
      refused(call_line(R"({"table":"t","records":[{"a":"unterminated}]})"));
    }
    SUBCASE("malformed JSON outside the records")
    {
      refused(call_line(R"({"table":"t","records":[{"a":1}],"batch_size":})"));
      refused(call_line(R"({"table":"t","records":[{"a":1}]})") + " trailing");
      refused(R"({"jsonrpc":"2.0","id":1,"method":"tools/call",)"
              R"("params":{"name":"insert_records","arguments":{"records":[1]})");
    }
    SUBCASE("records nested deeper than the limit")
    {
      const std::string line = call_line(R"({"table":"t","records":)" + nested(k_max_json_depth - 2) + "}");
      refused(line);
      CHECK_THROWS_AS(jsonrpc::parse_json(line), jsonrpc::Error);
    }
    SUBCASE("records that are not an array, or missing")
    {
      refused(call_line(R"({"table":"t","records":{"a":1}})"));
      refused(call_line(R"({"table":"t","records":"[1]"})"));
      refused(call_line(R"({"table":"t"})"));
      refused(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"insert_records"}})");
    }
    SUBCASE("a key given twice, or spelt with an escape, on the way to the records")
    {
      refused(call_line(R"({"table":"t","records":[1],"records":[2,3]})"));
      CHECK(jsonrpc::parse_json(call_line(R"({"records":[1],"records":[2,3]})"))["params"]["arguments"]["records"] ==
            Json::array({2, 3}));
      refused(call_line(R"({"table":"t","rec\u006frds":[1]})"));
      refused(call_line(R"({"table":"t","records":[1],"rec\u006frds":[2]})"));
      refused(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"insert_records","arguments":)"
              R"({"records":[1]}},"params":{"name":"insert_records","arguments":{"records":[2]}}})");
    }
    SUBCASE("another tool, another method, a batch")
    {
      refused(call_line(R"({"table":"t","records":[1]})", "insert_record"));
      refused(R"({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"arguments":{"records":[1]}}})");
      refused("[" + call_line(R"({"table":"t","records":[1]})") + "]");
    }
  }
}
