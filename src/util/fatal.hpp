#pragma once

#include <stdexcept>
#include <string>

namespace dbmcp {

// A failure that ends the process: caught once in cli::run, printed as one line on stderr and
// mapped to `exit_code` (2 for usage and configuration errors, 1 for an unreachable database).
class Fatal : public std::runtime_error
{
public:
  explicit Fatal(const std::string& message, int exit_code = 2) : std::runtime_error(message), m_exit_code(exit_code)
  {
  }
  int exit_code() const { return m_exit_code; }

private:
  int m_exit_code;
};

} // namespace dbmcp
