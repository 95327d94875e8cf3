#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

// Where settings come from, before they are merged (DESIGN.md section 1.1). Every source is a map
// from the setting's environment name (DATABASE_URL, DB_PASSWORD, ...) to its raw text.
namespace dbmcp::config {

using Values = std::map<std::string, std::string>;

// Parses .env text: `KEY=value` lines, optional `export ` prefix, `#` comments and blank lines,
// values optionally in single quotes (literal) or double quotes (\n, \" and \\ escapes); an
// unquoted value ends at ` #`. Throws Fatal naming the line for anything else.
Values parse_env_file(std::string_view text, const std::string& path);

// Reads and parses the file at `path`; Fatal when it cannot be read.
Values read_env_file(const std::string& path);

// One setting per regular file in `dir`: the file `db_password` gives DB_PASSWORD, its content
// without the trailing newline. A missing directory gives no values; an unreadable file is Fatal.
Values read_secrets_dir(const std::string& dir);

} // namespace dbmcp::config
