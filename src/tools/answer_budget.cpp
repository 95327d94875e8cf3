#include "tools/answer_budget.hpp"

#include "util/blob_json.hpp"
#include "util/json_fast_dump.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::tools {

size_t json_size(const Json &value) {
  // The text itself: dump_json writes it faster than nlohmann's serializer
  // counts it through its virtual calls.
  return dump_json(value).size();
}

std::string cut_text(const std::string &text, size_t keep) {
  keep = std::min(keep, text.size());
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80) {
    --keep;
  }
  return text.substr(0, keep) +
         fmt::format("…[cut: {} bytes in all]", text.size());
}

AnswerBudget::AnswerBudget(size_t max_bytes)
    : m_remaining(max_bytes) {}

void AnswerBudget::spend(size_t bytes) {
  m_remaining -= std::min(bytes, m_remaining);
}

int64_t AnswerBudget::fit_one(Json &row,
                              const std::vector<std::string> &keep_whole,
                              size_t *fitted_size) {
  int64_t cut = 0;
  size_t size = json_size(row);
  // Cut the longest string first, by what is still too much, until the row fits
  // or nothing is left to cut. Each pass cuts a different value, so the loop
  // ends.
  while (size > m_remaining && row.is_object()) {
    std::string *longest = nullptr;
    for (auto &[column, item] : row.items()) {
      // A blob's base64 is cut like text; its "bytes" keeps the length.
      const bool blob = item.is_object() && item.contains(std::string(k_blob_key));
      Json &value = blob ? item[std::string(k_blob_key)] : item;
      if (value.is_string() && std::ranges::find(keep_whole, column) == keep_whole.end()) {
        auto &text = value.get_ref<std::string &>();
        const bool already_cut = text.ends_with(" bytes in all]");
        if (!already_cut && text.size() > 64 &&
            (!longest || text.size() > longest->size())) {
          longest = &text;
        }
      }
    }
    if (!longest) {
      break;
    }
    const size_t excess = size - m_remaining + 48; // room for the marker
    *longest = cut_text(
        *longest, longest->size() > excess ? longest->size() - excess : 0);
    ++cut;
    size = json_size(row);
  }
  spend(size);
  if (fitted_size) {
    *fitted_size = size;
  }
  return cut;
}

Truncation AnswerBudget::fit(std::vector<store::Row> &rows,
                             const std::vector<std::string> &keep_whole,
                             bool at_least_one) {
  Truncation truncation;
  size_t kept = 0;
  for (; kept < rows.size(); ++kept) {
    const size_t size = json_size(rows[kept]) + 1; // and its comma
    if (size <= m_remaining) {
      spend(size);
      continue;
    }
    if (kept == 0 && at_least_one) {
      truncation.values_cut += fit_one(rows[0], keep_whole);
      kept = 1;
    }
    break;
  }
  truncation.rows_omitted = static_cast<int64_t>(rows.size() - kept);
  rows.resize(kept);
  return truncation;
}

Json truncation_note(const Truncation &truncation, size_t max_bytes,
                     const std::string &how_to_continue) {
  std::string reason = fmt::format(
      "the answer is limited to {} bytes (--max-answer-bytes)", max_bytes);
  Json note{{"rows_omitted", truncation.rows_omitted},
            {"values_cut", truncation.values_cut},
            {"reason", reason}};
  std::string hint = how_to_continue;
  if (truncation.values_cut > 0) {
    hint += std::string(hint.empty() ? "" : "; ") +
            "cut values end with …[cut: N bytes in all]";
  }
  hint += std::string(hint.empty() ? "" : "; ") +
          "ask for fewer columns with 'columns' to get more rows per answer";
  note["hint"] = std::move(hint);
  return note;
}

} // namespace dbmcp::tools
