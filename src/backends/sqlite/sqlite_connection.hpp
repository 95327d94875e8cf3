#pragma once

#include "backends/sqlite/sqlite_statement_cache.hpp"
#include "store/options.hpp"
#include "util/call_context.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
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

// The connections of one database: one writer, serialised by a mutex, and a few readers that
// run concurrently in WAL mode. An in-memory database has a single connection that serves as
// both. Thread-safe.
class ConnectionPool
{
public:
  // Opens the writer (unless `options.read_only`) and checks that the database is readable.
  // Throws unavailable, naming the absolute path, when the file or its directory is missing
  // (and the file may not be created), when the file is not SQLite (checked from its first 16
  // bytes before SQLite touches it; an empty file is accepted) or cannot be opened. A file it
  // creates is put in WAL mode; an existing file keeps its journal mode unless `options.wal`.
  ConnectionPool(Target target, const store::StoreOptions& options);
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // A connection held for the lifetime of the lease; returns itself to the pool.
  class Lease
  {
  public:
    Lease(ConnectionPool* pool, Connection* db, bool writer) : m_pool(pool), m_db(db), m_writer(writer) {}
    Lease(Lease&& other) noexcept
      : m_pool(std::exchange(other.m_pool, nullptr)), m_db(other.m_db), m_writer(other.m_writer)
    {
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    Connection& db() const { return *m_db; }

  private:
    ConnectionPool* m_pool;
    Connection* m_db;
    bool m_writer;
  };

  // The writer connection, waiting for other writers. Throws timeout when the pool timeout
  // passes first.
  Lease writer();
  // A reader connection (the writer for an in-memory database). Throws timeout when none frees
  // up within the pool timeout.
  Lease reader();

  const Target& target() const { return m_target; }
  bool read_only() const { return m_options.read_only; }
  Json stats() const;
  // Empties every connection's statement cache before its next use (call after a schema change).
  void schema_changed() { ++m_schema_generation; }

private:
  std::unique_ptr<Connection> open(bool writer) const;
  // Called when the first reader of a --read-only pool failed with `failure`: for a WAL file
  // whose -shm/-wal cannot be created (a read-only directory), switches the pool to immutable
  // connections, warns on stderr that other processes' changes will not be seen, and answers
  // true (open again); false leaves the failure as it is.
  bool open_immutable_instead(const SQLite::Exception& failure);
  void give_back(Connection* db, bool writer);

  const Target m_target;
  const store::StoreOptions m_options;
  const size_t m_max_readers;
  bool m_created = false; // the file did not exist: this pool creates it
  bool m_immutable = false; // read-only WAL file in a read-only directory: opened immutable
  // The device and inode of the file as opened; writer() refuses writes once the path names
  // another file or none (deleted or replaced: SQLite would write to the unlinked inode, and the
  // acknowledged rows would vanish at exit).
  std::optional<std::pair<uint64_t, uint64_t>> m_identity;
  void check_file_still_there() const;

  std::atomic<uint64_t> m_schema_generation{0}; // outlives the connections that watch it
  std::unique_ptr<Connection> m_writer;

  // Guards the fields below. The writer is handed out under a flag rather than a timed mutex,
  // which ThreadSanitizer cannot follow (pthread_mutex_clocklock).
  mutable std::mutex m_mutex;
  bool m_writer_busy = false;
  std::condition_variable m_writer_freed;
  std::condition_variable m_freed;
  std::vector<std::unique_ptr<Connection>> m_readers; // every reader opened
  std::vector<Connection*> m_idle;
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
