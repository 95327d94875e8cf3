#pragma once

#include "store/schema.hpp"
#include "util/json.hpp"

#include <string_view>

struct st_mysql_field;

// Conversions between JSON values and MySQL values.
namespace dbmcp::backends::mysql {

// A result value of `field` fetched as text (or bytes) as JSON: DECIMAL as a number when a
// double holds it exactly, else its exact text; JSON documents parsed; binary strings and blobs
// as base64; dates, times and everything else as the server's text.
Json decode_text(const st_mysql_field& field, std::string_view text);

// `value` as bound for `column`: base64 text for a blob column as Json binary (throws
// invalid_argument naming the column when it is not base64), any value for a JSON column as its
// JSON text, booleans as 1/0, everything else as it is.
Json encode(const store::Column& column, const Json& value);

// The value kind of an information_schema DATA_TYPE ("int", "varchar", "decimal", …).
store::ValueKind value_kind(std::string_view data_type, std::string_view column_type);

} // namespace dbmcp::backends::mysql
