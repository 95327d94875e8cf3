#pragma once

#include "backends/sql/engine.hpp"
#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>

namespace dbmcp::backends::sql {

// The one Store over every relational Engine: checks names against the catalog snapshot, refuses
// writes when read-only, inserts related rows in the parent's transaction, and returns stored
// rows through RETURNING when the dialect has it, else by reading them back by key in the same
// transaction. Loads the catalog before returning; throws StoreError when it cannot.
// Throws invalid_argument unless 0 <= options.pool_min <= options.pool_max and pool_max >= 1;
// an engine checks this before it opens its pool.
void check_pool_size(const store::StoreOptions& options);

std::unique_ptr<store::Store> make_sql_store(std::unique_ptr<Engine> engine, const store::StoreOptions& options);

} // namespace dbmcp::backends::sql
