// Tool descriptors and tools/call results as each revision shapes them.
#include "mcp/tool_methods.hpp"
#include "mcp/wire_format.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::mcp;

namespace {

tools::Tool tool_with_schema(Json output_schema)
{
  return {"t", "T", "a tool", {{"type", "object"}}, std::move(output_schema), false, true, false, nullptr};
}

const tools::CallResult k_error{Json{{"error", {{"code", "not_found"}, {"message", "gone"}}}}, "gone", true};

} // namespace

TEST_SUITE("mcp::tool_methods")
{
  TEST_CASE("call_result: an error of a tool with an outputSchema has no structuredContent")
  {
    const Json result = call_result(tool_with_schema({{"type", "object"}, {"required", {"rows"}}}), k_error,
                                    features_of("2025-11-25"));
    CHECK(result["isError"] == true);
    CHECK(result["content"][0]["text"] == "gone");
    CHECK_FALSE(result.contains("structuredContent"));
    CHECK(result["_meta"]["dbmcp/error"]["code"] == "not_found");
  }

  TEST_CASE("call_result: an error of a tool without an outputSchema keeps structuredContent")
  {
    const Json result = call_result(tool_with_schema(nullptr), k_error, features_of("2026-07-28"));
    CHECK(result["structuredContent"]["error"]["code"] == "not_found");
    CHECK_FALSE(result.contains("_meta"));
  }

  TEST_CASE("call_result: a success carries structuredContent from 2025-06-18 only")
  {
    const tools::CallResult ok{Json{{"rows", Json::array()}}, "{\"rows\":[]}", false};
    const auto tool = tool_with_schema({{"type", "object"}});
    CHECK(structured_content_of(call_result(tool, ok, features_of("2025-06-18")))["rows"].is_array());
    CHECK_FALSE(call_result(tool, ok, features_of("2025-03-26")).contains("structuredContent"));
  }

  TEST_CASE("serialise_message: a success's structuredContent is written as the bytes of its text")
  {
    const std::string text = R"({"rows":[{"id":1,"name":"Ada \"the first\"","note":"\u0000"}]})";
    const tools::CallResult ok{Json::parse(text), text, false};
    const auto tool = tool_with_schema({{"type", "object"}});
    const Json result = call_result(tool, ok, features_of("2025-06-18"));
    CHECK(structured_from_text(result));
    const std::string line = serialise_message(jsonrpc::result_response(7, result));
    CHECK(line.find("\\u0000dbmcp") == std::string::npos);
    const Json parsed = Json::parse(line);
    CHECK(parsed["result"]["structuredContent"] == Json::parse(text));
    CHECK(parsed["result"]["content"][0]["text"] == text);
    CHECK(line.find("\"structuredContent\":" + text) != std::string::npos); // the text, verbatim

    SUBCASE("in a batch, each response gets its own text")
    {
      const tools::CallResult other{Json{{"n", 2}}, R"({"n":2})", false};
      const Json batch = Json::array({jsonrpc::result_response(1, result),
                                      jsonrpc::result_response(2, call_result(tool, other, features_of("2025-06-18")))});
      const Json answers = Json::parse(serialise_message(batch));
      CHECK(answers[0]["result"]["structuredContent"] == Json::parse(text));
      CHECK(answers[1]["result"]["structuredContent"] == Json{{"n", 2}});
    }
    SUBCASE("a value that serialises as the marker elsewhere in the line is left alone")
    {
      Json forged = jsonrpc::result_response(1, result);
      forged["result"]["_meta"]["x"] = k_structured_from_text;
      const Json parsed_forged = Json::parse(serialise_message(forged));
      CHECK(parsed_forged["result"]["structuredContent"] == Json::parse(text));
      CHECK(parsed_forged["result"]["_meta"]["x"] == k_structured_from_text);
    }
  }

  TEST_CASE("tool_descriptor: the title once; write hints only on a tool that writes, and only when not the default")
  {
    auto tool = tool_with_schema({{"type", "object"}});
    const Json d = tool_descriptor(tool, features_of("2025-11-25"));
    CHECK(d["title"] == "T");
    // readOnlyHint false, destructiveHint true, idempotentHint false: the specification's defaults.
    CHECK(d["annotations"] == Json{{"openWorldHint", false}});
    tool.destructive_hint = false;
    tool.idempotent_hint = true;
    CHECK(tool_descriptor(tool, features_of("2025-11-25"))["annotations"]
          == Json{{"destructiveHint", false}, {"idempotentHint", true}, {"openWorldHint", false}});
    CHECK(tool_descriptor(tool, features_of("2025-03-26"))["annotations"]["title"] == "T");
    tool.read_only_hint = true;
    CHECK(tool_descriptor(tool, features_of("2025-11-25"))["annotations"]
          == Json{{"readOnlyHint", true}, {"openWorldHint", false}});
  }
}
