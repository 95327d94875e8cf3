// Parsing of CHECK constraints out of CREATE TABLE text (SQLite keeps no catalog of them).
#include "backends/sqlite/sqlite_catalog.hpp"

#include <cctype>
#include <optional>

namespace dbmcp::backends::sqlite {
namespace {

// The index just past the quoted token or comment starting at `i`, or `i` when there is none.
size_t skip_quoted(std::string_view sql, size_t i)
{
  const char c = sql[i];
  if (c == '\'' || c == '"' || c == '`' || c == '[') {
    const char close = c == '[' ? ']' : c;
    for (size_t j = i + 1; j < sql.size(); ++j) {
      if (sql[j] == close) {
        if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
          ++j; // a doubled quote inside the token
          continue;
        }
        return j + 1;
      }
    }
    return sql.size();
  }
  if (sql.substr(i, 2) == "--") {
    const size_t end = sql.find('\n', i);
    return end == std::string_view::npos ? sql.size() : end + 1;
  }
  if (sql.substr(i, 2) == "/*") {
    const size_t end = sql.find("*/", i + 2);
    return end == std::string_view::npos ? sql.size() : end + 2;
  }
  return i;
}

// The index of the parenthesis closing the one at `open`, or npos.
size_t matching_paren(std::string_view sql, size_t open)
{
  int depth = 0;
  for (size_t i = open; i < sql.size();) {
    const size_t skipped = skip_quoted(sql, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (sql[i] == '(') {
      ++depth;
    } else if (sql[i] == ')' && --depth == 0) {
      return i;
    }
    ++i;
  }
  return std::string_view::npos;
}

struct Token
{
  std::string_view text;
  size_t end;
};

// The next word, quoted identifier or punctuation character at or after `i`.
std::optional<Token> next_token(std::string_view sql, size_t i)
{
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
      continue;
    }
    if (sql.substr(i, 2) == "--" || sql.substr(i, 2) == "/*") {
      i = skip_quoted(sql, i);
      continue;
    }
    break;
  }
  if (i >= sql.size()) {
    return std::nullopt;
  }
  const size_t quoted = skip_quoted(sql, i);
  if (quoted != i) {
    return Token{sql.substr(i, quoted - i), quoted};
  }
  size_t end = i;
  while (end < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[end])) || sql[end] == '_')) {
    ++end;
  }
  if (end == i) {
    end = i + 1;
  }
  return Token{sql.substr(i, end - i), end};
}

bool keyword(std::string_view token, std::string_view word)
{
  if (token.size() != word.size()) {
    return false;
  }
  for (size_t i = 0; i < token.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(token[i])) != word[i]) {
      return false;
    }
  }
  return true;
}

std::string unquote(std::string_view token)
{
  if (token.size() >= 2 && (token[0] == '"' || token[0] == '`' || token[0] == '[')) {
    const char close = token[0] == '[' ? ']' : token[0];
    std::string text;
    for (size_t i = 1; i + 1 < token.size(); ++i) {
      text += token[i];
      if (token[i] == close && close != ']') {
        ++i; // doubled quote
      }
    }
    return text;
  }
  return std::string(token);
}

std::string trim(std::string_view text)
{
  const size_t first = text.find_first_not_of(" \t\r\n");
  const size_t last = text.find_last_not_of(" \t\r\n");
  return first == std::string_view::npos ? "" : std::string(text.substr(first, last - first + 1));
}

// The checks of one column definition or table constraint.
void parse_segment(std::string_view segment, std::vector<CheckConstraint>& checks)
{
  auto first = next_token(segment, 0);
  if (!first) {
    return;
  }
  std::string column;
  if (!keyword(first->text, "CONSTRAINT") && !keyword(first->text, "PRIMARY") && !keyword(first->text, "UNIQUE")
      && !keyword(first->text, "CHECK") && !keyword(first->text, "FOREIGN")) {
    column = unquote(first->text);
  }
  std::string pending_name;
  for (auto token = first; token; token = next_token(segment, token->end)) {
    if (keyword(token->text, "CONSTRAINT")) {
      if (auto name = next_token(segment, token->end)) {
        pending_name = unquote(name->text);
        token = name;
      }
      continue;
    }
    if (token->text == "(") {
      const size_t close = matching_paren(segment, token->end - 1);
      if (close == std::string_view::npos) {
        return;
      }
      token->end = close + 1;
      continue;
    }
    if (keyword(token->text, "CHECK")) {
      auto open = next_token(segment, token->end);
      if (!open || open->text != "(") {
        continue;
      }
      const size_t start = open->end - 1;
      const size_t close = matching_paren(segment, start);
      if (close == std::string_view::npos) {
        return;
      }
      checks.push_back({pending_name, column, trim(segment.substr(start + 1, close - start - 1))});
      pending_name.clear();
      token->end = close + 1;
    }
  }
}

} // namespace

std::vector<CheckConstraint> parse_checks(std::string_view create_sql)
{
  std::vector<CheckConstraint> checks;
  size_t open = std::string_view::npos;
  for (size_t i = 0; i < create_sql.size();) {
    const size_t skipped = skip_quoted(create_sql, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    if (create_sql[i] == '(') {
      open = i;
      break;
    }
    ++i;
  }
  if (open == std::string_view::npos) {
    return checks;
  }
  const size_t close = matching_paren(create_sql, open);
  const std::string_view body = create_sql.substr(open + 1, (close == std::string_view::npos ? create_sql.size() : close) - open - 1);
  size_t segment_start = 0;
  int depth = 0;
  for (size_t i = 0; i <= body.size();) {
    if (i == body.size() || (depth == 0 && body[i] == ',')) {
      parse_segment(body.substr(segment_start, i - segment_start), checks);
      segment_start = i + 1;
      ++i;
      continue;
    }
    const size_t skipped = skip_quoted(body, i);
    if (skipped != i) {
      i = skipped;
      continue;
    }
    depth += body[i] == '(' ? 1 : (body[i] == ')' ? -1 : 0);
    ++i;
  }
  return checks;
}

} // namespace dbmcp::backends::sqlite
