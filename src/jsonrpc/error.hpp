#pragma once

#include "jsonrpc/error_codes.hpp"
#include "util/json.hpp"

#include <stdexcept>
#include <string>

namespace dbmcp::jsonrpc {

// A failure the peer sees as a JSON-RPC error object {code, message, data?}. Handlers throw it;
// error_response_for() turns it into the response.
class Error : public std::runtime_error
{
public:
  Error(int code, const std::string& message, Json data = nullptr)
    : std::runtime_error(message), m_code(code), m_data(std::move(data))
  {
  }
  int code() const { return m_code; }
  // null when the error has no data member.
  const Json& data() const { return m_data; }

private:
  int m_code;
  Json m_data;
};

Error parse_error(const std::string& detail);
Error invalid_request(const std::string& message);
Error method_not_found(const std::string& method);
Error invalid_params(const std::string& message);
Error internal_error(const std::string& message);

} // namespace dbmcp::jsonrpc
