#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), small and dependency-free: the executable
// links no crypto library, and signing cursors is all they are for.
namespace dbmcp {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest sha256(std::string_view data);

Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

// Whether `a` and `b` are equal, in time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

// A key of 32 random bytes drawn once per process (std::random_device), for signing tokens the
// process hands out and later checks: a token signed by an earlier process does not verify.
const std::string& process_secret_key();

} // namespace dbmcp
