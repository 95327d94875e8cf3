#include "mcp/dispatcher.hpp"

#include "jsonrpc/error.hpp"
#include "mcp/capabilities.hpp"
#include "mcp/lifecycle_methods.hpp"
#include "mcp/resource_methods.hpp"
#include "mcp/tool_methods.hpp"
#include "mcp/wire_format.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <vector>

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
  if (!result.contains("resultType")) {
    result["resultType"] = "complete";  // a tools/call may have answered input_required
  }
  if (method.caching != Caching::none) {
    const auto& options = services.options;
    result["ttlMs"] = method.caching == Caching::read ? options.read_ttl_ms : options.list_ttl_ms;
    // Results describe the user's own database: no shared cache may reuse them.
    result["cacheScope"] = "private";
  }
  result["_meta"][k_server_info_key] = server_info(services.options, features_of(k_modern_version));
}

// At debug level, one stderr line per request once it is answered: method, tool, duration,
// rows (when the result has a rows list) and bytes, and the outcome.
class RequestLog
{
public:
  RequestLog(const Method& method, const jsonrpc::Request& request)
    : m_started(std::chrono::steady_clock::now()), m_what(std::string(method.name))
  {
    if (method.name == "tools/call" && request.params.is_object() && request.params.contains("name") &&
        request.params["name"].is_string()) {
      m_what += " " + request.params["name"].get<std::string>();
    }
  }

  void done(const Json& result) const
  {
    std::string outcome = "ok";
    std::string rows;
    if (const Json content = structured_content_of(result); content.is_object()) {
      if (const auto list = content.find("rows"); list != content.end() && list->is_array()) {
        rows = fmt::format(", {} rows", list->size());
      }
    }
    if (result.value("isError", false)) {
      outcome = "tool error " + error_code(result);
    }
    size_t bytes = result.dump().size();
    if (structured_from_text(result)) {
      bytes += result["content"][0]["text"].get_ref<const std::string&>().size() - k_structured_from_text.dump().size();
    }
    write(fmt::format("{}{}, {} bytes, {}", elapsed(), rows, bytes, outcome));
  }

  void failed(const std::string& message) const
  {
    write(fmt::format("{}, error: {}", elapsed(), message.substr(0, message.find('\n'))));
  }

private:
  // The `code` of a tool error: in structuredContent.error, or in _meta when the tool's output
  // schema leaves no room for it.
  static std::string error_code(const Json& result)
  {
    std::vector<const Json*> places;
    if (const auto content = result.find("structuredContent"); content != result.end() && content->is_object()) {
      if (const auto error = content->find("error"); error != content->end()) {
        places.push_back(&*error);
      }
    }
    if (const auto meta = result.find("_meta"); meta != result.end() && meta->is_object()) {
      for (const auto& [key, value] : meta->items()) {
        places.push_back(&value);
      }
    }
    for (const Json* place : places) {
      if (place->is_object() && place->contains("code") && (*place)["code"].is_string()) {
        return (*place)["code"].get<std::string>();
      }
    }
    return "";
  }

  std::string elapsed() const
  {
    return fmt::format("{:.2f} ms",
                       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_started).count());
  }
  void write(const std::string& details) const { log::write(LogLevel::debug, m_what + ": " + details); }

  std::chrono::steady_clock::time_point m_started;
  std::string m_what;
};

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
  if (log::stderr_level() > LogLevel::debug) {
    Json result = method.handler(services, request, scope, ctx);
    if (scope.features.modern || method.name == "server/discover") {
      add_modern_envelope(result, method, services);
    }
    return result;
  }
  const RequestLog entry(method, request);
  try {
    Json result = method.handler(services, request, scope, ctx);
    if (scope.features.modern || method.name == "server/discover") {
      add_modern_envelope(result, method, services);
    }
    entry.done(result);
    return result;
  } catch (const std::exception& e) {
    entry.failed(e.what());
    throw;
  }
}

} // namespace dbmcp::mcp
