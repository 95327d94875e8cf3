#pragma once

#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>

namespace dbmcp::backends::sqlite {

// Opens a SQLite database from `options.url`: sqlite:///abs/path.db, sqlite:rel.db,
// sqlite::memory:, or a bare path. WAL, foreign_keys=ON and a busy timeout are set.
// Throws store::StoreError (unavailable) when the file cannot be opened.
std::unique_ptr<store::Store> open_sqlite_store(const store::StoreOptions& options);

} // namespace dbmcp::backends::sqlite
