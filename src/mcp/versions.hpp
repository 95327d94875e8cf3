#pragma once

#include "util/json.hpp"

#include <string>
#include <string_view>

namespace dbmcp::mcp {

// The stateless revision: no handshake, per-request _meta.
inline constexpr std::string_view k_modern_version = "2026-07-28";

// True for the handshake revisions this server speaks: 2024-11-05, 2025-03-26, 2025-06-18,
// 2025-11-25.
bool is_legacy_version(std::string_view version);
// The version initialize answers for `requested`: the same when supported, else our latest
// legacy one (2025-11-25).
std::string negotiate_legacy(std::string_view requested);
// Every version this server supports, newest first (2026-07-28 first).
Json supported_versions();

// What a protocol revision has, for shaping results. The modern revision has everything.
struct Features
{
  bool modern = false;
  bool batches = false;             // 2025-03-26 only
  bool annotations = false;         // tool annotations, completions, progress message: 2025-03-26+
  bool structured_content = false;  // title, outputSchema, structuredContent: 2025-06-18+
  bool elicitation = false;         // elicitation/create: 2025-06-18+ (2026-07-28: inside input_required)
};

// The features of `version`, a legacy version or k_modern_version.
Features features_of(std::string_view version);

} // namespace dbmcp::mcp
