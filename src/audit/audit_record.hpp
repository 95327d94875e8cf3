#pragma once

#include "util/json.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace dbmcp::audit {

// How much of a call's arguments and statements an audit record keeps.
struct RecordLimits
{
  size_t max_string_bytes = 256;    // a longer string value is cut here and says its length
  size_t max_array_items = 32;      // a longer array keeps this many items and says how many follow
  size_t max_sql_bytes = 4096;      // a longer statement text is cut here and says its length
  size_t max_statements = 64;       // further statements are counted, not listed
};

// `value` with every string longer than `limits.max_string_bytes` cut (at a UTF-8 boundary) to
// "<first bytes>… (N bytes)" and every array longer than `limits.max_array_items` cut to its first
// items followed by "… (N more)". Objects keep every key.
Json summarize(const Json& value, const RecordLimits& limits);

// The arguments of a call to `tool` as the audit trail records them: summarize(), except that
// insert_records' `records` become {"count": N, "first": <the first row, summarized>}.
Json summarize_arguments(const std::string& tool, const Json& arguments, const RecordLimits& limits);

// `text` cut to `max_bytes` at a UTF-8 boundary with "… (N bytes)" appended; unchanged when shorter.
std::string cut(const std::string& text, size_t max_bytes);

// `time` as ISO-8601 UTC with milliseconds: "2026-11-29T14:58:54.123Z".
std::string iso8601_utc(std::chrono::system_clock::time_point time);

// The statements one call ran, as the store reported them, bounded by `limits`.
class StatementList
{
public:
  explicit StatementList(const RecordLimits& limits) : m_limits(limits) {}
  void add(const std::string& text, int64_t rows, int64_t affected);
  // Sets "statements" [{"sql", "rows", "affected"}...], "statements_omitted", "rows_read" and
  // "rows_affected" (the sums over every statement, listed or not) on `record`; sets nothing when
  // no statement was reported (a cached answer, or SQLite's own store, which does not report yet).
  void write_to(Json& record) const;

private:
  RecordLimits m_limits;
  Json m_listed = Json::array();
  int64_t m_omitted = 0;
  int64_t m_rows = 0;
  int64_t m_affected = 0;
};

} // namespace dbmcp::audit
