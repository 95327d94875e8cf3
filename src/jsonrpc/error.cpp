#include "jsonrpc/error.hpp"

namespace dbmcp::jsonrpc {

Error parse_error(const std::string& detail)
{
  return Error(k_parse_error, "Parse error: " + detail);
}

Error invalid_request(const std::string& message)
{
  return Error(k_invalid_request, "Invalid request: " + message);
}

Error method_not_found(const std::string& method)
{
  return Error(k_method_not_found, "Method not found: " + method, Json{{"method", method}});
}

Error invalid_params(const std::string& message)
{
  return Error(k_invalid_params, "Invalid params: " + message);
}

Error internal_error(const std::string& message)
{
  return Error(k_internal_error, "Internal error: " + message);
}

} // namespace dbmcp::jsonrpc
