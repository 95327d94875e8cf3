#include "tools/registry.hpp"

#include "store/errors.hpp"
#include "util/json_fast_dump.hpp"

namespace dbmcp::tools {
namespace {

CallResult error_result(std::string_view code, const std::string& message, const Json& details = Json::object())
{
  Json error{{"code", code}, {"message", message}};
  for (const auto& [key, value] : details.items()) {
    error[key] = value;
  }
  return {Json{{"error", error}}, message, true};
}

} // namespace

void Registry::add(Tool tool)
{
  m_tools.push_back(std::move(tool));
}

const Tool* Registry::find(std::string_view name) const
{
  for (const auto& tool : m_tools) {
    if (tool.name == name) {
      return &tool;
    }
  }
  return nullptr;
}

CallResult Registry::call(const Tool& tool, const Json& arguments, CallContext& ctx) const
{
  try {
    Json result = tool.run(arguments, ctx);
    std::string text = dump_json(result);
    return {std::move(result), std::move(text), false};
  } catch (const Cancelled&) {
    throw;
  } catch (const InputRequired&) {
    throw;
  } catch (...) {
    return failure_result(tool.name, std::current_exception());
  }
}

CallResult Registry::failure_result(const std::string& tool, std::exception_ptr failure, bool log_unexpected)
{
  try {
    std::rethrow_exception(failure);
  } catch (const store::StoreError& e) {
    return error_result(store::to_string(e.code()), e.what(), e.details());
  } catch (const ToolError& e) {
    return error_result(e.code(), e.what());
  } catch (const Json::exception& e) {
    return error_result("invalid_argument", std::string("invalid arguments: ") + e.what());
  } catch (const std::exception& e) {
    if (log_unexpected) {
      log::write(LogLevel::error, std::string("tool ") + tool + " failed: " + e.what());
    }
    return error_result("internal", std::string("internal error: ") + e.what());
  } catch (...) {
    return error_result("internal", "internal error: an unknown exception");
  }
}

} // namespace dbmcp::tools
