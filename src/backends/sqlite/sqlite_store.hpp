#pragma once

#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>

namespace dbmcp::backends::sqlite {

// Opens a SQLite database from `options.url`: sqlite:///abs/path.db, sqlite:rel.db,
// sqlite::memory:, or a bare path. foreign_keys=ON and a busy timeout are set; the journal mode
// is WAL for a file created here or with `options.wal`, and left as it is otherwise.
// Throws store::StoreError (unavailable) when the file is missing and `options.create` is
// false, is not a SQLite database, or cannot be opened (Connections says which).
std::unique_ptr<store::Store> open_sqlite_store(const store::StoreOptions& options);

} // namespace dbmcp::backends::sqlite
