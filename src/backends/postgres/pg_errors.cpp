#include "backends/postgres/pg_errors.hpp"

#include "backends/postgres/pg_values.hpp"
#include "backends/sql/constraint_message.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace dbmcp::backends::postgres {
namespace {

using store::ErrorCode;
using store::StoreError;
namespace wording = sql::constraint_message;

bool starts_with(std::string_view text, std::string_view prefix)
{
  return text.substr(0, prefix.size()) == prefix;
}

// The first double-quoted name after `marker` in `text` ("… constraint \"users_age_check\"").
std::string quoted_after(std::string_view text, std::string_view marker)
{
  const auto at = text.find(marker);
  if (at == std::string_view::npos) {
    return "";
  }
  const auto open = text.find('"', at + marker.size());
  if (open == std::string_view::npos) {
    return "";
  }
  const auto close = text.find('"', open + 1);
  return close == std::string_view::npos ? "" : std::string(text.substr(open + 1, close - open - 1));
}

// "Key (email)=(a@b.c) already exists." -> ({"email"}, "a@b.c"); the column list is split on
// ", ", the values are kept as PostgreSQL printed them.
struct KeyDetail
{
  std::vector<std::string> columns;
  std::string values;
};

std::optional<KeyDetail> parse_key_detail(std::string_view detail, std::string_view tail)
{
  if (!starts_with(detail, "Key (")) {
    return std::nullopt;
  }
  const auto split = detail.find(")=(");
  const auto end = detail.rfind(tail);
  if (split == std::string_view::npos || end == std::string_view::npos || end < split + 3) {
    return std::nullopt;
  }
  KeyDetail key;
  const std::string_view columns = detail.substr(5, split - 5);
  size_t start = 0;
  while (start <= columns.size()) {
    const auto comma = std::min(columns.find(", ", start), columns.size());
    std::string column(columns.substr(start, comma - start));
    if (column.size() >= 2 && column.front() == '"' && column.back() == '"') {
      column = column.substr(1, column.size() - 2);
    }
    key.columns.push_back(std::move(column));
    start = comma + 2;
  }
  key.values = std::string(detail.substr(split + 3, end - split - 3));
  return key;
}

std::string join(const std::vector<std::string>& names)
{
  return fmt::format("{}", fmt::join(names, ", "));
}

using sql::ConstraintInfo;
using sql::ErrorScope;

const ConstraintInfo* find_constraint(const ErrorScope& scope, const std::string& name)
{
  if (!scope.catalog || name.empty()) {
    return nullptr;
  }
  const auto it = scope.catalog->constraints.find(name);
  return it == scope.catalog->constraints.end() ? nullptr : &it->second;
}

// True when `bound` (or an item of an array `bound`) is sent as the text `value`.
bool binds(const Json& bound, const std::string& value)
{
  if (bound.is_array()) {
    return std::any_of(bound.begin(), bound.end(), [&](const Json& item) { return binds(item, value); });
  }
  const Param text = to_param(bound);
  return text && *text == value;
}

// The table `name` as the catalog of `scope` knows it, or null.
const store::TableInfo* table_of(const ErrorScope& scope, const std::string& name)
{
  return scope.catalog && scope.catalog->schema ? scope.catalog->schema->find_table(name) : nullptr;
}

// A key's values as PostgreSQL printed them ("1, maths"), shown per column; empty when they do
// not split into one value per column (a value holding ", ").
std::vector<std::string> shown_values(const store::TableInfo* table, const KeyDetail& key)
{
  std::vector<std::string> values;
  size_t start = 0;
  while (start <= key.values.size()) {
    const auto comma = std::min(key.values.find(", ", start), key.values.size());
    values.push_back(key.values.substr(start, comma - start));
    start = comma + 2;
  }
  if (values.size() != key.columns.size()) {
    return {};
  }
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = wording::show_printed(table ? table->find_column(key.columns[i]) : nullptr, values[i]);
  }
  return values;
}

StoreError unique_violation(const ServerMessage& message, const ErrorScope& scope)
{
  const std::string constraint = quoted_after(message.primary, "unique constraint");
  const ConstraintInfo* info = find_constraint(scope, constraint);
  const std::string table = info ? info->table : scope.table;
  const Json details{{"constraint", constraint}};
  const auto key = parse_key_detail(message.detail, ") already exists.");
  if (!key) {
    return wording::unique(table, nullptr, {constraint}, {}, details);
  }
  const store::TableInfo* described = table_of(scope, table);
  return wording::unique(table, described, key->columns, shown_values(described, *key), details);
}

StoreError check_violation(const ServerMessage& message, const ErrorScope& scope)
{
  const std::string constraint = quoted_after(message.primary, "check constraint");
  const Json details{{"constraint", constraint}};
  if (const ConstraintInfo* info = find_constraint(scope, constraint)) {
    return wording::check(info->columns.empty() ? info->table : join(info->columns), info->definition, details);
  }
  const std::string table = quoted_after(message.primary, "relation");
  return wording::unknown_check(table.empty() ? scope.table : table, constraint, details);
}

StoreError foreign_key_violation(const ServerMessage& message, const ErrorScope& scope)
{
  const std::string constraint = quoted_after(message.primary, "foreign key constraint");
  const ConstraintInfo* info = find_constraint(scope, constraint);
  if (info && info->hidden) {
    // The other table is hidden: say what failed without naming it, its columns or the constraint.
    const std::string table = scope.table.empty() ? "the row" : scope.table;
    if (parse_key_detail(message.detail, ") is still referenced from table")) {
      return wording::still_referenced_unnamed(table);
    }
    return wording::missing_parent_unnamed(table);
  }
  const Json details{{"constraint", constraint}};
  if (const auto missing = parse_key_detail(message.detail, ") is not present in table")) {
    const std::string table = info ? info->table : quoted_after(message.primary, "on table");
    const std::string ref_table = info ? info->ref_table : quoted_after(message.detail, "in table");
    if (!info) {
      return wording::missing_parent_unnamed(table);
    }
    return wording::missing_parent(table, missing->columns, shown_values(table_of(scope, table), *missing), ref_table,
                                   info->ref_columns, details);
  }
  if (const auto referenced = parse_key_detail(message.detail, ") is still referenced from table")) {
    const std::string table = quoted_after(message.primary, "update or delete on table");
    if (!info) {
      return wording::still_referenced_unnamed(table);
    }
    return wording::still_referenced(table, referenced->columns, shown_values(table_of(scope, table), *referenced),
                                     info->table, info->columns, details);
  }
  return {ErrorCode::foreign_key_violation, message.primary, details};
}

StoreError not_null_violation(const ServerMessage& message, const ErrorScope& scope)
{
  const std::string column = quoted_after(message.primary, "column");
  std::string table = quoted_after(message.primary, "relation");
  if (table.empty()) {
    table = scope.table;
  }
  if (column.empty()) {
    return {ErrorCode::not_null_violation, message.primary};
  }
  return wording::not_null(table, column);
}

// "age: invalid input syntax for type integer: \"abc\"" when a bound parameter holds the value.
StoreError invalid_input(const ServerMessage& message, const ErrorScope& scope)
{
  static const std::regex k_value(R"re(: "((?:[^"]|"")*)"$)re");
  std::smatch match;
  const std::string primary = message.primary;
  if (std::regex_search(primary, match, k_value)) {
    const std::string value = match[1].str();
    for (const auto& [column, bound] : scope.bound) {
      if (!column.empty() && binds(bound, value)) {
        return {ErrorCode::invalid_argument, fmt::format("{}: {}", column, primary), Json{{"column", column}}};
      }
    }
  }
  // COPY names the column in its CONTEXT: "COPY users, line 3, column age: \"abc\"".
  static const std::regex k_copy_column(R"re(, column ([^:]+):)re");
  if (std::regex_search(message.context, match, k_copy_column)) {
    return {ErrorCode::invalid_argument, fmt::format("{}: {}", match[1].str(), primary),
            Json{{"column", match[1].str()}}};
  }
  return {ErrorCode::invalid_argument, primary};
}

std::string describe_timeout(std::chrono::milliseconds timeout)
{
  if (timeout.count() <= 0) {
    return "the statement was cancelled by the server";
  }
  if (timeout.count() % 1000 == 0) {
    return fmt::format("the statement ran longer than the statement timeout ({}s)", timeout.count() / 1000);
  }
  return fmt::format("the statement ran longer than the statement timeout ({}ms)", timeout.count());
}

} // namespace

ServerMessage parse_server_message(std::string_view text)
{
  ServerMessage message;
  std::string* current = &message.primary;
  size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    static constexpr std::string_view k_primary[] = {"ERROR:  ", "FATAL:  ", "PANIC:  "};
    bool is_header = false;
    for (auto prefix : k_primary) {
      if (starts_with(line, prefix)) {
        current = &message.primary;
        line.remove_prefix(prefix.size());
        is_header = true;
      }
    }
    if (!is_header && starts_with(line, "DETAIL:  ")) {
      current = &message.detail;
      line.remove_prefix(9);
    } else if (!is_header && starts_with(line, "CONTEXT:  ")) {
      current = &message.context;
      line.remove_prefix(10);
    } else if (!is_header && (starts_with(line, "HINT:  ") || starts_with(line, "LINE ") || starts_with(line, "QUERY:  "))) {
      current = nullptr;
      continue;
    }
    if (current) {
      if (!current->empty()) {
        current->push_back(' ');
      }
      current->append(line);
    }
  }
  const auto trim = [](std::string& s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) {
      s.pop_back();
    }
    const auto first = s.find_first_not_of(" \t^");
    s = first == std::string::npos ? "" : s.substr(first);
  };
  trim(message.primary);
  trim(message.detail);
  trim(message.context);
  return message;
}

namespace {

store::StoreError map_error(const std::string& sqlstate, std::string_view text, const ErrorScope& scope,
                            std::chrono::milliseconds statement_timeout)
{
  const ServerMessage message = parse_server_message(text);
  const std::string primary = message.primary.empty() ? std::string(text) : message.primary;
  const std::string_view cls = std::string_view(sqlstate).substr(0, 2);
  if (sqlstate == "23505") {
    return unique_violation(message, scope);
  }
  if (sqlstate == "23514") {
    return check_violation(message, scope);
  }
  if (sqlstate == "23503") {
    return foreign_key_violation(message, scope);
  }
  if (sqlstate == "23502") {
    return not_null_violation(message, scope);
  }
  if (sqlstate == "57014") {
    return store::timeout(describe_timeout(statement_timeout));
  }
  if (sqlstate == "25006") {
    return store::read_only(fmt::format("the database is open read-only ({})", primary));
  }
  if (cls == "08" || cls == "53" || cls == "57" || sqlstate == "40001" || sqlstate == "40P01") {
    return store::unavailable(fmt::format("PostgreSQL: {}", primary));
  }
  if (cls == "22") {
    return invalid_input(message, scope);
  }
  if (cls == "23") {
    return {ErrorCode::check_violation, primary};
  }
  if (cls == "42" || cls == "0A" || cls == "2B" || cls == "21") {
    return store::invalid_argument(primary);
  }
  return {ErrorCode::internal, fmt::format("PostgreSQL error {}: {}", sqlstate, primary)};
}

} // namespace

store::StoreError map_sql_error(const std::string& sqlstate, std::string_view text, const sql::ErrorScope& scope,
                                std::chrono::milliseconds statement_timeout)
{
  return map_error(sqlstate, text, scope, statement_timeout);
}

std::optional<int64_t> copy_line(std::string_view context)
{
  static const std::regex k_line(R"re(^COPY [^,]+, line ([0-9]+))re");
  std::match_results<std::string_view::const_iterator> match;
  if (std::regex_search(context.begin(), context.end(), match, k_line)) {
    return std::stoll(match[1].str());
  }
  return std::nullopt;
}

namespace {

bool is_word_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The positions of matching parentheses outside quotes, as (open, close) pairs.
std::vector<std::pair<size_t, size_t>> parenthesis_pairs(const std::string& text)
{
  std::vector<std::pair<size_t, size_t>> pairs;
  std::vector<size_t> open;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      open.push_back(i);
    } else if (c == ')' && !open.empty()) {
      pairs.emplace_back(open.back(), i);
      open.pop_back();
    }
  }
  return pairs;
}

std::string upper_word_before(const std::string& text, size_t position)
{
  size_t end = position;
  while (end > 0 && text[end - 1] == ' ') {
    --end;
  }
  size_t start = end;
  while (start > 0 && is_word_char(text[start - 1])) {
    --start;
  }
  std::string word = text.substr(start, end - start);
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
  return word;
}

std::string upper_word_after(const std::string& text, size_t position)
{
  size_t start = position;
  while (start < text.size() && text[start] == ' ') {
    ++start;
  }
  size_t end = start;
  while (end < text.size() && is_word_char(text[end])) {
    ++end;
  }
  std::string word = text.substr(start, end - start);
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
  return word;
}

// True when `inner` has an OR outside any parentheses or quotes.
bool has_top_level_or(const std::string& inner)
{
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < inner.size(); ++i) {
    const char c = inner[i];
    if (quote) {
      quote = c == quote ? 0 : quote;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      --depth;
    } else if (depth == 0 && (i == 0 || !is_word_char(inner[i - 1])) && i + 2 <= inner.size()
               && std::toupper(static_cast<unsigned char>(c)) == 'O'
               && std::toupper(static_cast<unsigned char>(inner[i + 1])) == 'R'
               && (i + 2 == inner.size() || !is_word_char(inner[i + 2]))) {
      return true;
    }
  }
  return false;
}

bool removable(const std::string& text, size_t open, size_t close)
{
  // A group glued to a name is a call or a cast target: f(x), ANY (…) keeps its parentheses.
  size_t before = open;
  while (before > 0 && text[before - 1] == ' ') {
    --before;
  }
  const bool at_start = before == 0;
  const char left = at_start ? '(' : text[before - 1];
  const std::string left_word = upper_word_before(text, open);
  size_t after = close + 1;
  while (after < text.size() && text[after] == ' ') {
    ++after;
  }
  const char right = after == text.size() ? ')' : text[after];
  const std::string right_word = upper_word_after(text, close + 1);
  const bool left_ok = left == '(' || (is_word_char(left) && (left_word == "AND" || left_word == "OR"));
  const bool right_ok = right == ')' || right_word == "AND" || right_word == "OR";
  if (!left_ok || !right_ok) {
    return false;
  }
  const bool and_context = left_word == "AND" || right_word == "AND";
  return !(and_context && has_top_level_or(text.substr(open + 1, close - open - 1)));
}

} // namespace

std::string simplify_expression(std::string_view expression)
{
  std::string text(expression);
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& [open, close] : parenthesis_pairs(text)) {
      if (removable(text, open, close)) {
        text.erase(close, 1);
        text.erase(open, 1);
        changed = true;
        break;
      }
    }
  }
  const auto first = text.find_first_not_of(' ');
  const auto last = text.find_last_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

} // namespace dbmcp::backends::postgres
