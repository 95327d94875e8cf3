#include "mcp/deferred_records.hpp"

#include "util/json_parse.hpp"
#include "util/json_scan.hpp"

#include <array>
#include <string_view>

namespace dbmcp::mcp {
namespace {

constexpr std::array<std::string_view, 3> k_records_path = {"params", "arguments", "records"};
// The containers around the records array: the message, params and arguments.
constexpr size_t k_records_depth = 3;

bool is_insert_records_call(const Json& message)
{
  const auto method = message.find("method");
  const auto params = message.find("params");
  if (method == message.end() || *method != "tools/call" || params == message.end() || !params->is_object()) {
    return false;
  }
  const auto name = params->find("name");
  return name != params->end() && *name == "insert_records";
}

} // namespace

std::optional<DeferredMessage> parse_deferring_records(std::shared_ptr<const std::string> line)
{
  const std::string_view text = *line;
  const auto records = json_scan::find_path(text, k_records_path);
  if (!records || text[records->begin] != '[') {
    return std::nullopt;
  }
  std::string rest;
  rest.reserve(text.size() - (records->end - records->begin) + 2);
  rest.append(text.substr(0, records->begin)).append("[]").append(text.substr(records->end));
  auto message = parse_json_bounded(rest);
  if (!message || !message->is_object() || !is_insert_records_call(*message)) {
    return std::nullopt;
  }
  const std::string_view array = text.substr(records->begin, records->end - records->begin);
  const auto count = json_scan::validate_array(array, k_max_json_depth - k_records_depth);
  if (!count) {
    return std::nullopt;
  }
  auto deferred = std::make_shared<const DeferredArray>(std::move(line), *records, *count);
  return DeferredMessage{std::move(*message), std::move(deferred)};
}

} // namespace dbmcp::mcp
