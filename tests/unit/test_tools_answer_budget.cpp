#include "tools/answer_budget.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;

namespace {

std::vector<store::Row> rows_of(size_t count, size_t text_bytes) {
  std::vector<store::Row> rows;
  for (size_t i = 0; i < count; ++i) {
    rows.push_back({{"id", i}, {"body", std::string(text_bytes, 'x')}});
  }
  return rows;
}

} // namespace

TEST_SUITE("tools::AnswerBudget") {
  TEST_CASE("json_size is the compact dump's size, escapes included") {
    const Json value{{"a", "q\"uote"}, {"b", {1, 2}}};
    CHECK(tools::json_size(value) == value.dump().size());
  }

  TEST_CASE(
      "fit keeps the longest prefix of rows that fits and counts the rest") {
    auto rows = rows_of(10, 1000);
    tools::AnswerBudget budget(5000);
    const auto truncation = budget.fit(rows);
    CHECK(rows.size() == 4); // each row is a little over 1,000 bytes
    CHECK(truncation.rows_omitted == 6);
    CHECK(truncation.values_cut == 0);
    CHECK(rows.back()["id"] == 3);
  }

  TEST_CASE("rows that fit are untouched and nothing is reported") {
    auto rows = rows_of(3, 10);
    tools::AnswerBudget budget(5000);
    CHECK(budget.fit(rows).empty());
    CHECK(rows.size() == 3);
  }

  TEST_CASE("a first row too large on its own is kept with its longest value "
            "cut and its length said") {
    auto rows = rows_of(2, 50'000);
    rows[0]["title"] = std::string(300, 't');
    tools::AnswerBudget budget(4000);
    const auto truncation = budget.fit(rows);
    REQUIRE(rows.size() == 1);
    CHECK(truncation.rows_omitted == 1);
    CHECK(truncation.values_cut == 1);
    const auto body = rows[0]["body"].get<std::string>();
    CHECK(body.ends_with("…[cut: 50000 bytes in all]"));
    CHECK(rows[0]["title"] ==
          std::string(300, 't')); // the short value stays whole
    CHECK(tools::json_size(rows[0]) <= 4000);
  }

  TEST_CASE("values named keep_whole (the cursor's columns) are never cut") {
    std::vector<store::Row> rows{
        {{"id", std::string(10'000, 'k')}, {"body", std::string(10'000, 'b')}}};
    tools::AnswerBudget budget(4000);
    budget.fit(rows, {"id"});
    CHECK(rows[0]["id"] == std::string(10'000, 'k'));
    CHECK(rows[0]["body"].get<std::string>().ends_with("bytes in all]"));
  }

  TEST_CASE("cut_text cuts on a UTF-8 boundary") {
    const std::string text = "aé"; // é is two bytes
    CHECK(tools::cut_text(text, 2) == "a…[cut: 3 bytes in all]");
  }

  TEST_CASE("without at_least_one an oversized first row is dropped too") {
    auto rows = rows_of(2, 10'000);
    tools::AnswerBudget budget(1000);
    CHECK(budget.fit(rows, {}, false).rows_omitted == 2);
    CHECK(rows.empty());
  }

  TEST_CASE("truncation_note names the budget and the way on") {
    const Json note =
        tools::truncation_note({3, 1}, 100'000, "continue with next_cursor");
    CHECK(note["rows_omitted"] == 3);
    CHECK(note["values_cut"] == 1);
    CHECK(note["reason"].get<std::string>().find(
              "100000 bytes (--max-answer-bytes)") != std::string::npos);
    CHECK(note["hint"].get<std::string>().find("next_cursor") !=
          std::string::npos);
    CHECK(note["hint"].get<std::string>().find("'columns'") !=
          std::string::npos);
  }
}
