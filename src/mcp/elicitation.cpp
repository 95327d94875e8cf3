#include "mcp/elicitation.hpp"

namespace dbmcp::mcp {

bool supports_form_elicitation(const Json& capabilities)
{
  if (!capabilities.is_object()) {
    return false;
  }
  const auto elicitation = capabilities.find("elicitation");
  if (elicitation == capabilities.end() || !elicitation->is_object()) {
    return false;
  }
  return elicitation->empty() || elicitation->contains("form");
}

Json confirmation_params(const Confirmation& question, bool with_mode)
{
  Json field = {{"type", "boolean"},
                {"title", "Apply this change"},
                {"description", "Yes carries out the write; no leaves the database unchanged"},
                {"default", false}};
  Json schema = {{"type", "object"},
                 {"properties", {{k_confirm_field, std::move(field)}}},
                 {"required", Json::array({k_confirm_field})}};
  Json params = Json::object();
  if (with_mode) {
    params["mode"] = "form";
  }
  params["message"] = question.message;
  params["requestedSchema"] = std::move(schema);
  return params;
}

ConfirmAnswer confirmation_answer(const Json& result, int64_t rows)
{
  ConfirmAnswer answer;
  const auto action = result.is_object() ? result.find("action") : Json::const_iterator();
  if (!result.is_object() || action == result.end() || !action->is_string()) {
    answer.reason = "the client's answer had no action";
    return answer;
  }
  if (*action == "decline") {
    answer.action = ConfirmAnswer::Action::decline;
  } else if (*action == "cancel") {
    answer.action = ConfirmAnswer::Action::cancel;
  } else if (*action == "accept") {
    const auto content = result.find("content");
    const bool applied = content != result.end() && content->is_object() && content->contains(k_confirm_field) &&
                         (*content)[k_confirm_field] == true;
    answer.action = applied ? ConfirmAnswer::Action::accept : ConfirmAnswer::Action::decline;
    answer.rows = applied ? rows : 0;
  } else {
    answer.reason = "the client's answer had an unknown action";
  }
  return answer;
}

} // namespace dbmcp::mcp
