#include "jsonrpc/error_mapping.hpp"

#include "jsonrpc/error.hpp"
#include "jsonrpc/message.hpp"

#include <stdexcept>

namespace dbmcp::jsonrpc {

Json error_response_for(const Json& id, std::exception_ptr error)
{
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    return error_response(id, e);
  } catch (const Json::type_error& e) {
    return error_response(id, invalid_params(e.what()));
  } catch (const Json::out_of_range& e) {
    return error_response(id, invalid_params(e.what()));
  } catch (const std::exception& e) {
    return error_response(id, internal_error(e.what()));
  } catch (...) {
    return error_response(id, internal_error("unknown exception"));
  }
}

} // namespace dbmcp::jsonrpc
