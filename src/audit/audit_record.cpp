#include "audit/audit_record.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace dbmcp::audit {
namespace {

// The longest prefix of `text` of at most `max_bytes` that does not split a UTF-8 sequence.
size_t utf8_prefix(const std::string& text, size_t max_bytes)
{
  size_t end = std::min(max_bytes, text.size());
  while (end > 0 && end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return end;
}

} // namespace

std::string cut(const std::string& text, size_t max_bytes)
{
  if (text.size() <= max_bytes) {
    return text;
  }
  return fmt::format("{}… ({} bytes)", text.substr(0, utf8_prefix(text, max_bytes)), text.size());
}

Json summarize(const Json& value, const RecordLimits& limits)
{
  if (value.is_string()) {
    return cut(value.get_ref<const std::string&>(), limits.max_string_bytes);
  }
  if (value.is_binary()) {
    return fmt::format("(binary, {} bytes)", value.get_binary().size());
  }
  if (value.is_array()) {
    Json kept = Json::array();
    for (size_t i = 0; i < value.size() && i < limits.max_array_items; ++i) {
      kept.push_back(summarize(value[i], limits));
    }
    if (value.size() > limits.max_array_items) {
      kept.push_back(fmt::format("… ({} more)", value.size() - limits.max_array_items));
    }
    return kept;
  }
  if (value.is_object()) {
    Json kept = Json::object();
    for (const auto& [key, item] : value.items()) {
      kept[key] = summarize(item, limits);
    }
    return kept;
  }
  return value;
}

Json summarize_arguments(const std::string& tool, const Json& arguments, const RecordLimits& limits)
{
  if (tool != "insert_records" || !arguments.is_object()) {
    return summarize(arguments, limits);
  }
  Json kept = Json::object();
  for (const auto& [key, item] : arguments.items()) {
    if (key == "records" && item.is_array()) {
      kept[key] = {{"count", item.size()}, {"first", item.empty() ? Json(nullptr) : summarize(item[0], limits)}};
    } else {
      kept[key] = summarize(item, limits);
    }
  }
  return kept;
}

std::string iso8601_utc(std::chrono::system_clock::time_point time)
{
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, ms % 1000);
}

void StatementList::add(const std::string& text, int64_t rows, int64_t affected)
{
  m_rows += rows;
  m_affected += affected;
  if (m_listed.size() >= m_limits.max_statements) {
    ++m_omitted;
    return;
  }
  m_listed.push_back({{"sql", cut(text, m_limits.max_sql_bytes)}, {"rows", rows}, {"affected", affected}});
}

void StatementList::write_to(Json& record) const
{
  if (m_listed.empty()) {
    return; // nothing reported: a cached answer, or a store that does not report its statements
  }
  record["statements"] = m_listed;
  if (m_omitted > 0) {
    record["statements_omitted"] = m_omitted;
  }
  record["rows_read"] = m_rows;
  record["rows_affected"] = m_affected;
}

} // namespace dbmcp::audit
