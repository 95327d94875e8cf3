#include "backends/postgres/pg_session.hpp"

#include "backends/postgres/pg_errors.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <pqxx/nontransaction>
#include <pqxx/prepared_statement>
#include <pqxx/transaction>

#include <algorithm>

namespace dbmcp::backends::postgres {
namespace {

// Connection-level failures: the connection is gone or the server is going away.
bool is_connection_failure(const std::string& sqlstate)
{
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

// The column of the first value in `scope` holding a NUL character, to name it in the refusal.
std::string column_holding_nul(const sql::ErrorScope& scope)
{
  const auto holds_nul = [](const Json& value) {
    return value.is_string() && value.get_ref<const std::string&>().find('\0') != std::string::npos;
  };
  for (const auto& [column, value] : scope.bound) {
    if (holds_nul(value) || (value.is_array() && std::any_of(value.begin(), value.end(), holds_nul))) {
      return column;
    }
  }
  return "value";
}

std::string first_line(const char* text)
{
  std::string line(text);
  line = line.substr(0, line.find('\n'));
  for (const char* prefix : {"FATAL:  ", "ERROR:  "}) {
    if (line.rfind(prefix, 0) == 0) {
      line = line.substr(std::char_traits<char>::length(prefix));
    }
  }
  return line;
}

} // namespace

bool stale_plan(const std::string& sqlstate)
{
  return sqlstate == "0A000" || sqlstate == "26000";
}

pqxx::result PgSession::exec(const std::string& text, const std::vector<Param>& params)
{
  try {
    pqxx::result result = m_tx.exec_params(text, pqxx::prepare::make_dynamic_params(params));
    ++m_completed;
    return result;
  } catch (const pqxx::sql_error& error) {
    fail(error);
  }
}

sql::Result PgSession::execute(const std::string& text, const std::vector<Json>& params)
{
  std::vector<Param> texts;
  texts.reserve(params.size());
  for (const auto& value : params) {
    if (value.is_string() && value.get_ref<const std::string&>().find('\0') != std::string::npos) {
      refuse_nul(column_holding_nul(m_scope), value);
    }
    texts.push_back(to_param(value));
  }
  const pqxx::result result = exec_prepared(text, texts);
  return sql::Result{to_rows(result), static_cast<int64_t>(result.affected_rows()), std::nullopt};
}

pqxx::result PgSession::exec_prepared(const std::string& text, const std::vector<Param>& params)
{
  StatementCache& statements = m_lease->statements();
  for (int attempt = 1;; ++attempt) {
    try {
      const std::string name = statements.name_for(m_lease.connection(), text);
      pqxx::result result = m_tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
      ++m_completed;
      return result;
    } catch (const pqxx::sql_error& error) {
      if (stale_plan(error.sqlstate())) {
        statements.forget(text);
        if (m_autocommit && attempt == 1) {
          log::write(LogLevel::debug, "postgresql: the schema changed under a prepared statement; preparing it again");
          continue;
        }
      }
      fail(error);
    }
  }
}

void PgSession::execute_script(const std::string& text)
{
  try {
    m_tx.exec(text);
    ++m_completed;
  } catch (const pqxx::sql_error& error) {
    fail(error);
  }
}

void PgSession::fail(const pqxx::sql_error& error)
{
  m_lease.suspect();
  if (is_connection_failure(error.sqlstate())) {
    throw; // the runner replaces the connection
  }
  if (!m_autocommit && m_completed == 0 && stale_plan(error.sqlstate())) {
    throw; // the runner runs the call again, after the rollback, on a re-prepared statement
  }
  if (m_ctx.cancelled()) {
    throw Cancelled();
  }
  throw map_sql_error(error.sqlstate(), error.what(), m_scope, m_statement_timeout);
}

std::vector<store::Row> to_rows(const pqxx::result& result)
{
  std::vector<store::Row> rows;
  rows.reserve(result.size());
  const auto columns = result.columns();
  std::vector<std::string> names;
  std::vector<unsigned> types;
  for (pqxx::row::size_type i = 0; i < columns; ++i) {
    names.emplace_back(result.column_name(i));
    types.push_back(result.column_type(i));
  }
  for (const auto& row : result) {
    store::Row object = Json::object();
    object.get_ref<Json::object_t&>().reserve(static_cast<size_t>(columns));
    for (pqxx::row::size_type i = 0; i < columns; ++i) {
      const pqxx::field field = row[i];
      object[names[i]] = field.is_null() ? Json(nullptr) : from_text(field.c_str(), types[i]);
    }
    rows.push_back(std::move(object));
  }
  return rows;
}

void TransactionRunner::run(CallContext& ctx, sql::Access access, const sql::ErrorScope& base_scope,
                            const std::function<void(PgSession&)>& work)
{
  for (int attempt = 1;; ++attempt) {
    ctx.throw_if_cancelled();
    ConnectionPool::Lease lease = m_pool.acquire();
    sql::ErrorScope scope = base_scope;
    int completed = 0;
    try {
      auto guard = ctx.on_cancel([connection = &lease.connection()] { connection->cancel_query(); });
      lease->statements().sync(lease.connection(), m_pool.schema_generation());
      if (access == sql::Access::read) {
        pqxx::nontransaction tx(lease.connection());
        PgSession session(tx, true, scope, lease, ctx, m_pool.options().statement_timeout);
        try {
          work(session);
        } catch (...) {
          completed = session.completed();
          throw;
        }
        return;
      }
      pqxx::work tx(lease.connection());
      PgSession session(tx, false, scope, lease, ctx, m_pool.options().statement_timeout);
      try {
        work(session);
        tx.commit();
      } catch (...) {
        completed = session.completed();
        throw;
      }
      return;
    } catch (const store::StoreError&) {
      throw;
    } catch (const Cancelled&) {
      throw;
    } catch (...) {
      const bool retryable = attempt == 1 && (access == sql::Access::read || completed == 0);
      handle_failure(ctx, lease, retryable, scope);
    }
  }
}

void TransactionRunner::handle_failure(CallContext& ctx, ConnectionPool::Lease& lease, bool retryable,
                                       const sql::ErrorScope& scope)
{
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    lease.broken();
    if (ctx.cancelled()) {
      throw Cancelled();
    }
    if (retryable) {
      log::write(LogLevel::info, fmt::format("postgresql: connection lost ({}); retrying on a fresh connection",
                                             first_line(e.what())));
      return;
    }
    throw store::unavailable(fmt::format("lost the connection to PostgreSQL: {}", first_line(e.what())));
  } catch (const pqxx::in_doubt_error& e) {
    lease.broken();
    throw store::unavailable(
        fmt::format("the connection broke while committing; the outcome is unknown: {}", first_line(e.what())));
  } catch (const pqxx::sql_error& e) {
    lease.suspect();
    if (ctx.cancelled()) {
      throw Cancelled();
    }
    if (is_connection_failure(e.sqlstate())) {
      lease.broken();
      if (retryable) {
        log::write(LogLevel::info, fmt::format("postgresql: connection failed ({}); retrying on a fresh connection",
                                               first_line(e.what())));
        return;
      }
    }
    if (stale_plan(e.sqlstate()) && retryable) {
      log::write(LogLevel::debug, "postgresql: the schema changed under a prepared statement; running the call again");
      return; // PgSession forgot the statement: the next attempt prepares it again
    }
    throw map_sql_error(e.sqlstate(), e.what(), scope, m_pool.options().statement_timeout);
  } catch (const pqxx::failure& e) {
    lease.suspect();
    if (ctx.cancelled()) {
      throw Cancelled();
    }
    throw store::StoreError(store::ErrorCode::internal, fmt::format("PostgreSQL: {}", first_line(e.what())));
  }
}

void TransactionRunner::run_outside_transaction(CallContext& ctx, const std::string& text)
{
  for (int attempt = 1;; ++attempt) {
    ctx.throw_if_cancelled();
    ConnectionPool::Lease lease = m_pool.acquire();
    try {
      auto guard = ctx.on_cancel([connection = &lease.connection()] { connection->cancel_query(); });
      pqxx::nontransaction tx(lease.connection());
      tx.exec(text);
      return;
    } catch (const Cancelled&) {
      throw;
    } catch (...) {
      handle_failure(ctx, lease, attempt == 1, sql::ErrorScope{});
    }
  }
}

} // namespace dbmcp::backends::postgres
