#include "backends/sql/row_lookup.hpp"

#include <algorithm>
#include <limits>

namespace dbmcp::backends::sql {
namespace {

// Rows per read-back statement, so that a large update stays under the bound-value limit.
constexpr size_t k_keys_per_statement = 500;

// The filter "key equals one of `keys`".
store::Filter key_filter(const std::vector<std::string>& key, std::span<const store::Row> keys)
{
  store::Condition any{"or", store::Op::any_of, Json(), {}};
  for (const auto& row : keys) {
    store::Condition all{"and", store::Op::all_of, Json(), {}};
    for (const auto& column : key) {
      all.children.push_back({column, store::Op::eq, row.at(column), {}});
    }
    any.children.push_back(std::move(all));
  }
  return {std::move(any)};
}

} // namespace

std::vector<std::string> row_key(const store::TableInfo& table)
{
  if (!table.primary_key.empty()) {
    return table.primary_key;
  }
  for (const auto& index : table.indexes) {
    const bool not_null = std::all_of(index.columns.begin(), index.columns.end(), [&](const std::string& name) {
      const store::Column* column = table.find_column(name);
      return column && !column->nullable;
    });
    if (index.unique && not_null && !index.columns.empty()) {
      return index.columns;
    }
  }
  return {};
}

std::vector<store::Row> with_updated_keys(std::vector<store::Row> keys, const store::Row& values)
{
  for (auto& row : keys) {
    for (auto it = row.begin(); it != row.end(); ++it) {
      if (values.contains(it.key())) {
        *it = values.at(it.key());
      }
    }
  }
  return keys;
}

std::vector<store::Row> read_back(const store::sql::Dialect& dialect, Session& session, const store::TableInfo& table,
                                  const std::vector<std::string>& key, const std::vector<store::Row>& keys)
{
  std::vector<store::Row> rows;
  const std::span<const store::Row> all(keys);
  for (size_t first = 0; first < keys.size(); first += k_keys_per_statement) {
    store::Select query;
    query.table = table.name;
    query.where = key_filter(key, all.subspan(first, std::min(k_keys_per_statement, keys.size() - first)));
    query.limit = std::numeric_limits<int64_t>::max();
    for (const auto& column : key) {
      query.order.push_back({column, false});
    }
    const auto statement = store::sql::select(dialect, table, query);
    auto found = session.execute(statement.text, statement.params).rows;
    std::move(found.begin(), found.end(), std::back_inserter(rows));
  }
  return rows;
}

store::Row read_back_inserted(const store::sql::Dialect& dialect, Session& session, const store::TableInfo& table,
                              const store::Row& values, std::optional<int64_t> last_insert_id)
{
  const auto key = row_key(table);
  store::Row key_values = Json::object();
  for (const auto& column : key) {
    const store::Column* described = table.find_column(column);
    if (values.contains(column)) {
      key_values[column] = values.at(column);
    } else if (described && described->auto_increment && last_insert_id) {
      key_values[column] = *last_insert_id;
    } else {
      return values; // neither given nor generated: no way to find the row
    }
  }
  if (key.empty()) {
    return values;
  }
  auto rows = read_back(dialect, session, table, key, {key_values});
  return rows.empty() ? values : std::move(rows[0]);
}

} // namespace dbmcp::backends::sql
