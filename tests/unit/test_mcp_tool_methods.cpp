// Tool descriptors and tools/call results as each revision shapes them.
#include "mcp/tool_methods.hpp"

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
    CHECK(call_result(tool, ok, features_of("2025-06-18"))["structuredContent"]["rows"].is_array());
    CHECK_FALSE(call_result(tool, ok, features_of("2025-03-26")).contains("structuredContent"));
  }

  TEST_CASE("tool_descriptor: the title once; write hints only on a tool that writes")
  {
    auto tool = tool_with_schema({{"type", "object"}});
    const Json d = tool_descriptor(tool, features_of("2025-11-25"));
    CHECK(d["title"] == "T");
    CHECK(d["annotations"] == Json{{"readOnlyHint", false}, {"destructiveHint", true}, {"idempotentHint", false},
                                   {"openWorldHint", false}});
    CHECK(tool_descriptor(tool, features_of("2025-03-26"))["annotations"]["title"] == "T");
    tool.read_only_hint = true;
    CHECK(tool_descriptor(tool, features_of("2025-11-25"))["annotations"]
          == Json{{"readOnlyHint", true}, {"openWorldHint", false}});
  }
}
