#include "mcp/tool_methods.hpp"

#include "jsonrpc/error.hpp"
#include "mcp/confirmation_state.hpp"
#include "mcp/elicitation.hpp"
#include "mcp/pagination.hpp"
#include "mcp/wire_format.hpp"

namespace dbmcp::mcp {

namespace {

// The key of the confirmation in inputRequests and inputResponses.
constexpr const char* k_confirmation_key = "confirm_write";

// 2026-07-28 (multi round-trip requests): a confirmation sink for the call `params` of `tool`
// with `arguments`. A first call is answered input_required: the elicitation in inputRequests and
// a requestState sealing the count asked about (mcp/confirmation_state.hpp). The client calls
// again with the same arguments, that requestState and the person's ElicitResult in
// inputResponses: the answer then applies to the sealed count, never to one the client names.
// A requestState that does not verify is -32602; a retry without the answer is asked again.
void attach_input_required(CallContext& ctx, const Json& params, const tools::Tool& tool, const Json& arguments)
{
  std::optional<ConfirmAnswer> answered;
  if (const auto state = params.find("requestState"); state != params.end()) {
    const auto rows =
        state->is_string() ? open_confirmation(state->get<std::string>(), tool.name, arguments) : std::nullopt;
    if (!rows) {
      throw jsonrpc::invalid_params("requestState does not verify for this tool and these arguments (altered, "
                                    "expired, or from another server process); call again without it");
    }
    const auto responses = params.find("inputResponses");
    if (responses != params.end() && responses->is_object() && responses->contains(k_confirmation_key)) {
      answered = confirmation_answer((*responses)[k_confirmation_key], *rows);
      if (answered->action == ConfirmAnswer::Action::unanswered) {
        throw jsonrpc::invalid_params(std::string("inputResponses.") + k_confirmation_key + ": " + answered->reason);
      }
    }
  }
  ctx.set_confirm_sink([answered, name = tool.name, arguments](const Confirmation& question) -> ConfirmAnswer {
    if (answered) {
      return *answered;
    }
    Json input = {{"method", "elicitation/create"}, {"params", confirmation_params(question, true)}};
    throw InputRequired({{"resultType", "input_required"},
                         {"inputRequests", {{k_confirmation_key, std::move(input)}}},
                         {"requestState", seal_confirmation(name, arguments, question.rows)}});
  });
}

} // namespace

Json tool_descriptor(const tools::Tool& tool, const Features& features)
{
  Json entry = Json::object();
  entry["name"] = tool.name;
  if (features.structured_content && !tool.title.empty()) {
    entry["title"] = tool.title;
  }
  entry["description"] = tool.description;
  entry["inputSchema"] = tool.input_schema;
  if (features.structured_content && tool.output_schema.is_object()) {
    entry["outputSchema"] = tool.output_schema;
  }
  if (features.annotations) {
    // The title once (top level where the version has it); a hint only where it differs from the
    // specification's default (readOnlyHint false, destructiveHint true, idempotentHint false,
    // openWorldHint true), and the write hints only on tools that write, the only place they mean
    // something. Every byte here is paid in the model's context on every conversation.
    Json annotations = Json::object();
    if (!features.structured_content && !tool.title.empty()) {
      annotations["title"] = tool.title;
    }
    if (tool.read_only_hint) {
      annotations["readOnlyHint"] = true;
    } else {
      if (!tool.destructive_hint) {
        annotations["destructiveHint"] = false;
      }
      if (tool.idempotent_hint) {
        annotations["idempotentHint"] = true;
      }
    }
    annotations["openWorldHint"] = false;
    entry["annotations"] = std::move(annotations);
  }
  return entry;
}

Json call_result(const tools::Tool& tool, tools::CallResult result, const Features& features)
{
  Json answer = Json::object();
  // Room for every field it may get, the modern envelope's included (dispatcher.cpp): one
  // allocation instead of a vector grown four times, its keys copied each time.
  answer.get_ref<Json::object_t&>().reserve(8);
  Json block = Json::object();
  block["type"] = "text";
  block["text"] = std::move(result.text);
  answer["content"] = Json::array({std::move(block)});
  const bool conforming = !result.is_error || !tool.output_schema.is_object();
  if (features.structured_content && !result.structured.is_null() && conforming) {
    // A success's text is its result serialised: the same bytes go out as structuredContent.
    answer["structuredContent"] = result.is_error ? std::move(result.structured) : k_structured_from_text;
  }
  answer["isError"] = result.is_error;
  if (result.is_error && !conforming && result.structured.contains("error")) {
    answer["_meta"][k_error_meta_key] = result.structured["error"];
  }
  return answer;
}

Json handle_tools_list(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                       CallContext&)
{
  const auto& all = services.tools.tools();
  const PageSlice page = paginate(request.params, all.size(), services.options.page_size);
  Json list = Json::array();
  for (size_t i = page.begin; i < page.end; ++i) {
    list.push_back(tool_descriptor(all[i], scope.features));
  }
  Json result = {{"tools", std::move(list)}};
  add_next_cursor(result, page);
  return result;
}

Json handle_tools_call(const Services& services, const jsonrpc::Request& request, const RequestScope& scope,
                       CallContext& ctx)
{
  const Json& params = request.params;
  if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
    throw jsonrpc::invalid_params("tools/call needs a string name");
  }
  const std::string name = params["name"].get<std::string>();
  const tools::Tool* tool = services.tools.find(name);
  if (tool == nullptr) {
    throw jsonrpc::invalid_params("Unknown tool: " + name);
  }
  const auto arguments = params.find("arguments");
  if (arguments != params.end() && !arguments->is_object() && !arguments->is_null()) {
    throw jsonrpc::invalid_params("tools/call arguments must be an object");
  }
  // Referenced, never copied: the arguments of insert_records can be most of a large line.
  static const Json k_no_arguments = Json::object();
  const Json& args = arguments != params.end() && arguments->is_object() ? *arguments : k_no_arguments;
  ctx.set_client(scope.client);
  if (scope.features.modern && scope.form_elicitation) {
    attach_input_required(ctx, params, *tool, args);
  }
  try {
    return call_result(*tool, services.tools.call(*tool, args, ctx), scope.features);
  } catch (const InputRequired& asked) {
    return asked.result();
  }
}

} // namespace dbmcp::mcp
