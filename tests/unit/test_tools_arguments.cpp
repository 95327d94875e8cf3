#include "tools/arguments.hpp"
#include "tools/registry.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;

TEST_SUITE("tools::Arguments")
{
  TEST_CASE("Arguments: unknown names are refused with a suggestion")
  {
    const Json arguments = Json::parse(R"({"tabel": "users"})");
    try {
      tools::Arguments args(arguments, {"table", "where"});
      FAIL("expected ToolError");
    } catch (const tools::ToolError& e) {
      CHECK(e.code() == "invalid_argument");
      CHECK(std::string(e.what()) == "unknown argument 'tabel'; did you mean 'table'?");
    }
  }

  TEST_CASE("Arguments: typed access with ranges and defaults")
  {
    const Json arguments = Json::parse(R"({"table": "users", "limit": 5, "flag": true, "cols": ["a", "b"], "one": "x"})");
    const tools::Arguments args(arguments, {"table", "limit", "flag", "cols", "one", "absent"});
    CHECK(args.required_string("table") == "users");
    CHECK(args.integer("limit", 1, 1, 10) == 5);
    CHECK(args.integer("absent", 7, 1, 10) == 7);
    CHECK(args.boolean("flag", false));
    CHECK(args.strings("cols") == std::vector<std::string>{"a", "b"});
    CHECK(args.strings("one") == std::vector<std::string>{"x"});
    CHECK_THROWS_WITH_AS(args.integer("limit", 1, 10, 20), "argument 'limit' must be between 10 and 20, got 5",
                         tools::ToolError);
    CHECK_THROWS_WITH_AS(args.required_string("absent"), "missing required argument 'absent'", tools::ToolError);
    CHECK_THROWS_AS(args.integer("table", 1, 1, 10), tools::ToolError);
    // 2^64-1 parses as an unsigned integer: reported as sent, not wrapped to -1.
    const Json huge = Json::parse(R"({"limit": 18446744073709551615})");
    CHECK_THROWS_WITH_AS(tools::Arguments(huge, {"limit"}).integer("limit", 1, 1, 1000),
                         "argument 'limit' must be between 1 and 1000, got 18446744073709551615", tools::ToolError);
  }

  TEST_CASE("Arguments: a non-object is refused; null means no arguments")
  {
    CHECK_THROWS_AS(tools::Arguments(Json::array(), {"table"}), tools::ToolError);
    const Json none = nullptr;
    const tools::Arguments args(none, {"table"});
    CHECK_FALSE(args.has("table"));
  }
}

TEST_SUITE("tools::Registry")
{
  TEST_CASE("Registry: failures become error results with a code; Cancelled propagates")
  {
    tools::Registry registry;
    registry.add({"ok", "Ok", "", Json::object(), nullptr, true, false, true,
                  [](const Json& a, CallContext&) { return Json{{"echo", a}}; }});
    registry.add({"bad", "Bad", "", Json::object(), nullptr, true, false, true,
                  [](const Json&, CallContext&) -> Json { throw tools::ToolError("not_found", "user 4 not found"); }});
    registry.add({"stop", "Stop", "", Json::object(), nullptr, true, false, true,
                  [](const Json&, CallContext& ctx) -> Json {
                    ctx.cancel();
                    ctx.throw_if_cancelled();
                    return nullptr;
                  }});
    CallContext ctx;
    const auto ok = registry.call(*registry.find("ok"), Json{{"x", 1}}, ctx);
    CHECK_FALSE(ok.is_error);
    CHECK(ok.structured["echo"]["x"] == 1);
    const auto bad = registry.call(*registry.find("bad"), Json::object(), ctx);
    CHECK(bad.is_error);
    CHECK(bad.structured["error"]["code"] == "not_found");
    CHECK(bad.text == "user 4 not found");
    CHECK(registry.find("missing") == nullptr);
    CallContext cancelled;
    CHECK_THROWS_AS(registry.call(*registry.find("stop"), Json::object(), cancelled), Cancelled);
  }
}
