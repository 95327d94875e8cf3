#pragma once

#include "backends/postgres/connection_pool.hpp"
#include "backends/postgres/pg_errors.hpp"
#include "backends/postgres/pg_values.hpp"
#include "store/query.hpp"
#include "util/call_context.hpp"

#include <fmt/format.h>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace dbmcp::backends::postgres {

// What a Store method's work sees of its transaction: the statements it runs go through here so
// that a failure can be explained with the values that were bound.
class Session
{
public:
  Session(pqxx::transaction_base& tx, ErrorScope& scope) : m_tx(tx), m_scope(scope) {}

  // Runs `text` with `params` bound as text ($1 … $n). `bound` names the column behind each
  // value, for error messages ("age: invalid input syntax for type integer: \"abc\"").
  pqxx::result exec(const std::string& text, const std::vector<Param>& params,
                    std::vector<std::pair<std::string, Param>> bound = {});
  // Runs SQL text without parameters (catalog queries, trusted scripts).
  pqxx::result exec(const std::string& text);

  pqxx::transaction_base& tx() { return m_tx; }
  ErrorScope& scope() { return m_scope; }
  // The number of statements that completed; a transaction that broke before any completed can
  // be retried on another connection without doing anything twice.
  int completed() const { return m_completed; }
  void count_statement() { ++m_completed; }

private:
  pqxx::transaction_base& m_tx;
  ErrorScope& m_scope;
  int m_completed = 0;
};

// Result rows as JSON objects, typed by the columns' type OIDs (pg_values.hpp).
std::vector<store::Row> to_rows(const pqxx::result& result);

enum class Access { read, write };

// Runs one Store call's work in a transaction on a pooled connection: cancellation interrupts the
// running statement (PQcancel), errors become StoreErrors, and a connection found broken is
// replaced and the call retried once when that cannot do anything twice (reads, or writes
// before their first statement completed).
class TransactionRunner
{
public:
  explicit TransactionRunner(ConnectionPool& pool) : m_pool(pool) {}

  // Access::write: `work(Session&)` runs in a READ WRITE transaction (READ ONLY when the pool is
  // read-only), committed when it returns. Access::read: its statements run in autocommit, one
  // round trip each instead of three (BEGIN, the statement, COMMIT); at READ COMMITTED a read
  // transaction gave each statement its own snapshot anyway, and a read-only pool still refuses
  // writes through default_transaction_read_only. Throws StoreError or Cancelled.
  template<typename Work>
  auto run(CallContext& ctx, Access access, const ErrorScope& base_scope, Work&& work)
      -> decltype(work(std::declval<Session&>()));

  // Runs `text` outside any transaction (VACUUM, REINDEX DATABASE).
  void run_outside_transaction(CallContext& ctx, const std::string& text, const ErrorScope& scope);

private:
  // Runs `work` in a `Tx` on the leased connection, committing a pqxx::work when it returns;
  // `completed` receives the number of statements that completed when it throws.
  template<typename Tx, typename Work>
  static auto run_in(ConnectionPool::Lease& lease, ErrorScope& scope, int& completed, Work& work)
      -> decltype(work(std::declval<Session&>()))
  {
    Tx tx(lease.connection());
    Session session(tx, scope);
    try {
      auto result = work(session);
      if constexpr (std::is_same_v<Tx, pqxx::work>) {
        tx.commit();
      }
      return result;
    } catch (...) {
      completed = session.completed();
      throw;
    }
  }

  // Maps the exception in flight; returns normally when the call should be retried.
  void handle_failure(CallContext& ctx, ConnectionPool::Lease& lease, bool retryable, const ErrorScope& scope);

  ConnectionPool& m_pool;
};

template<typename Work>
auto TransactionRunner::run(CallContext& ctx, Access access, const ErrorScope& base_scope, Work&& work)
    -> decltype(work(std::declval<Session&>()))
{
  for (int attempt = 1;; ++attempt) {
    ctx.throw_if_cancelled();
    ConnectionPool::Lease lease = m_pool.acquire();
    ErrorScope scope = base_scope;
    int completed = 0;
    try {
      auto guard = ctx.on_cancel([connection = &lease.connection()] { connection->cancel_query(); });
      if (access == Access::read) {
        return run_in<pqxx::nontransaction>(lease, scope, completed, work);
      }
      return run_in<pqxx::work>(lease, scope, completed, work);
    } catch (const store::StoreError&) {
      throw;
    } catch (const Cancelled&) {
      throw;
    } catch (...) {
      const bool retryable = attempt == 1 && (access == Access::read || completed == 0);
      handle_failure(ctx, lease, retryable, scope);
    }
  }
}

} // namespace dbmcp::backends::postgres
