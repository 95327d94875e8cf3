#include "mcp/capabilities.hpp"

namespace dbmcp::mcp {

Json server_capabilities(const Services& services, const Features& features)
{
  Json capabilities = Json::object();
  capabilities["tools"] = {{"listChanged", false}};
  if (services.resources != nullptr) {
    capabilities["resources"] = {{"subscribe", false}, {"listChanged", false}};
    if (features.annotations) {
      capabilities["completions"] = Json::object();
    }
  }
  if (!features.modern) {
    capabilities["logging"] = Json::object();
  }
  return capabilities;
}

Json server_info(const ServerOptions& options, const Features& features)
{
  // Built field by field: sent with every modern result, and an initializer list costs several
  // times as many allocations.
  Json info = Json::object();
  info.get_ref<Json::object_t&>().reserve(3);
  info["name"] = options.name;
  info["version"] = options.version.empty() ? "0" : options.version;
  if (features.structured_content && !options.title.empty()) {
    info["title"] = options.title;
  }
  return info;
}

} // namespace dbmcp::mcp
