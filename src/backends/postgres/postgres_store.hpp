#pragma once

#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>

namespace dbmcp::backends::postgres {

// Opens a pooled PostgreSQL store from a libpq URI (postgresql://… or postgres://…): the generic
// SqlStore over the PostgreSQL engine (pg_engine.cpp).
// Throws store::StoreError (unavailable) when no connection can be made.
std::unique_ptr<store::Store> open_postgres_store(const store::StoreOptions& options);

} // namespace dbmcp::backends::postgres
