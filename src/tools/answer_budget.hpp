#pragma once

#include "store/query.hpp"
#include "util/json.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dbmcp::tools {

// The default of --max-answer-bytes: about 25,000 tokens of text, what a
// model's client reads comfortably in one tool result.
inline constexpr size_t k_default_answer_bytes = 100'000;
// The largest --max-answer-bytes accepted. A tool result carries its rows twice
// (the text content, itself escaped inside a JSON string, and
// structuredContent), so the JSON-RPC line stays under about 3.5 times this,
// far below the 10 MiB an SDK's stdio transport accepts.
inline constexpr size_t k_max_answer_bytes = 2 * 1024 * 1024;

// What an answer's fields other than its rows (total, cursor, the truncated note)
// may take of the budget; every tool that returns rows spends it first.
inline constexpr size_t k_answer_fields_bytes = 1024;

// What a budget cut from an answer; empty when nothing was.
struct Truncation {
  int64_t rows_omitted =
      0; // rows that matched and fitted the limit but not the byte budget
  int64_t values_cut =
      0; // string values shortened, each with a marker giving its length
  bool empty() const { return rows_omitted == 0 && values_cut == 0; }
};

// Fits rows into a byte budget, measured as the compact JSON a model reads in
// the text content.
class AnswerBudget {
public:
  explicit AnswerBudget(size_t max_bytes);

  size_t remaining() const { return m_remaining; }

  // Keeps the longest prefix of `rows` that fits what is left of the budget and
  // drops the rest, counting them in the truncation. When not even the first
  // row fits and `at_least_one` is set, that row is kept with its longest
  // string values cut (never those named in `keep_whole`, the columns a cursor
  // is made of), so a paging client always makes progress.
  Truncation fit(std::vector<store::Row> &rows,
                 const std::vector<std::string> &keep_whole = {},
                 bool at_least_one = true);

  // Cuts the string values of one object (a record) until it fits what is left;
  // returns how many values were cut. The object is charged to the budget, and
  // its size once cut (json_size) is stored in `size` when given.
  int64_t fit_one(Json &row, const std::vector<std::string> &keep_whole = {},
                  size_t *size = nullptr);

  // Charges `bytes` (for fields other than rows) to the budget.
  void spend(size_t bytes);

private:
  size_t m_remaining;
};

// The compact JSON size of `value`, as the text content carries it.
size_t json_size(const Json &value);

// Shortens `text` to about `keep` bytes (on a UTF-8 boundary) followed by the
// marker "…[cut: N bytes in all]" that keeps the original length.
std::string cut_text(const std::string &text, size_t keep);

// {"rows_omitted", "values_cut", "reason", "hint"} for an answer's `truncated`
// field. `how_to_continue` tells the model how to get what was left out (e.g.
// "continue with next_cursor").
Json truncation_note(const Truncation &truncation, size_t max_bytes,
                     const std::string &how_to_continue);

} // namespace dbmcp::tools
