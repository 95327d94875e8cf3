// Cursor pagination of list results.
#include "jsonrpc/error.hpp"
#include "mcp/pagination.hpp"
#include "test_mcp_harness.hpp"

using namespace dbmcp;
using namespace dbmcp::mcp;

TEST_SUITE("mcp::pagination")
{
  TEST_CASE("paginate: pages follow each other through opaque cursors")
  {
    PageSlice page = paginate(Json::object(), 7, 3);
    CHECK(page.begin == 0);
    CHECK(page.end == 3);
    REQUIRE(page.next_cursor);
    page = paginate({{"cursor", *page.next_cursor}}, 7, 3);
    CHECK(page.begin == 3);
    CHECK(page.end == 6);
    page = paginate({{"cursor", *page.next_cursor}}, 7, 3);
    CHECK(page.end == 7);
    CHECK_FALSE(page.next_cursor);
    CHECK_FALSE(paginate(Json::object(), 0, 3).next_cursor);
  }

  TEST_CASE("paginate: invalid cursors are -32602")
  {
    // "b2Zmc2V0OjM" is the unsigned "offset:3" of before: a client could forge it.
    for (const Json& cursor : {Json("garbage!"), Json(5), Json("b2Zmc2V0Ong"), Json("b2Zmc2V0OjM"),
                               Json("b2Zmc2V0OjM.AAAA"), Json("")}) {
      CAPTURE(cursor.dump());
      try {
        paginate({{"cursor", cursor}}, 7, 3);
        FAIL("accepted");
      } catch (const jsonrpc::Error& e) {
        CHECK(e.code() == jsonrpc::k_invalid_params);
      }
    }
  }

  TEST_CASE("Server: tools/list with a small page size pages through every tool in order")
  {
    using namespace dbmcp::test;
    std::vector<Json> input = {modern(1, "tools/list")};
    auto out = serve_messages(input, {.page_size = 2});
    std::vector<std::string> names;
    Json result = response_to(out, 1)["result"];
    for (int id = 2; id < 10; ++id) {
      for (const auto& tool : result["tools"]) {
        names.push_back(tool["name"]);
      }
      if (!result.contains("nextCursor")) {
        break;
      }
      out = serve_messages({modern(id, "tools/list", {{"cursor", result["nextCursor"]}})}, {.page_size = 2});
      result = response_to(out, id)["result"];
    }
    CHECK(names == std::vector<std::string>{"echo", "fail", "steps", "gate", "block", "confirm"});
  }
}
