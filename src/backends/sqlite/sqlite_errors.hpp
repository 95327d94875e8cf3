#pragma once

#include "backends/sqlite/sqlite_catalog.hpp"
#include "store/errors.hpp"
#include "store/query.hpp"
#include "util/call_context.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <optional>
#include <string>

namespace dbmcp::backends::sqlite {

// A failed SQLite call: primary and extended result codes and SQLite's message.
struct Failure
{
  int code = 0;
  int extended = 0;
  std::string message;

  static Failure of(const SQLite::Exception& e);
};

// What the failing statement was doing, so that the error can name the culprit.
struct ErrorScope
{
  const store::TableInfo* table = nullptr;
  const TableExtras* extras = nullptr;
  const store::Row* values = nullptr; // the row being written, when there is one
  // Every (column, value) the statement bound, filters included (sql::ErrorScope::bound).
  const std::vector<std::pair<std::string, Json>>* bound = nullptr;
  // The filter's top-level equalities (sql::ErrorScope::pinned): the key an update or delete touched.
  const std::vector<std::pair<std::string, Json>>* pinned = nullptr;
  std::optional<size_t> row_index;    // its 0-based position in a batch
  bool deleting = false;
  bool timed_out = false;             // the statement timeout interrupted it
  std::chrono::milliseconds statement_timeout{0};
};

// The StoreError for `failure`, or dbmcp::Cancelled when `ctx` was cancelled, thrown.
// A foreign-key failure is narrowed to the key at fault by looking up the row's key values
// through `db` (which must still hold the failed statement's transaction).
[[noreturn]] void raise(const Failure& failure, const ErrorScope& scope, SQLite::Database* db, const CallContext& ctx);

// The one-line message for a constraint failure, without the batch row prefix. Exposed for tests.
store::StoreError constraint_error(const Failure& failure, const ErrorScope& scope, SQLite::Database* db);

} // namespace dbmcp::backends::sqlite
