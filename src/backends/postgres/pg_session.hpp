#pragma once

#include "backends/postgres/connection_pool.hpp"
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
  PgSession(pqxx::transaction_base& tx, sql::ErrorScope& scope, ConnectionPool::Lease& lease, CallContext& ctx,
            std::chrono::milliseconds statement_timeout)
    : m_tx(tx), m_scope(scope), m_lease(lease), m_ctx(ctx), m_statement_timeout(statement_timeout)
  {
  }

  // Binds `params` as text ($1 … $n). Throws invalid_argument, naming the column, before
  // sending a string that holds a NUL character (libpq would cut it there).
  sql::Result execute(const std::string& text, const std::vector<Json>& params) override;
  void execute_script(const std::string& text) override;
  sql::ErrorScope& scope() override { return m_scope; }

  // execute() returning libpqxx's result, for the engine's own queries.
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
  pqxx::transaction_base& m_tx;
  sql::ErrorScope& m_scope;
  ConnectionPool::Lease& m_lease;
  CallContext& m_ctx;
  std::chrono::milliseconds m_statement_timeout;
  int m_completed = 0;
};

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
