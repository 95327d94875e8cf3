#include "mcp/lifecycle_methods.hpp"

#include "jsonrpc/error.hpp"
#include "mcp/capabilities.hpp"
#include "mcp/elicitation.hpp"

namespace dbmcp::mcp {

Json handle_initialize(const Services& services, const jsonrpc::Request& request, const RequestScope&,
                       CallContext&)
{
  const Json& params = request.params;
  if (!params.is_object() || !params.contains("protocolVersion") || !params["protocolVersion"].is_string()) {
    throw jsonrpc::invalid_params("initialize needs a string protocolVersion");
  }
  const std::string version = negotiate_legacy(params["protocolVersion"].get<std::string>());
  services.session.initialize(version);
  services.session.set_client(client_identity(params.contains("clientInfo") ? params["clientInfo"] : Json()));
  services.session.set_form_elicitation(supports_form_elicitation(params.value("capabilities", Json())));
  const Features features = features_of(version);
  Json result = Json::object();
  result["protocolVersion"] = version;
  result["capabilities"] = server_capabilities(services, features);
  result["serverInfo"] = server_info(services.options, features);
  if (!services.options.instructions.empty()) {
    result["instructions"] = services.options.instructions;
  }
  return result;
}

Json handle_ping(const Services&, const jsonrpc::Request&, const RequestScope&, CallContext&)
{
  return Json::object();
}

Json handle_discover(const Services& services, const jsonrpc::Request&, const RequestScope&, CallContext&)
{
  const Features modern = features_of(k_modern_version);
  Json result = Json::object();
  result["supportedVersions"] = supported_versions();
  result["capabilities"] = server_capabilities(services, modern);
  if (!services.options.instructions.empty()) {
    result["instructions"] = services.options.instructions;
  }
  return result;
}

Json handle_set_level(const Services& services, const jsonrpc::Request& request, const RequestScope&, CallContext&)
{
  const Json& params = request.params;
  const auto level = params.is_object() && params.contains("level") && params["level"].is_string()
                         ? parse_log_level(params["level"].get<std::string>())
                         : std::nullopt;
  if (!level) {
    throw jsonrpc::invalid_params("level must be one of debug, info, notice, warning, error, critical, alert, "
                                  "emergency");
  }
  services.session.set_log_level(*level);
  return Json::object();
}

} // namespace dbmcp::mcp
