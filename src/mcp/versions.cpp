#include "mcp/versions.hpp"

#include <algorithm>
#include <array>

namespace dbmcp::mcp {
namespace {

// Oldest first; ISO dates compare correctly as strings.
constexpr std::array<std::string_view, 4> k_legacy_versions = {"2024-11-05", "2025-03-26", "2025-06-18",
                                                               "2025-11-25"};

} // namespace

bool is_legacy_version(std::string_view version)
{
  return std::find(k_legacy_versions.begin(), k_legacy_versions.end(), version) != k_legacy_versions.end();
}

std::string negotiate_legacy(std::string_view requested)
{
  return std::string(is_legacy_version(requested) ? requested : k_legacy_versions.back());
}

Json supported_versions()
{
  Json versions = Json::array({k_modern_version});
  for (auto it = k_legacy_versions.rbegin(); it != k_legacy_versions.rend(); ++it) {
    versions.push_back(*it);
  }
  return versions;
}

Features features_of(std::string_view version)
{
  Features features;
  features.modern = version == k_modern_version;
  features.batches = version == "2025-03-26";
  features.annotations = features.modern || version >= std::string_view("2025-03-26");
  features.structured_content = features.modern || version >= std::string_view("2025-06-18");
  features.elicitation = features.structured_content;
  return features;
}

} // namespace dbmcp::mcp
