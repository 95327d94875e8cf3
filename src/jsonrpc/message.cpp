#include "jsonrpc/message.hpp"

#include "util/json_fast_dump.hpp"
#include "util/json_parse.hpp"

namespace dbmcp::jsonrpc {

Json parse_json(std::string_view text)
{
  std::string failure;
  auto value = parse_json_bounded(text, &failure);
  if (!value) {
    throw parse_error(failure);
  }
  return std::move(*value);
}

bool is_valid_id(const Json& id)
{
  return id.is_string() || id.is_number_integer();
}

namespace {

// The id to answer an invalid message with: its own when usable, else null.
Json usable_id(const Json& value)
{
  const auto it = value.find("id");
  return it != value.end() && is_valid_id(*it) ? *it : Json(nullptr);
}

} // namespace

Message classify(Json value)
{
  if (!value.is_object()) {
    return Invalid{nullptr, invalid_request("a message must be a JSON object")};
  }
  // The id an error answers is copied only when there is an error.
  const auto version = value.find("jsonrpc");
  if (version == value.end() || !version->is_string() || version->get_ref<const std::string&>() != "2.0") {
    return Invalid{usable_id(value), invalid_request("\"jsonrpc\" must be \"2.0\"")};
  }
  const auto method = value.find("method");
  const auto id_it = value.find("id");
  if (method == value.end()) {
    if (value.contains("result") || value.contains("error")) {
      const auto result = value.find("result");
      const auto error = value.find("error");
      return Response{id_it != value.end() ? *id_it : Json(nullptr),
                      result != value.end() ? std::move(*result) : Json(nullptr),
                      error != value.end() ? std::move(*error) : Json(nullptr)};
    }
    return Invalid{usable_id(value), invalid_request("\"method\" is missing")};
  }
  if (!method->is_string()) {
    return Invalid{usable_id(value), invalid_request("\"method\" must be a string")};
  }
  if (id_it != value.end() && !is_valid_id(*id_it)) {
    return Invalid{nullptr, invalid_request("\"id\" must be a string or an integer")};
  }
  Json params;
  if (const auto it = value.find("params"); it != value.end()) {
    if (!it->is_object() && !it->is_array()) {
      return Invalid{usable_id(value), invalid_request("\"params\" must be an object or an array")};
    }
    params = std::move(*it);
  } else {
    params = Json::object();
  }
  // `value` is this function's own: its method and id are moved out, not copied.
  std::string name = std::move(method->get_ref<std::string&>());
  if (id_it == value.end()) {
    return Notification{std::move(name), std::move(params)};
  }
  return Request{std::move(*id_it), std::move(name), std::move(params)};
}

Json result_response(const Json& id, Json result)
{
  Json response = Json::object();
  response["jsonrpc"] = "2.0";
  response["id"] = id;
  response["result"] = std::move(result);
  return response;
}

Json error_response(const Json& id, const Error& error)
{
  Json object = {{"code", error.code()}, {"message", error.what()}};
  if (!error.data().is_null()) {
    object["data"] = error.data();
  }
  Json response = Json::object();
  response["jsonrpc"] = "2.0";
  response["id"] = id;
  response["error"] = std::move(object);
  return response;
}

Json notification(std::string_view method, Json params)
{
  Json message = Json::object();
  message["jsonrpc"] = "2.0";
  message["method"] = method;
  message["params"] = std::move(params);
  return message;
}

std::string serialise(const Json& message)
{
  return dump_json(message);
}

} // namespace dbmcp::jsonrpc
