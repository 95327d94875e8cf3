#pragma once

#include "backends/mysql/mysql_connection.hpp"

#include <string>

namespace dbmcp::backends::mysql {

// The connection parameters of mysql://user:password@host:port/database?ssl-mode=… (mariadb://
// alike); user, password and database percent-decoded. Query parameters: ssl-mode (disabled,
// preferred, required, verify_ca, verify_identity) and ssl-ca. Throws invalid_argument for a
// malformed URL, a missing database or an unknown parameter, never quoting the password.
ConnectParams parse_url(const std::string& url);

} // namespace dbmcp::backends::mysql
