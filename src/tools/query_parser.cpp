#include "tools/query_parser.hpp"

#include "store/errors.hpp"
#include "util/blob_json.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <map>

namespace dbmcp::tools {
namespace {

using store::Op;

const std::map<std::string, Op, std::less<>>& operators()
{
  static const std::map<std::string, Op, std::less<>> k_operators = {
      {"eq", Op::eq}, {"ne", Op::ne}, {"lt", Op::lt},       {"lte", Op::lte},         {"gt", Op::gt},
      {"gte", Op::gte}, {"in", Op::in}, {"not_in", Op::not_in}, {"like", Op::like}, {"ilike", Op::ilike},
      {"is_null", Op::is_null}};
  return k_operators;
}

std::string_view kind_name(store::ValueKind kind)
{
  switch (kind) {
  case store::ValueKind::integer: return "an integer";
  case store::ValueKind::real: return "a number";
  case store::ValueKind::text: return "a string";
  case store::ValueKind::boolean: return "true or false";
  case store::ValueKind::blob: return "{\"$base64\": \"…\"} or a base64 string";
  case store::ValueKind::other: return "a scalar";
  }
  return "a scalar";
}

// "14.00", "-0.5", "1e3": a number written as text, as a client sends an exact DECIMAL (and as
// the engines return one that a double cannot hold).
bool is_number_text(const std::string& text)
{
  size_t i = text.size() > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  size_t digits = 0;
  const auto skip_digits = [&] {
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
      ++digits;
    }
  };
  skip_digits();
  if (i < text.size() && text[i] == '.') {
    ++i;
    skip_digits();
  }
  if (digits == 0) {
    return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    i += i < text.size() && (text[i] == '-' || text[i] == '+') ? 1 : 0;
    digits = 0;
    skip_digits();
    if (digits == 0) {
      return false;
    }
  }
  return i == text.size();
}

bool suits(store::ValueKind kind, const Json& value)
{
  switch (kind) {
  case store::ValueKind::integer:
    return value.is_number_integer() || (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>());
  case store::ValueKind::real: return value.is_number() || (value.is_string() && is_number_text(value.get<std::string>()));
  case store::ValueKind::text: return value.is_string() || value.is_number();
  case store::ValueKind::boolean: return value.is_boolean() || value == 0 || value == 1;
  case store::ValueKind::blob: return blob_base64_text(value) != nullptr;
  case store::ValueKind::other: return true;
  }
  return true;
}

store::Condition parse_operator(const std::string& column_name, const std::string& name, const Json& value,
                                const store::TableInfo& table)
{
  const auto it = operators().find(name);
  if (it == operators().end()) {
    throw store::invalid_argument(fmt::format("unknown operator '{}' for {} (use eq ne lt lte gt gte in not_in "
                                              "like ilike is_null; and, or, not combine whole conditions)",
                                              name, column_name));
  }
  const store::Column& column = table.require_column(column_name);
  const Op op = it->second;
  if (op == Op::in || op == Op::not_in) {
    if (!value.is_array()) {
      throw store::invalid_argument(fmt::format("{}: '{}' takes a list of values", column_name, name));
    }
    for (const auto& item : value) {
      check_value(column, table, item);
    }
  } else if (op == Op::is_null) {
    if (!value.is_boolean()) {
      throw store::invalid_argument(fmt::format("{}: 'is_null' takes true or false", column_name));
    }
  } else if (op == Op::like || op == Op::ilike) {
    if (!value.is_string()) {
      throw store::invalid_argument(fmt::format("{}: '{}' takes a pattern string such as \"%@example.com\"",
                                                column_name, name));
    }
  } else if (!value.is_null()) {
    check_value(column, table, value);
  } else if (op != Op::eq && op != Op::ne) {
    throw store::invalid_argument(fmt::format("{}: '{}' cannot compare with null; use is_null", column_name, name));
  }
  return {column.name, op, value};
}

} // namespace

void check_value(const store::Column& column, const store::TableInfo& table, const Json& value,
                 const std::string& what)
{
  const bool marked_blob = column.kind == store::ValueKind::blob && value.is_object() && blob_base64_text(value);
  if ((value.is_object() && !marked_blob) || value.is_array()) {
    throw store::invalid_argument(fmt::format("{}{}.{} takes a single value, not {}", what, table.name, column.name,
                                              value.dump().substr(0, 60)));
  }
  if (!value.is_null() && !suits(column.kind, value)) {
    throw store::invalid_argument(fmt::format("{}{}.{} expects {} ({}), got {}", what, table.name, column.name,
                                              kind_name(column.kind), column.type, value.dump().substr(0, 60)));
  }
}

void check_row(const Json& row, const store::TableInfo& table, const std::string& what)
{
  if (!row.is_object()) {
    throw store::invalid_argument(fmt::format("{}a record must be an object of column: value", what));
  }
  for (const auto& [name, value] : row.items()) {
    const store::Column* column = table.find_column(name);
    if (!column) {
      try {
        table.require_column(name);
      } catch (const store::StoreError& e) {
        throw store::invalid_argument(what + e.what());
      }
    }
    if ((value.is_object() || value.is_array()) && store::is_json_column(*column)) {
      continue; // a JSON document, stored as JSON text; filters still take single values only
    }
    check_value(*column, table, value, what);
  }
}

namespace {

constexpr int k_max_where_depth = 16;

store::Filter parse_where_object(const Json& where, const store::TableInfo& table, int depth);

// {"and": [{…}, …]}, {"or": [{…}, …]} or {"not": {…}}: each object inside is itself a where
// (its keys ANDed).
store::Condition parse_combinator(const std::string& name, const Json& operand, const store::TableInfo& table,
                                  int depth)
{
  if (name == "not") {
    if (!operand.is_object() || operand.empty()) {
      throw store::invalid_argument("'not' takes one condition object, e.g. {\"not\": {\"status\": \"done\"}}");
    }
    return {name, Op::none_of, operand, parse_where_object(operand, table, depth + 1)};
  }
  if (!operand.is_array() || operand.empty()) {
    throw store::invalid_argument(fmt::format("'{}' takes a non-empty list of condition objects, e.g. "
                                              "{{\"{}\": [{{\"age\": 36}}, {{\"age\": 41}}]}}",
                                              name, name));
  }
  store::Condition combined{name, name == "and" ? Op::all_of : Op::any_of, operand, {}};
  for (const auto& item : operand) {
    if (!item.is_object()) {
      throw store::invalid_argument(fmt::format("'{}' takes condition objects, got {}", name, item.dump().substr(0, 60)));
    }
    combined.children.push_back({"and", Op::all_of, item, parse_where_object(item, table, depth + 1)});
  }
  return combined;
}

store::Filter parse_where_object(const Json& where, const store::TableInfo& table, int depth)
{
  if (depth > k_max_where_depth) {
    throw store::invalid_argument(fmt::format("'where' nests and/or/not deeper than {} levels", k_max_where_depth));
  }
  store::Filter filter;
  for (const auto& [key, condition] : where.items()) {
    const bool combinator = key == "and" || key == "or" || key == "not";
    if (!table.find_column(key)) {
      if (combinator) {
        filter.push_back(parse_combinator(key, condition, table, depth));
        continue;
      }
      try {
        table.require_column(key);
      } catch (const store::StoreError& e) {
        throw store::invalid_argument(std::string(e.what())
                                      + " (the keys of 'where' are columns or the combinators and, or, not)");
      }
    }
    if (condition.is_object()) {
      if (condition.empty()) {
        throw store::invalid_argument(fmt::format("{}: empty condition object", key));
      }
      for (const auto& [name, value] : condition.items()) {
        filter.push_back(parse_operator(key, name, value, table));
      }
    } else {
      filter.push_back(parse_operator(key, "eq", condition, table));
    }
  }
  return filter;
}

} // namespace

store::Filter parse_where(const Json& where, const store::TableInfo& table)
{
  if (where.is_null()) {
    return {};
  }
  if (!where.is_object()) {
    throw store::invalid_argument("'where' must be an object such as {\"status\": \"active\", \"age\": {\"gte\": 18}}");
  }
  return parse_where_object(where, table, 0);
}

namespace {

store::OrderKey parse_order_item(const Json& item, const store::TableInfo& table)
{
  std::string column;
  std::string direction = "asc";
  if (item.is_string()) {
    column = item.get<std::string>();
    if (!column.empty() && column[0] == '-') {
      column.erase(0, 1);
      direction = "desc";
    } else if (const auto space = column.rfind(' '); space != std::string::npos) {
      direction = column.substr(space + 1);
      column.erase(space);
    }
  } else if (item.is_object() && item.contains("column") && item["column"].is_string()) {
    column = item["column"].get<std::string>();
    direction = item.value("direction", "asc");
  } else {
    throw store::invalid_argument("order_by items are \"column\", \"-column\", \"column desc\" or "
                                  "{\"column\": …, \"direction\": \"asc\"|\"desc\"}");
  }
  for (auto& c : direction) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (direction != "asc" && direction != "desc") {
    throw store::invalid_argument(fmt::format("order direction must be asc or desc, got '{}'", direction));
  }
  return {table.require_column(column).name, direction == "desc"};
}

} // namespace

std::vector<store::OrderKey> parse_order_by(const Json& order_by, const store::TableInfo& table)
{
  std::vector<store::OrderKey> order;
  if (order_by.is_null()) {
    return order;
  }
  if (order_by.is_array()) {
    for (const auto& item : order_by) {
      order.push_back(parse_order_item(item, table));
    }
  } else {
    order.push_back(parse_order_item(order_by, table));
  }
  return order;
}

std::vector<std::string> parse_columns(const std::vector<std::string>& columns, const store::TableInfo& table)
{
  std::vector<std::string> result;
  for (const auto& name : columns) {
    result.push_back(table.require_column(name).name);
  }
  return result;
}

store::Filter parse_key(const Json* id, const Json* key, const store::TableInfo& table)
{
  if (table.primary_key.empty()) {
    throw store::invalid_argument(fmt::format("{} has no primary key; use list_records with a 'where' filter",
                                              table.name));
  }
  store::Filter filter;
  if (id && key) {
    throw store::invalid_argument("give either 'id' or 'key', not both");
  }
  if (id) {
    if (table.primary_key.size() != 1) {
      throw store::invalid_argument(fmt::format("{} has a composite primary key ({}); pass 'key' with each column",
                                                table.name, fmt::join(table.primary_key, ", ")));
    }
    const auto& column = table.require_column(table.primary_key.front());
    check_value(column, table, *id);
    filter.push_back({column.name, store::Op::eq, *id});
    return filter;
  }
  if (!key || !key->is_object()) {
    throw store::invalid_argument(fmt::format("missing the primary key: pass 'id' (or 'key': {{{}}})",
                                              fmt::join(table.primary_key, ": …, ")));
  }
  for (const auto& name : table.primary_key) {
    if (!key->contains(name)) {
      throw store::invalid_argument(fmt::format("'key' is missing primary key column '{}'", name));
    }
    const Json& value = (*key)[name];
    check_value(*table.find_column(name), table, value);
    filter.push_back({name, store::Op::eq, value});
  }
  if (key->size() != table.primary_key.size()) {
    throw store::invalid_argument(fmt::format("'key' must hold exactly the primary key columns: {}",
                                              fmt::join(table.primary_key, ", ")));
  }
  return filter;
}

std::string describe_key(const store::Filter& key)
{
  std::vector<std::string> parts;
  for (const auto& condition : key) {
    parts.push_back(condition.value.is_string() ? "'" + condition.value.get<std::string>() + "'"
                                                : condition.value.dump());
  }
  return parts.size() == 1 ? parts.front() : fmt::format("({})", fmt::join(parts, ", "));
}

} // namespace dbmcp::tools
