#pragma once

#include "util/call_context.hpp"
#include "util/json.hpp"

#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace dbmcp::tools {

// A tool as MCP lists it, plus the function that runs it.
struct Tool
{
  std::string name;
  std::string title;
  std::string description;
  Json input_schema;               // a JSON Schema object
  Json output_schema;              // a JSON Schema object, or null when the tool has none
  bool read_only_hint = true;
  bool destructive_hint = false;
  bool idempotent_hint = true;
  // Returns the structured result. Throws store::StoreError or ToolError for a failure the
  // client should see as isError, dbmcp::Cancelled when its context was cancelled, and
  // dbmcp::InputRequired when it needs the person's answer first (its context's confirm sink).
  using RunFn = std::function<Json(const Json& arguments, CallContext& ctx)>;
  RunFn run;
};

// A failure of a tool call that is not the database's: bad arguments, a missing row.
// `code` is one of the codes of store::ErrorCode as a string (e.g. "invalid_argument").
class ToolError : public std::runtime_error
{
public:
  ToolError(std::string code, const std::string& message) : std::runtime_error(message), m_code(std::move(code)) {}
  const std::string& code() const { return m_code; }

private:
  std::string m_code;
};

// The outcome of a call as tools/call reports it.
struct CallResult
{
  Json structured;        // the result, or {"error": {"code", "message", ...}} when is_error
  std::string text;       // the text content block: the JSON result, or the error message
  bool is_error = false;
};

class Registry
{
public:
  void add(Tool tool);
  // In registration order, which is the order tools/list shows.
  const std::vector<Tool>& tools() const { return m_tools; }
  // nullptr when no tool has this name.
  const Tool* find(std::string_view name) const;
  // Runs `tool`; every failure except Cancelled and InputRequired becomes an is_error result with
  // a code and a one-line message. Cancelled and InputRequired propagate.
  CallResult call(const Tool& tool, const Json& arguments, CallContext& ctx) const;
  // The is_error result a call of `tool` that threw `failure` (not Cancelled) answers with; an
  // unexpected exception is also logged to stderr when `log_unexpected` is set.
  static CallResult failure_result(const std::string& tool, std::exception_ptr failure, bool log_unexpected = true);

private:
  std::vector<Tool> m_tools;
};

} // namespace dbmcp::tools
