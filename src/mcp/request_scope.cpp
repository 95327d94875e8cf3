#include "mcp/request_scope.hpp"

#include "jsonrpc/error.hpp"
#include "mcp/elicitation.hpp"

namespace dbmcp::mcp {
namespace {

const Json* find_meta(const Json& params)
{
  if (!params.is_object()) {
    return nullptr;
  }
  const auto it = params.find("_meta");
  return it != params.end() && it->is_object() ? &*it : nullptr;
}

Json progress_token_of(const Json* meta)
{
  if (meta == nullptr) {
    return nullptr;
  }
  const auto it = meta->find("progressToken");
  if (it == meta->end() || !(it->is_string() || it->is_number_integer())) {
    return nullptr;
  }
  return *it;
}

LogLevel parse_level(const Json& value)
{
  const auto level = value.is_string() ? parse_log_level(value.get<std::string>()) : std::nullopt;
  if (!level) {
    throw jsonrpc::invalid_params(std::string("_meta[\"") + k_log_level_key + "\"] must be one of debug, info, "
                                  "notice, warning, error, critical, alert, emergency");
  }
  return *level;
}

RequestScope modern_scope(const Json& meta)
{
  const auto caps = meta.find(k_capabilities_key);
  if (caps == meta.end() || !caps->is_object()) {
    throw jsonrpc::invalid_params(std::string("_meta[\"") + k_capabilities_key + "\"] (an object) is required");
  }
  RequestScope scope;
  scope.version = std::string(k_modern_version);
  scope.features = features_of(scope.version);
  if (const auto level = meta.find(k_log_level_key); level != meta.end()) {
    scope.log_level = parse_level(*level);
  }
  scope.form_elicitation = supports_form_elicitation(*caps);
  return scope;
}

} // namespace

Json client_identity(const Json& info)
{
  if (!info.is_object() || !info.contains("name") || !info["name"].is_string()) {
    return nullptr;
  }
  const auto bounded = [](const Json& value) { return value.get<std::string>().substr(0, 128); };
  Json identity = {{"name", bounded(info["name"])}};
  if (const auto version = info.find("version"); version != info.end() && version->is_string()) {
    identity["version"] = bounded(*version);
  }
  return identity;
}

RequestScope scope_of(const jsonrpc::Request& request, const Session& session)
{
  const Json* meta = find_meta(request.params);
  const auto version = meta ? meta->find(k_version_key) : Json::const_iterator();
  const bool has_version = meta && version != meta->end();
  if (has_version && !version->is_string()) {
    throw jsonrpc::invalid_params(std::string("_meta[\"") + k_version_key + "\"] must be a string");
  }
  RequestScope scope;
  if (has_version && *version == k_modern_version) {
    scope = modern_scope(*meta);
  } else if (has_version && !is_legacy_version(version->get<std::string>())) {
    throw jsonrpc::Error(jsonrpc::k_unsupported_protocol_version, "Unsupported protocol version",
                         Json{{"supported", supported_versions()}, {"requested", *version}});
  } else {
    const auto negotiated = session.version();
    scope.initialized = negotiated.has_value();
    scope.version = negotiated.value_or(negotiate_legacy(""));
    scope.features = features_of(scope.version);
    scope.log_level = session.log_level();
    scope.form_elicitation = scope.features.elicitation && session.form_elicitation();
  }
  scope.progress_token = progress_token_of(meta);
  const auto client = meta ? meta->find(k_client_info_key) : Json::const_iterator();
  scope.client = meta && client != meta->end() ? client_identity(*client) : session.client();
  return scope;
}

} // namespace dbmcp::mcp
