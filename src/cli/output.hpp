#pragma once

#include "util/json.hpp"

#include <iosfwd>
#include <string>
#include <vector>

// How the admin subcommands print: aligned text for a person at a terminal, JSON for scripts.
namespace dbmcp::cli {

// True when `--json` was given or stdout is not a terminal.
bool wants_json(bool json_flag);

// Prints `value` as indented JSON and a newline.
void print_json(std::ostream& out, const Json& value);

// Prints `value` for a person: scalars as aligned "key  value" lines (nested objects as
// "parent.key"), arrays of objects as aligned tables under their key.
void print_human(std::ostream& out, const Json& value);

// Prints `rows` (arrays of cells) as columns padded to the widest cell, `header` first.
void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows);

} // namespace dbmcp::cli
