#pragma once

#include "util/json.hpp"

#include <string>
#include <string_view>

// How a BLOB travels in JSON: {"$base64": "<standard base64>", "bytes": N}, marked so that a
// model never mistakes it for text. Every backend answers this shape and accepts it on write,
// as well as a bare base64 string (the older form).
namespace dbmcp {

inline constexpr std::string_view k_blob_key = "$base64";

// {"$base64": base64 of `bytes`, "bytes": its length}.
Json blob_json(std::string_view bytes);

// The base64 text of a blob value for writing: a bare string, or the "$base64" member of a
// marked object; nullptr for anything else (the caller names the column in its error).
const std::string* blob_base64_text(const Json& value);

} // namespace dbmcp
