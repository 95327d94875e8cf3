#include "mcp/wire_format.hpp"

#include "jsonrpc/message.hpp"

#include <functional>
#include <string_view>
#include <vector>

namespace dbmcp::mcp {
namespace {

// How jsonrpc::serialise writes k_structured_from_text.
const std::string k_marker_token = jsonrpc::serialise(k_structured_from_text);

// Finds k_marker_token in a line with skips of up to its length, where std::string::find stops at
// every quote (a result's escaped text is full of them).
const std::boyer_moore_horspool_searcher k_marker_searcher(k_marker_token.begin(), k_marker_token.end());

const std::string* deferred_text(const Json& message)
{
  if (!message.is_object()) {
    return nullptr;
  }
  const auto result = message.find("result");
  if (result == message.end() || !structured_from_text(*result)) {
    return nullptr;
  }
  return &(*result)["content"][0]["text"].get_ref<const std::string&>();
}

// The deferred texts of `message`, in the order serialise writes their markers.
std::vector<const std::string*> deferred_texts(const Json& message)
{
  std::vector<const std::string*> texts;
  if (message.is_array()) {
    for (const Json& entry : message) {
      if (const std::string* text = deferred_text(entry)) {
        texts.push_back(text);
      }
    }
  } else if (const std::string* text = deferred_text(message)) {
    texts.push_back(text);
  }
  return texts;
}

// `message` with every marker replaced by its parsed text: the slow path, for a line in which some
// other value happens to serialise as the marker.
Json with_structured_parsed(Json message)
{
  auto restore = [](Json& entry) {
    if (entry.is_object() && entry.contains("result") && structured_from_text(entry["result"])) {
      entry["result"]["structuredContent"] = structured_content_of(entry["result"]);
    }
  };
  if (message.is_array()) {
    for (Json& entry : message) {
      restore(entry);
    }
  } else {
    restore(message);
  }
  return message;
}

} // namespace

bool structured_from_text(const Json& result)
{
  if (!result.is_object()) {
    return false;
  }
  const auto structured = result.find("structuredContent");
  if (structured == result.end() || *structured != k_structured_from_text) {
    return false;
  }
  const auto content = result.find("content");
  return content != result.end() && content->is_array() && !content->empty() && (*content)[0].is_object()
         && (*content)[0].contains("text") && (*content)[0]["text"].is_string();
}

Json structured_content_of(const Json& result)
{
  if (structured_from_text(result)) {
    return Json::parse(result["content"][0]["text"].get_ref<const std::string&>());
  }
  const auto structured = result.find("structuredContent");
  return structured == result.end() ? Json() : *structured;
}

std::string serialise_message(const Json& message)
{
  const std::vector<const std::string*> texts = deferred_texts(message);
  std::string line = jsonrpc::serialise(message);
  if (texts.empty()) {
    return line;
  }
  std::vector<size_t> at;
  for (auto from = line.cbegin();;) {
    const auto [match, after] = k_marker_searcher(from, line.cend());
    if (match == line.cend()) {
      break;
    }
    at.push_back(static_cast<size_t>(match - line.cbegin()));
    from = after;
  }
  if (at.size() != texts.size()) {
    return jsonrpc::serialise(with_structured_parsed(message));
  }
  size_t size = line.size();
  for (const std::string* text : texts) {
    size += text->size() - k_marker_token.size();
  }
  std::string out;
  out.reserve(size);
  size_t from = 0;
  for (size_t i = 0; i < at.size(); ++i) {
    out.append(line, from, at[i] - from);
    out.append(*texts[i]);
    from = at[i] + k_marker_token.size();
  }
  out.append(line, from, std::string::npos);
  return out;
}

} // namespace dbmcp::mcp
