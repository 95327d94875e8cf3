#pragma once

#include "backends/sql/connection_pool.hpp"
#include "backends/sqlite/sqlite_statement_cache.hpp"
#include "store/options.hpp"
#include "util/call_context.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dbmcp::backends::sqlite {

// Where a sqlite URL points: a file path, or a private in-memory database.
struct Target
{
  std::string path; // ":memory:" for an in-memory database
  bool memory = false;
};

// Parses sqlite:///abs/path.db, sqlite:rel.db, sqlite::memory:, a bare path or :memory:. A file
// path comes back absolute, a leading ~/ expanded to $HOME. Throws invalid_argument for a URL
// with no path.
Target parse_url(const std::string& url);

// One SQLite connection and the statements prepared on it (emptied when `schema_generation` moves).
class Connection : public SQLite::Database
{
public:
  static constexpr size_t k_cached_statements = 64;

  Connection(const std::string& path, int flags, int busy_timeout_ms, const std::atomic<uint64_t>& schema_generation)
    : SQLite::Database(path, flags, busy_timeout_ms), m_statements(k_cached_statements, schema_generation)
  {
  }

  // The statement for `sql`, from this connection's cache; reset and unbound when the borrow ends.
  StatementCache::Borrowed prepared(const std::string& sql) { return m_statements.borrow(*this, sql); }
  size_t cached_statements() const { return m_statements.size(); }

private:
  StatementCache m_statements; // destroyed before the connection closes
};

// The connections of one database, SQLite's use of the generic pool (backends/sql/connection_pool.hpp):
// a pool of one writer, so that writes are serialised, and a pool of readers that run
// concurrently in WAL mode (pool_max - 1 of them, at least one). An in-memory database has a
// single connection that serves as both. Thread-safe.
class Connections
{
public:
  using Pool = sql::ConnectionPool<Connection>;
  using Lease = Pool::Lease;

  // Opens the writer (unless `options.read_only`) and checks that the database is readable.
  // Throws unavailable, naming the absolute path, when the file or its directory is missing
  // (and the file may not be created), when the file is not SQLite (checked from its first 16
  // bytes before SQLite touches it; an empty file is accepted) or cannot be opened. A file it
  // creates is put in WAL mode; an existing file keeps its journal mode unless `options.wal`.
  Connections(Target target, const store::StoreOptions& options);
  Connections(const Connections&) = delete;
  Connections& operator=(const Connections&) = delete;

  // The writer connection, waiting for other writers. Throws read_only for a read-only
  // database, unavailable when the file was replaced or when the pool timeout passes first.
  Lease writer();
  // A reader connection (the writer for an in-memory database). Throws unavailable when none
  // frees up within the pool timeout.
  Lease reader();

  const Target& target() const { return m_target; }
  bool read_only() const { return m_options.read_only; }
  // {"writer": the writer pool's stats or null, "readers": the readers' or null}
  Json stats() const;
  // Empties every connection's statement cache before its next use (call after a schema change).
  void schema_changed() { ++m_schema_generation; }

private:
  // Opens a connection; throws unavailable naming the file.
  std::unique_ptr<Connection> open(bool writer) const;
  // The first reader: checked to read the schema, opened immutable instead when that fails as
  // open_immutable_instead() allows.
  std::unique_ptr<Connection> open_first_reader();
  std::unique_ptr<Connection> open_unchecked(bool writer) const;
  // Called when the first reader of a --read-only pool failed with `failure`: for a WAL file
  // whose -shm/-wal cannot be created (a read-only directory), switches the pool to immutable
  // connections, warns on stderr that other processes' changes will not be seen, and answers
  // true (open again); false leaves the failure as it is.
  bool open_immutable_instead(const SQLite::Exception& failure);
  std::unique_ptr<Pool> make_pool(bool writer, int min_size, int max_size);

  const Target m_target;
  const store::StoreOptions m_options;
  bool m_created = false; // the file did not exist: this pool creates it
  // Read-only WAL file in a read-only directory: opened immutable. Set only while the
  // constructor opens the first reader.
  bool m_immutable = false;
  bool m_started = false; // the constructor has opened the first reader
  // The device and inode of the file as opened; writer() refuses writes once the path names
  // another file or none (deleted or replaced: SQLite would write to the unlinked inode, and the
  // acknowledged rows would vanish at exit).
  std::optional<std::pair<uint64_t, uint64_t>> m_identity;
  void check_file_still_there() const;

  std::atomic<uint64_t> m_schema_generation{0}; // outlives the connections that watch it
  std::unique_ptr<Pool> m_writer; // null when read-only
  std::unique_ptr<Pool> m_readers; // null for an in-memory database
};

// While it lives, cancelling `ctx` interrupts the statement running on `db` (sqlite3_interrupt,
// and a progress handler that also catches a cancel landing between statements), and a
// statement running longer than `timeout` (when non-zero) is interrupted too; timed_out() then
// says so.
class CallGuard
{
public:
  CallGuard(SQLite::Database& db, CallContext& ctx, std::chrono::milliseconds timeout);
  ~CallGuard();
  CallGuard(const CallGuard&) = delete;
  CallGuard& operator=(const CallGuard&) = delete;

  bool timed_out() const { return m_timed_out; }

private:
  static int on_progress(void* self);

  SQLite::Database& m_db;
  const CallContext& m_ctx;
  std::chrono::steady_clock::time_point m_deadline;
  bool m_has_deadline = false;
  bool m_timed_out = false;
  CallContext::InterruptGuard m_interrupt;
};

} // namespace dbmcp::backends::sqlite
