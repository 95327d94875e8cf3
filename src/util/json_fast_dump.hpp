#pragma once

#include "util/json.hpp"

#include <string>

namespace dbmcp {

// `value` as compact JSON text: exactly the bytes of value.dump(-1, ' ', false,
// Json::error_handler_t::replace), the form of every protocol line and tool result text, written
// without nlohmann's serializer (which decodes each byte of each string through a state machine and
// writes through a virtual call). Runs of plain ASCII are copied whole. A value with an invalid UTF-8
// string, a binary or a discarded value anywhere in it is written by nlohmann's serializer instead,
// whose replacement rules then apply; floating-point numbers are always written by it.
std::string dump_json(const Json& value);

// Appends dump_json(`value`) to `out`.
void append_json(std::string& out, const Json& value);

} // namespace dbmcp
