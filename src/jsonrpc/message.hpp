#pragma once

#include "jsonrpc/error.hpp"
#include "util/json.hpp"

#include <string>
#include <string_view>
#include <variant>

namespace dbmcp::jsonrpc {

// A request: `id` is a string or an integer; `params` is an object or an array (an empty
// object when the message had none).
struct Request
{
  Json id;
  std::string method;
  Json params;
};

// A message without an id: it never gets a reply.
struct Notification
{
  std::string method;
  Json params;
};

// A response the peer sent to a request of ours: `result` (null when it is an error response)
// or `error` (null when it is a result).
struct Response
{
  Json id;
  Json result;
  Json error;
};

// A message that is not valid JSON-RPC: answer `error` with `id` (null when unknown).
struct Invalid
{
  Json id;
  Error error;
};

using Message = std::variant<Request, Notification, Response, Invalid>;

// Parses one line of JSON in linear time; throws Error (k_parse_error) when it is not JSON or
// nests deeper than k_max_json_depth (util/json_parse.hpp), so nothing built from a message
// can overflow the stack when it is copied or printed.
Json parse_json(std::string_view text);

// Validates one JSON-RPC message object: jsonrpc "2.0", a string method, an id that is a string
// or an integer (never null, a fraction or a boolean), params an object or array when present.
// Takes the message by value so that params (a whole batch of rows, perhaps) move, never copy.
Message classify(Json value);

// True when `id` is a valid request id (a string or an integer).
bool is_valid_id(const Json& id);

// Response and notification objects.
Json result_response(const Json& id, Json result);
Json error_response(const Json& id, const Error& error);
Json notification(std::string_view method, Json params);

// One line of compact JSON (no newline); invalid UTF-8 in strings is replaced, never thrown.
std::string serialise(const Json& message);

} // namespace dbmcp::jsonrpc
