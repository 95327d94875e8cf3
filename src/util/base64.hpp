#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dbmcp {

// RFC 4648 base64url without padding (cursors) and standard base64 with padding (blobs).
std::string base64url_encode(std::string_view bytes);
// nullopt when `text` is not valid base64url.
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

} // namespace dbmcp
