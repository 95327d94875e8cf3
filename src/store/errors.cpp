#include "store/errors.hpp"

namespace dbmcp::store {

std::string_view to_string(ErrorCode code)
{
  switch (code) {
  case ErrorCode::not_found: return "not_found";
  case ErrorCode::unique_violation: return "unique_violation";
  case ErrorCode::check_violation: return "check_violation";
  case ErrorCode::foreign_key_violation: return "foreign_key_violation";
  case ErrorCode::not_null_violation: return "not_null_violation";
  case ErrorCode::invalid_argument: return "invalid_argument";
  case ErrorCode::timeout: return "timeout";
  case ErrorCode::unavailable: return "unavailable";
  case ErrorCode::read_only: return "read_only";
  case ErrorCode::too_many_rows: return "too_many_rows";
  case ErrorCode::internal: return "internal";
  }
  return "internal";
}

StoreError not_found(const std::string& message)
{
  return {ErrorCode::not_found, message};
}

StoreError invalid_argument(const std::string& message)
{
  return {ErrorCode::invalid_argument, message};
}

StoreError unavailable(const std::string& message)
{
  return {ErrorCode::unavailable, message};
}

StoreError timeout(const std::string& message)
{
  return {ErrorCode::timeout, message};
}

StoreError read_only(const std::string& message)
{
  return {ErrorCode::read_only, message};
}

StoreError too_many_rows(const std::string& message, int64_t rows)
{
  return {ErrorCode::too_many_rows, message, {{"rows", rows}}};
}

} // namespace dbmcp::store
