#pragma once

#include "util/json.hpp"

#include <exception>

namespace dbmcp::jsonrpc {

// The one place where an exception becomes a wire error: the error response to request `id`
// for `error`. jsonrpc::Error keeps its code, message and data; a JSON type or range error
// (a parameter of the wrong type or missing) is -32602; anything else is -32603 with its
// message. `error` must not be null.
Json error_response_for(const Json& id, std::exception_ptr error);

} // namespace dbmcp::jsonrpc
