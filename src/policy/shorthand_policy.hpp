#pragma once

#include "policy/policy.hpp"
#include "store/schema.hpp"

#include <string>

namespace dbmcp::policy {

// The access policy that --tables / --exclude-tables / --read-only stand for, when no policy
// file is given: with --tables, default_access hidden and each named table read/write; otherwise
// default_access read/write; each --exclude-tables table hidden (also when --tables names it);
// read_only as --read-only. `source` names the flags, for messages and `dbmcp config`.
Policy shorthand_policy(const store::Visibility& visibility, bool read_only, const std::string& source);

// "--tables, --read-only": the shorthand flags that are given, comma-separated.
std::string shorthand_flags(const store::Visibility& visibility, bool read_only);

} // namespace dbmcp::policy
