#pragma once

#include "backends/sql/engine.hpp"
#include "store/options.hpp"
#include "store/store.hpp"

#include <functional>
#include <memory>

namespace dbmcp::backends::sql {

// Opens the engine `open_engine` returns.
using EngineOpener = std::function<std::unique_ptr<Engine>()>;

// The one Store over every relational Engine: checks names against the catalog snapshot, refuses
// writes when read-only, inserts related rows in the parent's transaction, and returns stored
// rows through RETURNING when the dialect has it, else by reading them back by key in the same
// transaction. Throws invalid_argument, before `open_engine` opens any connection, unless
// 0 <= options.pool_min <= options.pool_max and pool_max >= 1. Loads the catalog before
// returning; throws StoreError when it cannot.
std::unique_ptr<store::Store> make_sql_store(const store::StoreOptions& options, const EngineOpener& open_engine);

} // namespace dbmcp::backends::sql
