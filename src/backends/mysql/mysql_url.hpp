#pragma once

#include "backends/mysql/mysql_connection.hpp"

#include <string>

namespace dbmcp::backends::mysql {

// The connection parameters of mysql://user:password@host:port/database?ssl-mode=… (mariadb://
// alike); user, password and database percent-decoded. Query parameters: ssl-mode (disabled,
// preferred, required, verify_ca, verify_identity), ssl-ca, ssl-cert and ssl-key (also spelled with
// `_`, or libpq's sslmode, sslrootcert, sslcert, sslkey). Throws invalid_argument for a malformed
// URL, a missing database, an unknown parameter, or a client certificate without its key or the
// reverse, never quoting the password.
ConnectParams parse_url(const std::string& url);

} // namespace dbmcp::backends::mysql
