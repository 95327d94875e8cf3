#include "mcp/resource_methods.hpp"

#include "jsonrpc/error.hpp"
#include "mcp/pagination.hpp"

namespace dbmcp::mcp {
namespace {

constexpr size_t k_max_completions = 100;

const tools::Resources& resources_of(const Services& services)
{
  if (services.resources == nullptr) {
    // The dispatcher only routes resource methods when there are resources.
    throw jsonrpc::internal_error("no resources");
  }
  return *services.resources;
}

// The string member `key` of `object`; -32602 naming `what` when absent or not a string.
std::string string_member(const Json& object, const char* key, const std::string& what)
{
  if (!object.is_object() || !object.contains(key) || !object[key].is_string()) {
    throw jsonrpc::invalid_params(what + " needs a string " + key);
  }
  return object[key].get<std::string>();
}

} // namespace

Json handle_resources_list(const Services& services, const jsonrpc::Request& request, const RequestScope&,
                           CallContext&)
{
  const auto all = resources_of(services).list();
  const PageSlice page = paginate(request.params, all.size(), services.options.page_size);
  Json list = Json::array();
  for (size_t i = page.begin; i < page.end; ++i) {
    list.push_back(all[i]);
  }
  Json result = {{"resources", std::move(list)}};
  add_next_cursor(result, page);
  return result;
}

Json handle_resource_templates(const Services& services, const jsonrpc::Request&, const RequestScope&,
                               CallContext&)
{
  Json list = Json::array();
  for (auto& entry : resources_of(services).templates()) {
    list.push_back(std::move(entry));
  }
  return {{"resourceTemplates", std::move(list)}};
}

Json handle_resources_read(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                           CallContext&)
{
  const std::string uri = string_member(request.params, "uri", "resources/read");
  auto contents = resources_of(services).read(uri);
  if (!contents) {
    const int code = scope.features.modern ? jsonrpc::k_invalid_params : jsonrpc::k_resource_not_found;
    throw jsonrpc::Error(code, "Resource not found: " + uri, Json{{"uri", uri}});
  }
  return {{"contents", std::move(*contents)}};
}

Json handle_complete(const Services& services, const jsonrpc::Request& request, const RequestScope&,
                     CallContext&)
{
  const Json& params = request.params;
  const Json ref = params.is_object() ? params.value("ref", Json()) : Json();
  const Json argument = params.is_object() ? params.value("argument", Json()) : Json();
  const std::string type = string_member(ref, "type", "completion/complete ref");
  if (type != "ref/resource") {
    throw jsonrpc::invalid_params("no completions for " + type + " (this server has no prompts)");
  }
  const std::string uri = string_member(ref, "uri", "completion/complete ref");
  const std::string name = string_member(argument, "name", "completion/complete argument");
  const std::string value = argument.contains("value") && argument["value"].is_string()
                                ? argument["value"].get<std::string>()
                                : std::string();
  const auto values = resources_of(services).complete(uri, name, value);
  Json list = Json::array();
  for (size_t i = 0; i < values.size() && i < k_max_completions; ++i) {
    list.push_back(values[i]);
  }
  Json completion = {{"values", std::move(list)},
                     {"total", values.size()},
                     {"hasMore", values.size() > k_max_completions}};
  return {{"completion", std::move(completion)}};
}

} // namespace dbmcp::mcp
