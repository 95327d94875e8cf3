#include "mcp/dispatcher.hpp"

#include "jsonrpc/error.hpp"
#include "mcp/capabilities.hpp"
#include "mcp/lifecycle_methods.hpp"
#include "mcp/resource_methods.hpp"
#include "mcp/tool_methods.hpp"

#include <array>

namespace dbmcp::mcp {
namespace {

// clang-format off
constexpr std::array k_methods = {
  //     name                        handler                    legacy modern pre-init immediate resources caching
  Method{"initialize",               handle_initialize,         true,  false, true,    true,     false, Caching::none},
  Method{"ping",                     handle_ping,               true,  false, true,    true,     false, Caching::none},
  Method{"server/discover",          handle_discover,           true,  true,  true,    true,     false, Caching::list},
  Method{"logging/setLevel",         handle_set_level,          true,  false, false,   true,     false, Caching::none},
  Method{"tools/list",               handle_tools_list,         true,  true,  false,   false,    false, Caching::list},
  Method{"tools/call",               handle_tools_call,         true,  true,  false,   false,    false, Caching::none},
  Method{"resources/list",           handle_resources_list,     true,  true,  false,   false,    true,  Caching::list},
  Method{"resources/templates/list", handle_resource_templates, true,  true,  false,   false,    true,  Caching::list},
  Method{"resources/read",           handle_resources_read,     true,  true,  false,   false,    true,  Caching::read},
  Method{"completion/complete",      handle_complete,           true,  true,  false,   false,    true,  Caching::none},
};
// clang-format on

void add_modern_envelope(Json& result, const Method& method, const Services& services)
{
  result["resultType"] = "complete";
  if (method.caching != Caching::none) {
    const auto& options = services.options;
    result["ttlMs"] = method.caching == Caching::read ? options.read_ttl_ms : options.list_ttl_ms;
    // Results describe the user's own database: no shared cache may reuse them.
    result["cacheScope"] = "private";
  }
  result["_meta"][k_server_info_key] = server_info(services.options, features_of(k_modern_version));
}

} // namespace

const Method& route(std::string_view name, const RequestScope& scope, const Services& services)
{
  for (const Method& method : k_methods) {
    if (method.name != name) {
      continue;
    }
    const bool in_era = scope.features.modern ? method.modern : method.legacy;
    if (!in_era || (method.needs_resources && services.resources == nullptr)) {
      break;
    }
    if (!scope.features.modern && !scope.initialized && !method.before_initialize) {
      throw jsonrpc::invalid_params(std::string(name) + " before initialize: send initialize first, or use "
                                    "protocol version 2026-07-28 with _meta[\"" + k_version_key +
                                    "\"] and _meta[\"" + k_capabilities_key + "\"] on every request");
    }
    return method;
  }
  throw jsonrpc::method_not_found(std::string(name));
}

Json run_method(const Method& method, const Services& services, const jsonrpc::Request& request,
                const RequestScope& scope, CallContext& ctx)
{
  Json result = method.handler(services, request, scope, ctx);
  if (scope.features.modern || method.name == "server/discover") {
    add_modern_envelope(result, method, services);
  }
  return result;
}

} // namespace dbmcp::mcp
