#include "mcp/confirmation_state.hpp"

#include "util/base64.hpp"
#include "util/hmac.hpp"

namespace dbmcp::mcp {
namespace {

int64_t unix_ms(std::chrono::system_clock::time_point when)
{
  return std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count();
}

// The signature of `payload` for a call of `tool` with `arguments`. The arguments are signed in
// one canonical form (keys sorted, compact), whatever order the client sent them in.
std::string signature(std::string_view tool, const Json& arguments, std::string_view payload)
{
  const std::string canonical = nlohmann::json::parse(arguments.dump()).dump();
  std::string message = "dbmcp confirmation\n";
  message.append(tool).append("\n").append(canonical).append("\n").append(payload);
  const Sha256Digest tag = hmac_sha256(process_secret_key(), message);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(tag.data()), tag.size()));
}

} // namespace

std::string seal_confirmation(std::string_view tool, const Json& arguments, int64_t rows,
                              std::chrono::system_clock::time_point now)
{
  const Json body = {{"rows", rows}, {"expires", unix_ms(now + k_confirmation_lifetime)}};
  const std::string payload = base64url_encode(body.dump());
  return payload + "." + signature(tool, arguments, payload);
}

std::optional<int64_t> open_confirmation(std::string_view state, std::string_view tool, const Json& arguments,
                                         std::chrono::system_clock::time_point now)
{
  const auto dot = state.find('.');
  if (dot == std::string_view::npos ||
      !constant_time_equal(signature(tool, arguments, state.substr(0, dot)), state.substr(dot + 1))) {
    return std::nullopt;
  }
  const auto decoded = base64url_decode(state.substr(0, dot));
  if (!decoded) {
    return std::nullopt;
  }
  const Json body = Json::parse(*decoded, nullptr, false);
  if (!body.is_object() || !body.contains("rows") || !body["rows"].is_number_integer() || !body.contains("expires") ||
      !body["expires"].is_number_integer()) {
    return std::nullopt;
  }
  if (body["expires"].get<int64_t>() < unix_ms(now)) {
    return std::nullopt;
  }
  return body["rows"].get<int64_t>();
}

} // namespace dbmcp::mcp
