// Confirming a large write with the person (issue 16): elicitation/create sent to a legacy client
// and its response routed back to the waiting call; input_required and its sealed requestState on
// 2026-07-28; nothing asked of a client that did not declare form elicitation.
#include "mcp/confirmation_state.hpp"
#include "mcp/elicitation.hpp"
#include "test_mcp_harness.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

Json initialize_with(const Json& id, const std::string& version, const Json& capabilities)
{
  return request(id, "initialize", {{"protocolVersion", version}, {"capabilities", capabilities},
                                    {"clientInfo", {{"name", "test"}, {"version", "1"}}}});
}

const Json k_form = {{"elicitation", Json::object()}};

// A live legacy session of `version` that declared `capabilities`.
void handshake(LiveServer& live, const std::string& version, const Json& capabilities = k_form)
{
  live.send(initialize_with(1, version, capabilities));
  REQUIRE(live.response(1).contains("result"));
  live.send(notification("notifications/initialized"));
}

// The next message, which must be the server's elicitation/create request.
Json next_elicitation(LiveServer& live)
{
  const auto message = live.next();
  REQUIRE(message.has_value());
  REQUIRE((*message)["method"] == "elicitation/create");
  REQUIRE((*message)["id"].is_string());
  return *message;
}

Json answer(const Json& id, const Json& result)
{
  return {{"jsonrpc", "2.0"}, {"id", id}, {"result", result}};
}

Json accepted(bool apply = true)
{
  return {{"action", "accept"}, {"content", {{"apply", apply}}}};
}

Json modern_call(const Json& id, Json params, const Json& capabilities = k_form)
{
  params["_meta"] = {{k_version_key, "2026-07-28"}, {k_caps_key, capabilities}};
  return request(id, "tools/call", std::move(params));
}

} // namespace

TEST_SUITE("mcp: write confirmation")
{
  TEST_CASE("form elicitation is what the client declared: {} or form, never url alone")
  {
    CHECK(mcp::supports_form_elicitation({{"elicitation", Json::object()}}));
    CHECK(mcp::supports_form_elicitation({{"elicitation", {{"form", Json::object()}, {"url", Json::object()}}}}));
    CHECK_FALSE(mcp::supports_form_elicitation({{"elicitation", {{"url", Json::object()}}}}));
    CHECK_FALSE(mcp::supports_form_elicitation(Json::object()));
    CHECK_FALSE(mcp::supports_form_elicitation({{"elicitation", true}}));
  }

  TEST_CASE("an answer confirms only an accept with the field set")
  {
    CHECK(mcp::confirmation_answer(accepted(), 7).action == ConfirmAnswer::Action::accept);
    CHECK(mcp::confirmation_answer(accepted(), 7).rows == 7);
    CHECK(mcp::confirmation_answer(accepted(false), 7).action == ConfirmAnswer::Action::decline);
    CHECK(mcp::confirmation_answer({{"action", "accept"}}, 7).action == ConfirmAnswer::Action::decline);
    CHECK(mcp::confirmation_answer({{"action", "decline"}}, 7).action == ConfirmAnswer::Action::decline);
    CHECK(mcp::confirmation_answer({{"action", "cancel"}}, 7).action == ConfirmAnswer::Action::cancel);
    CHECK(mcp::confirmation_answer({{"action", "maybe"}}, 7).action == ConfirmAnswer::Action::unanswered);
    CHECK(mcp::confirmation_answer(Json::array(), 7).action == ConfirmAnswer::Action::unanswered);
  }

  TEST_CASE("a sealed confirmation opens only for the same tool and arguments, unaltered and in time")
  {
    const Json args = {{"table", "orders"}, {"where", {{"status", "open"}, {"id", {{"gt", 3}}}}}};
    const auto now = std::chrono::system_clock::now();
    const std::string state = mcp::seal_confirmation("update_records", args, 2345, now);
    CHECK(mcp::open_confirmation(state, "update_records", args, now) == 2345);
    // The same arguments in another key order verify: they are signed in one canonical form.
    const Json reordered = {{"where", {{"id", {{"gt", 3}}}, {"status", "open"}}}, {"table", "orders"}};
    CHECK(mcp::open_confirmation(state, "update_records", reordered, now) == 2345);
    CHECK_FALSE(mcp::open_confirmation(state, "delete_records", args, now));
    Json other = args;
    other["where"]["status"] = "closed";
    CHECK_FALSE(mcp::open_confirmation(state, "update_records", other, now));
    const auto later = now + mcp::k_confirmation_lifetime + std::chrono::seconds(1);
    CHECK_FALSE(mcp::open_confirmation(state, "update_records", args, later));
    // A payload naming another count with the signature of the first: refused.
    const std::string forged = mcp::seal_confirmation("update_records", args, 99999, now);
    const std::string spliced = forged.substr(0, forged.find('.')) + state.substr(state.find('.'));
    CHECK_FALSE(mcp::open_confirmation(spliced, "update_records", args, now));
    CHECK_FALSE(mcp::open_confirmation("", "update_records", args, now));
    CHECK_FALSE(mcp::open_confirmation("garbage", "update_records", args, now));
  }

  TEST_CASE("legacy 2025-06-18: elicitation/create goes out while the call waits; accept reaches the tool")
  {
    LiveServer live;
    handshake(live, "2025-06-18");
    live.send(request(2, "tools/call", {{"name", "confirm"}, {"arguments", {{"rows", 2345}}}}));
    const Json asked = next_elicitation(live);
    CHECK(asked["params"]["message"] == "confirm would change 2345 rows. Apply?");
    CHECK_FALSE(asked["params"].contains("mode"));  // ElicitRequest.mode exists from 2025-11-25
    const Json schema = asked["params"]["requestedSchema"];
    CHECK(schema["type"] == "object");
    CHECK(schema["properties"]["apply"]["type"] == "boolean");
    CHECK(schema["required"] == Json::array({"apply"}));
    live.send(answer(asked["id"], accepted()));
    const Json result = live.response(2)["result"];
    CHECK(result["isError"] == false);
    CHECK(result["structuredContent"]["action"] == "accept");
    CHECK(result["structuredContent"]["rows"] == 2345);
  }

  TEST_CASE("legacy 2025-11-25: form mode named; decline and cancel reach the tool")
  {
    LiveServer live;
    handshake(live, "2025-11-25", {{"elicitation", {{"form", Json::object()}}}});
    live.send(request(2, "tools/call", {{"name", "confirm"}}));
    Json asked = next_elicitation(live);
    CHECK(asked["params"]["mode"] == "form");
    live.send(answer(asked["id"], {{"action", "decline"}}));
    CHECK(live.response(2)["result"]["structuredContent"]["action"] == "decline");
    live.send(request(3, "tools/call", {{"name", "confirm"}}));
    asked = next_elicitation(live);
    live.send(answer(asked["id"], {{"action", "cancel"}}));
    CHECK(live.response(3)["result"]["structuredContent"]["action"] == "cancel");
  }

  TEST_CASE("legacy: an error response from the client leaves the question unanswered")
  {
    LiveServer live;
    handshake(live, "2025-06-18");
    live.send(request(2, "tools/call", {{"name", "confirm"}}));
    const Json asked = next_elicitation(live);
    live.send({{"jsonrpc", "2.0"}, {"id", asked["id"]}, {"error", {{"code", -32601}, {"message", "no forms here"}}}});
    const Json content = live.response(2)["result"]["structuredContent"];
    CHECK(content["action"] == "unanswered");
    CHECK(content["reason"].get<std::string>().find("no forms here") != std::string::npos);
  }

  TEST_CASE("no elicitation capability, a url-only one, or a version before 2025-06-18: nothing is asked")
  {
    const std::vector<std::pair<std::string, Json>> sessions = {
        {"2025-06-18", Json::object()}, {"2025-11-25", {{"elicitation", {{"url", Json::object()}}}}}, {"2025-03-26", k_form}};
    for (const auto& session : sessions) {
      // (clang 14 cannot capture a structured binding in CAPTURE's lambda)
      const std::string& version = session.first;
      const Json& capabilities = session.second;
      CAPTURE(version);
      const auto out = serve_messages({initialize_with(1, version, capabilities),
                                       notification("notifications/initialized"),
                                       request(2, "tools/call", {{"name", "confirm"}})});
      REQUIRE(out.size() == 2);  // the two responses, no request of the server
      const Json result = response_to(out, 2)["result"];
      CHECK(result["isError"] == true);
      CHECK(result["content"][0]["text"] == "the client cannot ask the person");
    }
  }

  TEST_CASE("legacy: a response to an id the server never used is ignored, and the session goes on")
  {
    LiveServer live;
    handshake(live, "2025-06-18");
    live.send(answer("dbmcp-999", accepted()));
    live.send(answer(42, accepted()));
    live.send(request(2, "ping"));
    const auto next = live.next();
    REQUIRE(next.has_value());
    CHECK((*next)["id"] == 2);  // the stray responses produced nothing
  }

  TEST_CASE("legacy: a call cancelled while it waits sends nothing more and withdraws its question")
  {
    LiveServer live;
    handshake(live, "2025-06-18");
    live.send(request(2, "tools/call", {{"name", "confirm"}}));
    const Json asked = next_elicitation(live);
    live.send(notification("notifications/cancelled", {{"requestId", 2}}));
    const auto withdrawn = live.next();
    REQUIRE(withdrawn.has_value());
    CHECK((*withdrawn)["method"] == "notifications/cancelled");
    CHECK((*withdrawn)["params"]["requestId"] == asked["id"]);
    live.send(answer(asked["id"], accepted()));  // too late: ignored
    live.send(request(3, "ping"));
    CHECK(live.response(3).contains("result"));
    CHECK(count_with_id(live.seen, 2) == 0);
  }

  TEST_CASE("legacy: the input ends while a call waits: it ends unanswered and serve() returns")
  {
    LiveServer live;
    handshake(live, "2025-06-18");
    live.send(request(2, "tools/call", {{"name", "confirm"}}));
    next_elicitation(live);
    live.close_input();
    const Json content = live.response(2)["result"]["structuredContent"];
    CHECK(content["action"] == "unanswered");
    CHECK(content["reason"].get<std::string>().find("closed its input") != std::string::npos);
    CHECK(live.join() == 0);
  }

  TEST_CASE("2026-07-28: input_required with a sealed requestState, then the retry carries the answer")
  {
    const Json call = {{"name", "confirm"}, {"arguments", {{"rows", 2345}}}};
    auto out = serve_messages({modern_call(1, call)});
    REQUIRE(out.size() == 1);
    const Json first = response_to(out, 1)["result"];
    CHECK(first["resultType"] == "input_required");
    CHECK_FALSE(first.contains("content"));
    const Json input = first["inputRequests"]["confirm_write"];
    CHECK(input["method"] == "elicitation/create");
    CHECK(input["params"]["mode"] == "form");
    CHECK(input["params"]["message"] == "confirm would change 2345 rows. Apply?");
    REQUIRE(first["requestState"].is_string());

    SUBCASE("accept: the tool gets the sealed count")
    {
      Json retry = call;
      retry["requestState"] = first["requestState"];
      retry["inputResponses"] = {{"confirm_write", accepted()}};
      out = serve_messages({modern_call(2, retry)});
      const Json result = response_to(out, 2)["result"];
      CHECK(result["resultType"] == "complete");
      CHECK(result["structuredContent"]["action"] == "accept");
      CHECK(result["structuredContent"]["rows"] == 2345);
    }
    SUBCASE("decline")
    {
      Json retry = call;
      retry["requestState"] = first["requestState"];
      retry["inputResponses"] = {{"confirm_write", {{"action", "decline"}}}};
      out = serve_messages({modern_call(2, retry)});
      CHECK(response_to(out, 2)["result"]["structuredContent"]["action"] == "decline");
    }
    SUBCASE("the state without an answer: asked again")
    {
      Json retry = call;
      retry["requestState"] = first["requestState"];
      out = serve_messages({modern_call(2, retry)});
      CHECK(response_to(out, 2)["result"]["resultType"] == "input_required");
    }
    SUBCASE("an answer without the state: asked again, never taken on the client's word")
    {
      Json retry = call;
      retry["inputResponses"] = {{"confirm_write", accepted()}};
      out = serve_messages({modern_call(2, retry)});
      CHECK(response_to(out, 2)["result"]["resultType"] == "input_required");
    }
    SUBCASE("a forged or misapplied state is -32602")
    {
      std::string state = first["requestState"].get<std::string>();
      state[state.size() / 2] = state[state.size() / 2] == 'A' ? 'B' : 'A';
      Json forged = call;
      forged["requestState"] = state;
      forged["inputResponses"] = {{"confirm_write", accepted()}};
      Json other_args = call;
      other_args["arguments"]["rows"] = 99999;
      other_args["requestState"] = first["requestState"];
      other_args["inputResponses"] = {{"confirm_write", accepted()}};
      out = serve_messages({modern_call(2, forged), modern_call(3, other_args)});
      CHECK(response_to(out, 2)["error"]["code"] == -32602);
      CHECK(response_to(out, 3)["error"]["code"] == -32602);
    }
  }

  TEST_CASE("2026-07-28 without form elicitation in the request's capabilities: nothing is asked")
  {
    const auto out = serve_messages({modern_call(1, {{"name", "confirm"}}, Json::object())});
    const Json result = response_to(out, 1)["result"];
    CHECK(result["resultType"] == "complete");
    CHECK(result["isError"] == true);
  }
}
