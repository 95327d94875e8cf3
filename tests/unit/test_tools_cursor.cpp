// Signed, bound-checked pagination cursors (issue 15 #9).
#include "store/errors.hpp"
#include "tools/cursor.hpp"
#include "util/base64.hpp"

#include <doctest/doctest.h>

#include <limits>

using namespace dbmcp;
using namespace dbmcp::tools;

namespace {

// The message of the invalid_argument that decoding `cursor` throws, or "decoded".
std::string refusal(const std::string& cursor, const std::string& fingerprint = "f1")
{
  try {
    decode_cursor(cursor, fingerprint);
  } catch (const store::StoreError& e) {
    CHECK(e.code() == store::ErrorCode::invalid_argument);
    return e.what();
  }
  return "decoded";
}

} // namespace

TEST_SUITE("tools::cursor")
{
  TEST_CASE("a cursor round-trips its offset and keyset")
  {
    const std::string cursor = encode_cursor("f1", 150, Json::array({"Ada", 7}));
    const CursorState state = decode_cursor(cursor, "f1");
    CHECK(state.offset == 150);
    REQUIRE(state.keyset);
    CHECK(Json(*state.keyset) == Json::array({"Ada", 7}));
    CHECK_FALSE(decode_cursor(encode_cursor("f1", 0, std::nullopt), "f1").keyset);
  }

  TEST_CASE("tampered, truncated, unsigned and foreign cursors are invalid_argument")
  {
    const std::string cursor = encode_cursor("f1", 100, Json::array({1}));
    std::string tampered = cursor;
    tampered[3] = tampered[3] == 'A' ? 'B' : 'A';
    const std::string payload = cursor.substr(0, cursor.find('.'));
    const std::string forged = base64url_encode(R"({"f":"f1","o":9223372036854775807})");
    for (const std::string& bad : {tampered, cursor.substr(0, cursor.size() - 1), cursor.substr(0, 10), payload,
                                   payload + ".", forged, forged + "." + cursor.substr(cursor.find('.') + 1),
                                   std::string("..."), std::string()}) {
      CAPTURE(bad);
      const std::string message = refusal(bad);
      CHECK(message.find("invalid cursor") == 0);
      CHECK(message.find("expired") != std::string::npos);
    }
    CHECK(refusal(cursor, "f2").find("invalid cursor") == 0);
  }

  TEST_CASE("a signed cursor whose offset is negative or huge is refused, never echoed")
  {
    for (const Json& offset : {Json(-1), Json(std::numeric_limits<int64_t>::min()),
                               Json(std::numeric_limits<int64_t>::max()), Json(std::numeric_limits<uint64_t>::max()),
                               Json(k_max_offset + 1), Json(1.5), Json("7")}) {
      CAPTURE(offset.dump());
      const std::string message = refusal(sign_cursor_state({{"f", "f1"}, {"o", offset}}));
      CHECK(message.find("invalid cursor") == 0);
      CHECK(message.find(offset.dump()) == std::string::npos);
    }
    CHECK(decode_cursor(sign_cursor_state({{"f", "f1"}, {"o", k_max_offset}}), "f1").offset == k_max_offset);
  }
}
