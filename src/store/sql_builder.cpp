#include "store/sql_builder.hpp"

#include "store/errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace dbmcp::store::sql {
namespace {

// The LIKE escape character of text search: portable, unlike a backslash, whose meaning in a
// string literal differs between engines.
constexpr char k_escape = '!';

// The most values one statement binds: SQLite's default SQLITE_MAX_VARIABLE_NUMBER, the lowest
// limit among the engines.
constexpr size_t k_max_params = 32766;

std::string_view op_name(Op op)
{
  switch (op) {
  case Op::eq: return "eq";
  case Op::ne: return "ne";
  case Op::lt: return "lt";
  case Op::lte: return "lte";
  case Op::gt: return "gt";
  case Op::gte: return "gte";
  case Op::in: return "in";
  case Op::not_in: return "not_in";
  case Op::like: return "like";
  case Op::ilike: return "ilike";
  case Op::is_null: return "is_null";
  case Op::all_of: return "and";
  case Op::any_of: return "or";
  case Op::none_of: return "not";
  }
  return "?";
}

std::string_view comparison(Op op)
{
  switch (op) {
  case Op::eq: return "=";
  case Op::ne: return "<>";
  case Op::lt: return "<";
  case Op::lte: return "<=";
  case Op::gt: return ">";
  case Op::gte: return ">=";
  default: return "";
  }
}

// `text` lower-cased (ASCII, as the engines' LOWER() without ICU), with the LIKE wildcards and
// the escape character escaped, wrapped in % for a contains match.
std::string contains_pattern(std::string_view text)
{
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == k_escape) {
      pattern += k_escape;
    }
    pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return pattern + "%";
}

// Appends quote_identifier(`dialect`, `name`) to `out`.
void append_identifier(std::string& out, const Dialect& dialect, std::string_view name)
{
  out += dialect.quote;
  for (char c : name) {
    if (c == '\0') {
      throw invalid_argument("identifiers must not contain NUL characters");
    }
    out += c;
    if (c == dialect.quote) {
      out += c;
    }
  }
  out += dialect.quote;
}

// The point read of get_record: every column, one equality on a non-null scalar and a limit,
// nothing else. select() writes it without fmt and without the general path's vectors of terms,
// as the text and parameters that path builds for it: SELECT * FROM "t" WHERE "c" = ? LIMIT ?
// ($1 and $2 with numbered placeholders). nullopt for any other query, which takes that path.
std::optional<Statement> point_read(const Dialect& dialect, const TableInfo& table, const Select& query)
{
  if (!query.columns.empty() || query.where.size() != 1 || query.search || query.after || !query.order.empty()
      || query.limit < 0 || query.offset != 0) {
    return std::nullopt;
  }
  const Condition& condition = query.where.front();
  const Json& value = condition.value;
  if (condition.op != Op::eq || value.is_null() || value.is_object() || value.is_array()) {
    return std::nullopt;
  }
  const Column& column = table.require_column(condition.column);
  Statement statement;
  std::string& text = statement.text;
  text.reserve(40 + table.name.size() + column.name.size());
  text += "SELECT * FROM ";
  append_identifier(text, dialect, table.name);
  text += " WHERE ";
  append_identifier(text, dialect, column.name);
  text += dialect.numbered_placeholders ? " = $1 LIMIT $2" : " = ? LIMIT ?";
  statement.params.reserve(2);
  statement.params.push_back(value);
  statement.params.emplace_back(query.limit);
  return statement;
}

// Builds one statement: checks names against `m_table`, quotes them, and collects the values
// as placeholders in text order.
class Builder
{
public:
  Builder(const Dialect& dialect, const TableInfo& table) : m_dialect(dialect), m_table(table) {}

  std::string quote(std::string_view name) const { return quote_identifier(m_dialect, name); }
  std::string table() const { return quote(m_table.name); }
  // The quoted name of the column `name`; throws invalid_argument when the table has none.
  std::string column(std::string_view name) const { return quote(m_table.require_column(name).name); }

  // A placeholder bound to `value`.
  std::string bind(Json value)
  {
    m_params.push_back(std::move(value));
    return m_dialect.numbered_placeholders ? fmt::format("${}", m_params.size()) : std::string("?");
  }

  // " WHERE …" for `where` and `search`, or "" when both are empty.
  std::string where_clause(const Filter& where, const std::optional<TextSearch>& search)
  {
    std::vector<std::string> terms;
    for (const auto& condition : where) {
      terms.push_back(this->condition(condition));
    }
    if (search) {
      terms.push_back(contains(*search));
    }
    return terms.empty() ? "" : fmt::format(" WHERE {}", fmt::join(terms, " AND "));
  }

  std::string condition(const Condition& condition)
  {
    if (condition.combinator()) {
      return combination(condition);
    }
    const std::string col = column(condition.column);
    const Json& value = condition.value;
    switch (condition.op) {
    case Op::eq:
    case Op::ne:
      if (value.is_null()) {
        return col + (condition.op == Op::eq ? " IS NULL" : " IS NOT NULL");
      }
      [[fallthrough]];
    case Op::lt:
    case Op::lte:
    case Op::gt:
    case Op::gte:
      require_scalar(condition);
      return fmt::format("{} {} {}", col, comparison(condition.op), bind(value));
    case Op::in:
    case Op::not_in: return membership(col, condition);
    case Op::like:
    case Op::ilike:
      if (!value.is_string()) {
        throw invalid_argument(fmt::format("{}: '{}' needs a string pattern", condition.column, op_name(condition.op)));
      }
      return like(col, condition.op == Op::ilike, value);
    case Op::is_null:
      if (!value.is_boolean()) {
        throw invalid_argument(fmt::format("{}: 'is_null' needs true or false", condition.column));
      }
      return col + (value.get<bool>() ? " IS NULL" : " IS NOT NULL");
    case Op::all_of:
    case Op::any_of:
    case Op::none_of: break;
    }
    throw invalid_argument("unknown operator");
  }

  // and / or / not over the children, parenthesised; an empty and matches every row, an empty
  // or none.
  std::string combination(const Condition& condition)
  {
    std::vector<std::string> terms;
    for (const auto& child : condition.children) {
      terms.push_back(this->condition(child));
    }
    if (condition.op == Op::any_of) {
      return terms.empty() ? "1 = 0" : fmt::format("({})", fmt::join(terms, " OR "));
    }
    const std::string all = terms.empty() ? "1 = 1" : fmt::format("({})", fmt::join(terms, " AND "));
    return condition.op == Op::none_of ? "NOT " + all : all;
  }

  // What an order key sorts by: its SQL expression, and whether that can be NULL.
  struct Sorted
  {
    std::string expression;
    bool nullable = true;
  };
  // The column `name` as an order key: NOT NULL columns sort without a NULL clause, which keeps
  // PostgreSQL walking an index in order (NULLS FIRST on an ascending key defeats it).
  Sorted sorted_column(std::string_view name) const
  {
    const Column& column = m_table.require_column(name);
    return {quote(column.name), column.nullable};
  }

  // " ORDER BY …" with NULLs first ascending and last descending, or "" for no keys.
  // `resolve` maps a key to what it sorts by (a Sorted).
  template <typename Resolve>
  std::string order_clause(const std::vector<OrderKey>& order, Resolve resolve) const
  {
    std::vector<std::string> terms;
    for (const auto& key : order) {
      const Sorted sorted = resolve(key.column);
      const std::string direction = key.descending ? " DESC" : " ASC";
      if (!sorted.nullable) {
        terms.push_back(sorted.expression + direction);
      } else if (m_dialect.nulls_ordering) {
        terms.push_back(sorted.expression + (key.descending ? " DESC NULLS LAST" : " ASC NULLS FIRST"));
      } else {
        terms.push_back(fmt::format("{} IS NULL {}", sorted.expression, key.descending ? "ASC" : "DESC"));
        terms.push_back(sorted.expression + direction);
      }
    }
    return terms.empty() ? "" : fmt::format(" ORDER BY {}", fmt::join(terms, ", "));
  }

  // The condition "strictly after `after` in `order`" (keyset pagination), under the NULL
  // ordering of order_clause(): an OR over each key of "equal on the keys before it, after it
  // on this one". Every term binds its own values in text order, so that positional `?`
  // placeholders line up with the parameters.
  std::string keyset(const std::vector<OrderKey>& order, const std::vector<Json>& after)
  {
    if (after.size() != order.size()) {
      throw invalid_argument(fmt::format("the keyset has {} values for {} order keys", after.size(), order.size()));
    }
    for (const auto& value : after) {
      if (value.is_object() || value.is_array()) {
        throw invalid_argument("invalid cursor: keyset values must be scalars");
      }
    }
    // Placeholders are bound in text order, and a `?` cannot be reused, so every term binds
    // its own copy of the value.
    const auto equal = [&](size_t i) {
      const std::string col = column(order[i].column);
      return after[i].is_null() ? col + " IS NULL" : fmt::format("{} = {}", col, bind(after[i]));
    };
    std::vector<std::string> alternatives;
    for (size_t i = 0; i < order.size(); ++i) {
      const bool null = after[i].is_null();
      if (order[i].descending && null) {
        continue; // descending past a NULL: nothing follows on this key
      }
      std::vector<std::string> terms;
      for (size_t j = 0; j < i; ++j) {
        terms.push_back(equal(j));
      }
      const Sorted key = sorted_column(order[i].column);
      const std::string& col = key.expression;
      if (!order[i].descending) {
        terms.push_back(null ? col + " IS NOT NULL" : fmt::format("{} > {}", col, bind(after[i])));
      } else {
        terms.push_back(key.nullable ? fmt::format("({} < {} OR {} IS NULL)", col, bind(after[i]), col)
                                     : fmt::format("{} < {}", col, bind(after[i])));
      }
      alternatives.push_back(terms.size() == 1 ? terms[0] : fmt::format("({})", fmt::join(terms, " AND ")));
    }
    return alternatives.empty() ? "1 = 0" : fmt::format("({})", fmt::join(alternatives, " OR "));
  }

  std::string limit(int64_t limit)
  {
    if (limit < 0) {
      throw invalid_argument("limit must not be negative");
    }
    return " LIMIT " + bind(limit);
  }

  // The statement; throws invalid_argument when it binds more values than every engine takes
  // (SQLite's default limit; PostgreSQL's is 65,535), which was an internal error before.
  Statement finish(std::string text)
  {
    if (m_params.size() > k_max_params) {
      throw invalid_argument(fmt::format("too many values in one request ({}; at most {} can be bound): split the "
                                         "request or reduce the list",
                                         m_params.size(), k_max_params));
    }
    return {std::move(text), std::move(m_params)};
  }

  const Dialect& dialect() const { return m_dialect; }
  const TableInfo& info() const { return m_table; }

private:
  static void require_scalar(const Condition& condition)
  {
    if (condition.value.is_null() || condition.value.is_object() || condition.value.is_array()) {
      throw invalid_argument(fmt::format("{}: '{}' needs a single non-null value", condition.column,
                                         op_name(condition.op)));
    }
  }

  // IN / NOT IN over the list; a null in the list matches (or excludes) NULL, an empty list
  // matches nothing (in) or everything (not_in).
  std::string membership(const std::string& col, const Condition& condition)
  {
    const bool in = condition.op == Op::in;
    if (!condition.value.is_array()) {
      throw invalid_argument(fmt::format("{}: '{}' needs a list of values", condition.column, op_name(condition.op)));
    }
    std::vector<std::string> placeholders;
    bool has_null = false;
    for (const auto& item : condition.value) {
      if (item.is_object() || item.is_array()) {
        throw invalid_argument(fmt::format("{}: '{}' takes scalar values", condition.column, op_name(condition.op)));
      }
      if (item.is_null()) {
        has_null = true;
      } else {
        placeholders.push_back(bind(item));
      }
    }
    std::vector<std::string> terms;
    if (!placeholders.empty()) {
      terms.push_back(fmt::format("{} {} ({})", col, in ? "IN" : "NOT IN", fmt::join(placeholders, ", ")));
    }
    if (has_null) {
      terms.push_back(col + (in ? " IS NULL" : " IS NOT NULL"));
    }
    if (terms.empty()) {
      return in ? "1 = 0" : "1 = 1";
    }
    return terms.size() == 1 ? terms[0] : fmt::format("({})", fmt::join(terms, in ? " OR " : " AND "));
  }

  // `like` compares case and `ilike` folds it, on every engine, with the SQL standard pattern
  // language: % any run, _ one character, a backslash makes the next character literal.
  std::string like(const std::string& col, bool insensitive, const Json& pattern)
  {
    if (!insensitive) {
      if (m_dialect.like_ignores_case) {
        return fmt::format("{} GLOB {}", col, bind(glob_pattern(pattern.get<std::string>())));
      }
      if (!m_dialect.like_binary_collation.empty()) {
        return fmt::format("{} COLLATE {} LIKE {} ESCAPE '\\'", col, m_dialect.like_binary_collation, bind(pattern));
      }
      return fmt::format("{} LIKE {}", col, bind(pattern));
    }
    if (m_dialect.native_ilike) {
      return fmt::format("{} ILIKE {}", col, bind(pattern));
    }
    return fmt::format("LOWER({}) LIKE LOWER({}) ESCAPE '\\'", col, bind(pattern));
  }

  // The GLOB pattern (case-sensitive) matching what the LIKE pattern `like` matches: % and _
  // become * and ?, GLOB's own special characters and escaped characters become literal.
  static std::string glob_pattern(std::string_view like)
  {
    std::string glob;
    for (size_t i = 0; i < like.size(); ++i) {
      char c = like[i];
      if (c == '\\' && i + 1 < like.size()) {
        c = like[++i];
      } else if (c == '%') {
        glob += '*';
        continue;
      } else if (c == '_') {
        glob += '?';
        continue;
      }
      if (c == '*' || c == '?' || c == '[') {
        glob += fmt::format("[{}]", c);
      } else {
        glob += c;
      }
    }
    return glob;
  }

  // Case-insensitive contains of `search.query` over its columns (every text column when none
  // are named).
  std::string contains(const TextSearch& search)
  {
    std::vector<const Column*> columns;
    for (const auto& name : search.columns) {
      columns.push_back(&m_table.require_column(name));
    }
    if (search.columns.empty()) {
      for (const auto& column : m_table.columns) {
        if (column.kind == ValueKind::text) {
          columns.push_back(&column);
        }
      }
    }
    if (columns.empty()) {
      throw invalid_argument(fmt::format("{} has no text columns to search; name the columns to search", m_table.name));
    }
    const std::string pattern = contains_pattern(search.query);
    std::vector<std::string> terms;
    for (const Column* column : columns) {
      std::string expression = quote(column->name);
      if (column->kind != ValueKind::text) {
        expression = fmt::format("CAST({} AS {})", expression, m_dialect.text_type);
      }
      const std::string op = m_dialect.native_ilike ? " ILIKE " : " LIKE ";
      if (!m_dialect.native_ilike) {
        expression = fmt::format("LOWER({})", expression);
      }
      terms.push_back(fmt::format("{}{}{} ESCAPE '{}'", expression, op, bind(pattern), k_escape));
    }
    return fmt::format("({})", fmt::join(terms, " OR "));
  }

  const Dialect& m_dialect;
  const TableInfo& m_table;
  std::vector<Json> m_params;
};

std::string_view function_name(AggregateFn fn)
{
  switch (fn) {
  case AggregateFn::count: return "COUNT";
  case AggregateFn::sum: return "SUM";
  case AggregateFn::avg: return "AVG";
  case AggregateFn::min: return "MIN";
  case AggregateFn::max: return "MAX";
  }
  return "COUNT";
}

// MySQL's " ON DUPLICATE KEY UPDATE …": for ignore a no-op assignment of the first column (the
// row in conflict is left as it is, and counts as no affected row); for replace the given
// columns outside the key conflict_target() picks (which also refuses rows giving no key).
std::string on_duplicate_key(const Builder& builder, const std::vector<std::string>& columns, bool ignore)
{
  const std::string first = builder.column(columns.empty() ? builder.info().columns.at(0).name : columns[0]);
  if (ignore) {
    return fmt::format(" ON DUPLICATE KEY UPDATE {} = {}", first, first);
  }
  const auto key = conflict_target(builder.info(), columns);
  std::vector<std::string> assignments;
  for (const auto& name : columns) {
    if (std::find(key.begin(), key.end(), name) == key.end()) {
      const std::string col = builder.column(name);
      assignments.push_back(fmt::format("{} = VALUES({})", col, col));
    }
  }
  if (assignments.empty()) {
    return fmt::format(" ON DUPLICATE KEY UPDATE {} = {}", first, first);
  }
  return fmt::format(" ON DUPLICATE KEY UPDATE {}", fmt::join(assignments, ", "));
}

// The INSERT verb and the clause after VALUES for `on_conflict`. ignore and replace act on
// uniqueness conflicts only (NOT NULL, CHECK and foreign keys still fail), with the same meaning
// on every engine: ignore skips the row; replace updates the given columns of the existing row,
// which keeps its key, its omitted columns and the rows that refer to it.
std::pair<std::string, std::string> conflict_clauses(const Builder& builder, const std::vector<std::string>& columns,
                                                     OnConflict on_conflict)
{
  const Dialect& dialect = builder.dialect();
  if (on_conflict == OnConflict::error) {
    return {"INSERT INTO", ""};
  }
  const bool ignore = on_conflict == OnConflict::ignore;
  if (dialect.upsert == Dialect::Upsert::on_duplicate_key) {
    return {"INSERT INTO", on_duplicate_key(builder, columns, ignore)};
  }
  if (ignore) {
    return {"INSERT INTO", " ON CONFLICT DO NOTHING"};
  }
  const auto key = conflict_target(builder.info(), columns);
  std::vector<std::string> target;
  for (const auto& name : key) {
    target.push_back(builder.column(name));
  }
  std::vector<std::string> assignments;
  for (const auto& name : columns) {
    if (std::find(key.begin(), key.end(), name) == key.end()) {
      const std::string col = builder.column(name);
      assignments.push_back(fmt::format("{} = EXCLUDED.{}", col, col));
    }
  }
  if (assignments.empty()) {
    return {"INSERT INTO", fmt::format(" ON CONFLICT ({}) DO NOTHING", fmt::join(target, ", "))};
  }
  return {"INSERT INTO",
          fmt::format(" ON CONFLICT ({}) DO UPDATE SET {}", fmt::join(target, ", "), fmt::join(assignments, ", "))};
}

std::string returning(const Dialect& dialect, bool wanted)
{
  return dialect.returning && wanted ? " RETURNING *" : "";
}

} // namespace

std::vector<std::string> conflict_target(const TableInfo& table, const std::vector<std::string>& columns)
{
  const auto given = [&](const std::vector<std::string>& key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), [&](const std::string& name) {
      return std::find(columns.begin(), columns.end(), name) != columns.end();
    });
  };
  if (given(table.primary_key)) {
    return table.primary_key;
  }
  std::vector<std::string> keys;
  if (!table.primary_key.empty()) {
    keys.push_back(fmt::format("({})", fmt::join(table.primary_key, ", ")));
  }
  for (const auto& index : table.indexes) {
    if (index.unique && index.columns != table.primary_key) {
      if (given(index.columns)) {
        return index.columns;
      }
      keys.push_back(fmt::format("({})", fmt::join(index.columns, ", ")));
    }
  }
  if (keys.empty()) {
    throw invalid_argument(
        fmt::format("on_conflict 'replace' needs a primary key or a unique key, and {} has none", table.name));
  }
  throw invalid_argument(fmt::format("on_conflict 'replace' needs every column of one key of {} in each row: {}",
                                     table.name, fmt::join(keys, " or ")));
}

std::string conflict_clause(const Dialect& dialect, const TableInfo& table, const std::vector<std::string>& columns,
                            OnConflict on_conflict)
{
  const Builder builder(dialect, table);
  return conflict_clauses(builder, columns, on_conflict).second;
}

std::string quote_identifier(const Dialect& dialect, std::string_view name)
{
  std::string quoted;
  append_identifier(quoted, dialect, name);
  return quoted;
}

Statement select(const Dialect& dialect, const TableInfo& table, const Select& query)
{
  if (auto statement = point_read(dialect, table, query)) {
    return std::move(*statement);
  }
  Builder builder(dialect, table);
  std::vector<std::string> projection;
  for (const auto& name : query.columns) {
    projection.push_back(builder.column(name));
  }
  std::string text = fmt::format("SELECT {} FROM {}", projection.empty() ? "*" : fmt::to_string(fmt::join(projection, ", ")),
                                 builder.table());
  const std::string where = builder.where_clause(query.where, query.search);
  text += where;
  if (query.after) {
    text += (where.empty() ? " WHERE " : " AND ") + builder.keyset(query.order, *query.after);
  }
  text += builder.order_clause(query.order, [&](const std::string& name) { return builder.sorted_column(name); });
  text += builder.limit(query.limit);
  if (query.offset < 0) {
    throw invalid_argument("offset must not be negative");
  }
  if (query.offset > 0) {
    text += " OFFSET " + builder.bind(query.offset);
  }
  return builder.finish(std::move(text));
}

Statement count(const Dialect& dialect, const TableInfo& table, const Filter& where, const std::optional<TextSearch>& search)
{
  Builder builder(dialect, table);
  std::string text = "SELECT COUNT(*) FROM " + builder.table();
  text += builder.where_clause(where, search);
  return builder.finish(std::move(text));
}

Statement aggregate(const Dialect& dialect, const TableInfo& table, const AggregateQuery& query)
{
  Builder builder(dialect, table);
  if (query.group_by.empty() && query.aggregates.empty()) {
    throw invalid_argument("aggregate needs group_by columns or aggregates");
  }
  std::vector<std::string> groups;
  std::vector<std::string> projection;
  for (const auto& name : query.group_by) {
    groups.push_back(builder.column(name));
    projection.push_back(groups.back());
  }
  for (const auto& aggregate : query.aggregates) {
    if (aggregate.alias.empty()) {
      throw invalid_argument("every aggregate needs an alias");
    }
    // Result rows are keyed by name: an alias equal to a group column or to another alias
    // would silently overwrite it.
    const auto same_alias = [&](const Aggregate& other) { return other.alias == aggregate.alias; };
    if (std::count_if(query.aggregates.begin(), query.aggregates.end(), same_alias) > 1
        || std::find(query.group_by.begin(), query.group_by.end(), aggregate.alias) != query.group_by.end()) {
      throw invalid_argument(fmt::format("the aggregate alias '{}' is used twice; give each aggregate and group_by "
                                         "column a different name",
                                         aggregate.alias));
    }
    if (!aggregate.column && aggregate.fn != AggregateFn::count) {
      throw invalid_argument(fmt::format("{} needs a column", function_name(aggregate.fn)));
    }
    const std::string argument = aggregate.column ? builder.column(*aggregate.column) : "*";
    projection.push_back(fmt::format("{}({}) AS {}", function_name(aggregate.fn), argument, builder.quote(aggregate.alias)));
  }
  std::string text = fmt::format("SELECT {} FROM {}", fmt::join(projection, ", "), builder.table());
  text += builder.where_clause(query.where, std::nullopt);
  if (!groups.empty()) {
    text += fmt::format(" GROUP BY {}", fmt::join(groups, ", "));
  }
  std::vector<OrderKey> order = query.order;
  if (order.empty()) {
    for (const auto& name : query.group_by) {
      order.push_back({name, false});
    }
  }
  text += builder.order_clause(order, [&](const std::string& name) {
    const bool grouped = std::find(query.group_by.begin(), query.group_by.end(), name) != query.group_by.end();
    const auto alias = std::find_if(query.aggregates.begin(), query.aggregates.end(),
                                    [&](const Aggregate& a) { return a.alias == name; });
    if (!grouped && alias == query.aggregates.end()) {
      throw invalid_argument(fmt::format("order_by '{}' must be a group_by column or an aggregate alias", name));
    }
    // A COUNT is never NULL: it sorts without a NULL clause.
    return grouped ? builder.sorted_column(name)
                   : Builder::Sorted{builder.quote(name), alias->fn != AggregateFn::count};
  });
  text += builder.limit(query.limit);
  if (query.offset > 0) {
    text += " OFFSET " + builder.bind(query.offset);
  }
  return builder.finish(std::move(text));
}

Statement insert(const Dialect& dialect, const TableInfo& table, const std::vector<std::string>& columns,
                 size_t row_count, OnConflict on_conflict, bool returning_wanted)
{
  Builder builder(dialect, table);
  if (row_count == 0) {
    throw invalid_argument("an insert needs at least one row");
  }
  std::vector<std::string> names;
  for (const auto& name : columns) {
    names.push_back(builder.column(name));
  }
  const auto [verb, conflict] = conflict_clauses(builder, columns, on_conflict);
  if (names.empty()) {
    if (row_count != 1) {
      throw invalid_argument("a multi-row insert needs at least one column");
    }
    return builder.finish(fmt::format("{} {} {}{}{}", verb, builder.table(), dialect.default_values, conflict,
                                      returning(dialect, returning_wanted)));
  }
  std::string text = fmt::format("{} {} ({}) VALUES ", verb, builder.table(), fmt::join(names, ", "));
  for (size_t row = 0; row < row_count; ++row) {
    std::vector<std::string> placeholders;
    for (size_t i = 0; i < names.size(); ++i) {
      placeholders.push_back(builder.bind(nullptr));
    }
    text += fmt::format("{}({})", row == 0 ? "" : ", ", fmt::join(placeholders, ", "));
  }
  Statement statement = builder.finish(text + conflict + returning(dialect, returning_wanted));
  statement.params.clear(); // placeholders only: the caller binds the values row by row
  return statement;
}

Statement update(const Dialect& dialect, const TableInfo& table, const Filter& where, const Row& values)
{
  Builder builder(dialect, table);
  if (!values.is_object() || values.empty()) {
    throw invalid_argument(fmt::format("an update of {} needs at least one column to set", table.name));
  }
  std::vector<std::string> assignments;
  for (const auto& [name, value] : values.items()) {
    const std::string col = builder.column(name);
    assignments.push_back(fmt::format("{} = {}", col, builder.bind(value)));
  }
  std::string text = fmt::format("UPDATE {} SET {}", builder.table(), fmt::join(assignments, ", "));
  text += builder.where_clause(where, std::nullopt);
  return builder.finish(text + returning(dialect, true));
}

Statement remove(const Dialect& dialect, const TableInfo& table, const Filter& where)
{
  Builder builder(dialect, table);
  std::string text = "DELETE FROM " + builder.table();
  text += builder.where_clause(where, std::nullopt);
  return builder.finish(text + returning(dialect, true));
}

} // namespace dbmcp::store::sql
