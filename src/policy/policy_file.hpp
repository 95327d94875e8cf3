#pragma once

#include "policy/policy.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace dbmcp::policy {

// A policy file that cannot be used. `what()` is one line naming the file, the key and, for
// TOML, the line: "policy.toml: line 4: tables.users.access: expected "read", "write", "hidden"
// or a list of operations, got "reed"".
class PolicyError : public std::runtime_error
{
public:
  using std::runtime_error::runtime_error;
};

enum class FileFormat { toml, json };

// JSON for a name ending in .json, TOML for one ending in .toml; otherwise JSON when the first
// character that is not white space is '{', else TOML.
FileFormat detect_format(std::string_view file_name, std::string_view text);

// Parses a policy's text; `source` names it in messages and becomes Policy::source. Throws
// PolicyError for a syntax error, an unknown key or a bad value. Names are not checked against a
// database here (policy_check.hpp does that).
Policy parse_policy(std::string_view text, FileFormat format, const std::string& source);

// Reads and parses the file at `path`; throws PolicyError when it cannot be read or parsed.
Policy load_policy_file(const std::string& path);

} // namespace dbmcp::policy
