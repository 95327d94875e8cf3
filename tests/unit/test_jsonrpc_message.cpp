// jsonrpc messages: parsing, validation of requests and ids, responses and serialisation.
#include "jsonrpc/error_mapping.hpp"
#include "jsonrpc/message.hpp"

#include <doctest/doctest.h>


using namespace dbmcp;
using namespace dbmcp::jsonrpc;

TEST_SUITE("jsonrpc::message")
{
  TEST_CASE("parse_json: invalid JSON is a -32700 Error")
  {
    CHECK(parse_json(R"({"a":1})")["a"] == 1);
    try {
      parse_json("{nope");
      FAIL("no exception");
    } catch (const Error& e) {
      CHECK(e.code() == k_parse_error);
      CHECK(std::string(e.what()).find("Parse error") == 0);
    }
  }

  TEST_CASE("parse_json: nesting past 256 levels is a -32700 Error, never a stack overflow")
  {
    const std::string deep = "{\"a\":" + std::string(150'000, '[') + std::string(150'000, ']') + ",\"b\":1}";
    try {
      parse_json(deep);
      FAIL("no exception");
    } catch (const Error& e) {
      CHECK(e.code() == k_parse_error);
      CHECK(std::string(e.what()) == "Parse error: JSON nested deeper than 256 levels");
    }
  }

  TEST_CASE("parse_json: a 2.3 MB line with 200,000 keys in one object parses whole")
  {
    // nlohmann::ordered_json's own parser searched the keys so far for every key: ~60 s. No
    // timed assertion here (a slow machine is not a failure); a quadratic parser makes this
    // test run for a minute, which the suite's timeout and the CI stage durations show.
    std::string line = R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{)";
    for (int i = 0; i < 200'000; ++i) {
      line += (i ? ",\"column_" : "\"column_") + std::to_string(i) + "\":" + std::to_string(i);
    }
    line += "}}}";
    const Json message = parse_json(line);
    CHECK(message["params"]["arguments"].size() == 200'000);
    CHECK(message["params"]["arguments"]["column_199999"] == 199'999);
  }

  TEST_CASE("classify: requests, notifications and responses")
  {
    const auto request = classify(Json::parse(R"({"jsonrpc":"2.0","id":7,"method":"m","params":{"x":1}})"));
    REQUIRE(std::holds_alternative<Request>(request));
    CHECK(std::get<Request>(request).id == 7);
    CHECK(std::get<Request>(request).params["x"] == 1);

    const auto string_id = classify(Json::parse(R"({"jsonrpc":"2.0","id":"a","method":"m"})"));
    REQUIRE(std::holds_alternative<Request>(string_id));
    CHECK(std::get<Request>(string_id).params == Json::object());

    CHECK(std::holds_alternative<Notification>(classify(Json::parse(R"({"jsonrpc":"2.0","method":"n"})"))));
    CHECK(std::holds_alternative<Response>(classify(Json::parse(R"({"jsonrpc":"2.0","id":1,"result":{}})"))));
  }

  TEST_CASE("classify: invalid messages are -32600 with the id when usable")
  {
    struct Case
    {
      const char* text;
      Json id;
    };
    const Case cases[] = {
        {R"([1])", nullptr},  // (an array reaches classify only as a batch element)
        {R"(42)", nullptr},
        {R"({"id":1,"method":"m"})", 1},
        {R"({"jsonrpc":"1.0","id":1,"method":"m"})", 1},
        {R"({"jsonrpc":"2.0","id":2})", 2},
        {R"({"jsonrpc":"2.0","id":3,"method":5})", 3},
        {R"({"jsonrpc":"2.0","id":null,"method":"m"})", nullptr},
        {R"({"jsonrpc":"2.0","id":1.5,"method":"m"})", nullptr},
        {R"({"jsonrpc":"2.0","id":true,"method":"m"})", nullptr},
        {R"({"jsonrpc":"2.0","id":{"a":1},"method":"m"})", nullptr},
        {R"({"jsonrpc":"2.0","id":"s","method":"m","params":3})", "s"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.text);
      const auto message = classify(Json::parse(c.text));
      REQUIRE(std::holds_alternative<Invalid>(message));
      CHECK(std::get<Invalid>(message).error.code() == k_invalid_request);
      CHECK(std::get<Invalid>(message).id == c.id);
    }
  }

  TEST_CASE("responses and notifications have the JSON-RPC shape")
  {
    CHECK(result_response(1, {{"a", 1}}).dump() == R"({"jsonrpc":"2.0","id":1,"result":{"a":1}})");
    CHECK(error_response("x", Error(-32601, "nope", {{"m", 1}})).dump() ==
          R"({"jsonrpc":"2.0","id":"x","error":{"code":-32601,"message":"nope","data":{"m":1}}})");
    CHECK(error_response(nullptr, invalid_request("bad")).dump() ==
          R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid request: bad"}})");
    CHECK(notification("n", Json::object()).dump() == R"({"jsonrpc":"2.0","method":"n","params":{}})");
  }

  TEST_CASE("serialise: one line, invalid UTF-8 replaced instead of thrown")
  {
    const std::string text = serialise(Json{{"s", std::string("a\xff\nb")}});
    CHECK(text.find('\n') == std::string::npos);
    CHECK(Json::parse(text)["s"].get<std::string>().size() > 2);
  }

  TEST_CASE("error_response_for: the one mapping from exceptions to wire errors")
  {
    auto code_of = [](std::exception_ptr e) { return error_response_for(9, e)["error"]["code"].get<int>(); };
    CHECK(code_of(std::make_exception_ptr(method_not_found("x"))) == k_method_not_found);
    CHECK(code_of(std::make_exception_ptr(invalid_params("x"))) == k_invalid_params);
    CHECK(code_of(std::make_exception_ptr(Error(k_unsupported_protocol_version, "v"))) ==
          k_unsupported_protocol_version);
    CHECK(code_of(std::make_exception_ptr(std::runtime_error("boom"))) == k_internal_error);
    CHECK(code_of(std::make_exception_ptr(42)) == k_internal_error);
    try {
      Json(1).get<std::string>();
    } catch (...) {
      CHECK(code_of(std::current_exception()) == k_invalid_params);
    }
    const Json internal = error_response_for("id", std::make_exception_ptr(std::runtime_error("boom")));
    CHECK(internal["id"] == "id");
    CHECK(internal["error"]["message"] == "Internal error: boom");
  }
}
