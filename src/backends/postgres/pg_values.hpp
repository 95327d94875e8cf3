#pragma once

#include "store/query.hpp"
#include "store/schema.hpp"
#include "util/json.hpp"

#include <optional>
#include <string>
#include <string_view>

// Conversions between JSON values and PostgreSQL's text format. Every value travels as a text
// parameter (or NULL); the server casts it to the column's type.
namespace dbmcp::backends::postgres {

using Param = std::optional<std::string>;

// null -> NULL, true/false -> "true"/"false", numbers in their shortest exact form, strings as
// they are, arrays and objects as JSON text (for json/jsonb columns).
Param to_param(const Json& value);
// As to_param(), but a base64 string for a bytea `column` becomes bytea hex input ("\x…"), and
// any value for a json/jsonb `column` is sent as its JSON text.
// Throws invalid_argument when a blob value is not base64.
Param to_param(const Json& value, const store::Column& column);

// A result field of type `type_oid` in text format as JSON: integers, floating point and
// numeric as numbers (numeric as a string when a double would lose digits), booleans, json and
// jsonb parsed (or {"$json_text": text} when the JSON library cannot hold the value: see
// json_value in pg_values.cpp), bytea as base64, everything else as its text.
Json from_text(const char* text, unsigned type_oid);

// The value kind for a type from pg_type: `type_name` (e.g. "int4") and `category`
// (pg_type.typcategory, e.g. 'S' for strings).
store::ValueKind value_kind(std::string_view type_name, char category);

// Throws invalid_argument naming `column` when `value` (or an item of an array `value`) is a
// string holding a NUL character: PostgreSQL text cannot store one, and libpq would cut the
// string at it, so a filter or a stored value would silently mean its prefix.
void refuse_nul(std::string_view column, const Json& value);

// refuse_nul() for every value a statement would bind: `values` (may be null) and the
// conditions of `where` (may be null).
void refuse_nul(const store::Row* values, const std::vector<store::Condition>* where);

// Appends `value` for `column` as one COPY text field, the text of to_param(value, column) with
// backslash, tab, newline and carriage return escaped; NULL is \N. Strings and integers go
// straight into `line`, without an intermediate string.
void append_copy_field(std::string& line, const Json& value, const store::Column& column);

} // namespace dbmcp::backends::postgres
