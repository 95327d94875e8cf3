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
// Standard base64 (A-Z a-z 0-9 + /) to bytes; the one decoder of every backend's blobs. Padding is
// optional, but when present it is one or two '=' that end the text and complete its last group of
// four. nullopt for anything else: another character (whitespace, '-', '_'), '=' elsewhere, a
// length that leaves a lone sextet.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace dbmcp
