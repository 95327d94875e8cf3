#pragma once

#include "backends/postgres/pg_connection.hpp"
#include "backends/postgres/pg_values.hpp"
#include "backends/sql/engine.hpp"
#include "util/call_context.hpp"

#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/transaction_base>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace dbmcp::backends::postgres {

// A Store call's statements on one leased connection, in its transaction (or in autocommit for
// reads): a failure of a statement becomes a StoreError explained with the call's scope, or
// Cancelled when the call was cancelled; a failure of the connection is rethrown as libpqxx's
// exception for TransactionRunner to replace the connection and retry.
class PgSession final : public sql::Session
{
public:
  // `autocommit`: `tx` is a nontransaction, so a failed statement leaves nothing to roll back.
  PgSession(pqxx::transaction_base& tx, bool autocommit, sql::ErrorScope& scope, ConnectionPool::Lease& lease,
            CallContext& ctx, std::chrono::milliseconds statement_timeout)
    : m_tx(tx),
      m_autocommit(autocommit),
      m_scope(scope),
      m_lease(lease),
      m_ctx(ctx),
      m_statement_timeout(statement_timeout)
  {
  }

  // Binds `params` as text ($1 … $n) to the connection's named prepared statement for `text`
  // (StatementCache): parsed and planned once per connection, one round trip after that. A
  // statement whose plan the schema made stale (stale_plan()) is re-prepared and run again once
  // in autocommit; in a transaction, which that failure aborted, libpqxx's error is rethrown for
  // TransactionRunner to run the call again when nothing had completed. Throws invalid_argument,
  // naming the column, before sending a string that holds a NUL character (libpq would cut it
  // there).
  sql::Result execute(const std::string& text, const std::vector<Json>& params) override;
  void execute_script(const std::string& text) override;
  sql::ErrorScope& scope() override { return m_scope; }

  // Runs `text` as an unnamed statement (parsed and planned every time), returning libpqxx's
  // result: for the engine's own queries, run once or rarely (catalog, diagnostics, COPY).
  pqxx::result exec(const std::string& text, const std::vector<Param>& params = {});

  pqxx::transaction_base& tx() { return m_tx; }
  // The number of statements that completed; a transaction that broke before any completed can
  // be retried on another connection without doing anything twice.
  int completed() const { return m_completed; }
  void count_statement() { ++m_completed; }

  // Throws what the statement failure `error` means (see the class comment); call it from the
  // handler that caught `error`.
  [[noreturn]] void fail(const pqxx::sql_error& error);

private:
  pqxx::result exec_prepared(const std::string& text, const std::vector<Param>& params);

  pqxx::transaction_base& m_tx;
  const bool m_autocommit;
  sql::ErrorScope& m_scope;
  ConnectionPool::Lease& m_lease;
  CallContext& m_ctx;
  std::chrono::milliseconds m_statement_timeout;
  int m_completed = 0;
};

// True for the SQLSTATEs of a prepared statement that the schema changed under: 0A000 ("cached
// plan must not change result type", a column's type changed) and 26000 (the statement is gone
// from the server). Preparing it again against the current schema cures both.
bool stale_plan(const std::string& sqlstate);

// Result rows as JSON objects, typed by the columns' type OIDs (pg_values.hpp).
std::vector<store::Row> to_rows(const pqxx::result& result);

// Runs one Store call's work on a pooled connection: cancellation interrupts the running
// statement (PQcancel), errors become StoreErrors, and a connection found broken is replaced and
// the call retried once when that cannot do anything twice (reads, or writes before their first
// statement completed).
class TransactionRunner
{
public:
  explicit TransactionRunner(ConnectionPool& pool) : m_pool(pool) {}

  // Access::write: `work` runs in a READ WRITE transaction (READ ONLY when the pool is
  // read-only), committed when it returns. Access::read: its statements run in autocommit, one
  // round trip each instead of three (BEGIN, the statement, COMMIT); at READ COMMITTED a read
  // transaction gave each statement its own snapshot anyway, and a read-only pool still refuses
  // writes through default_transaction_read_only. Throws StoreError or Cancelled.
  void run(CallContext& ctx, sql::Access access, const sql::ErrorScope& base_scope,
           const std::function<void(PgSession&)>& work);

  // Runs `text` outside any transaction (VACUUM, REINDEX DATABASE).
  void run_outside_transaction(CallContext& ctx, const std::string& text);

private:
  // Maps the exception in flight; returns normally when the call should be retried.
  void handle_failure(CallContext& ctx, ConnectionPool::Lease& lease, bool retryable, const sql::ErrorScope& scope);

  ConnectionPool& m_pool;
};

} // namespace dbmcp::backends::postgres
