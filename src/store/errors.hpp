#pragma once

#include "util/json.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dbmcp::store {

// The machine-readable codes a tool error carries (DESIGN.md section 1.2).
enum class ErrorCode {
  not_found,
  unique_violation,
  check_violation,
  foreign_key_violation,
  not_null_violation,
  invalid_argument,
  timeout,
  unavailable,
  read_only,
  too_many_rows, // a bounded write matched more rows than its limit, and was rolled back
  internal,
};

std::string_view to_string(ErrorCode code);

// Every failure a Store reports. `what()` is one line a person can act on
// ("email 'a@b.c' already exists in users (unique)"); `details` holds machine-readable extras
// such as {"row": 5012} for the failing row of a batch.
class StoreError : public std::runtime_error
{
public:
  StoreError(ErrorCode code, const std::string& message, Json details = Json::object())
    : std::runtime_error(message), m_code(code), m_details(std::move(details))
  {
  }

  ErrorCode code() const { return m_code; }
  const Json& details() const { return m_details; }

private:
  ErrorCode m_code;
  Json m_details;
};

// Named constructors, so that call sites read as what happened.
StoreError not_found(const std::string& message);
StoreError invalid_argument(const std::string& message);
StoreError unavailable(const std::string& message);
StoreError timeout(const std::string& message);
StoreError read_only(const std::string& message);
StoreError too_many_rows(const std::string& message, int64_t rows);

} // namespace dbmcp::store
