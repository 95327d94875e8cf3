#pragma once

#include "backends/sql/engine.hpp"

// The RETURNING fallback: reading written rows back by key inside the writing transaction.
namespace dbmcp::backends::sql {

// The columns that identify a row of `table`: its primary key, else the first unique index whose
// columns are all NOT NULL; empty when it has neither.
std::vector<std::string> row_key(const store::TableInfo& table);

// `keys` (rows holding the key columns) with every key column that `values` sets replaced by the
// value set: where the rows of an UPDATE are found afterwards.
std::vector<store::Row> with_updated_keys(std::vector<store::Row> keys, const store::Row& values);

// Every column of the rows of `table` whose `key` columns equal one of `keys`, in `keys` order.
std::vector<store::Row> read_back(const store::sql::Dialect& dialect, Session& session, const store::TableInfo& table,
                                  const std::vector<std::string>& key, const std::vector<store::Row>& keys);

// The row an INSERT of `values` just stored, by the key the values give or the auto-increment
// value it took (`last_insert_id`). A table with no key to find it by returns `values` as given.
store::Row read_back_inserted(const store::sql::Dialect& dialect, Session& session, const store::TableInfo& table,
                              const store::Row& values, std::optional<int64_t> last_insert_id);

} // namespace dbmcp::backends::sql
