#include "backends/postgres/pg_session.hpp"

#include "util/log.hpp"

#include <pqxx/prepared_statement>

namespace dbmcp::backends::postgres {
namespace {

// Connection-level failures: the connection is gone or the server is going away.
bool is_connection_failure(const std::string& sqlstate)
{
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
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

pqxx::result Session::exec(const std::string& text, const std::vector<Param>& params,
                           std::vector<std::pair<std::string, Param>> bound)
{
  m_scope.bound = std::move(bound);
  pqxx::result result = m_tx.exec_params(text, pqxx::prepare::make_dynamic_params(params));
  ++m_completed;
  return result;
}

pqxx::result Session::exec(const std::string& text)
{
  m_scope.bound.clear();
  pqxx::result result = m_tx.exec(text);
  ++m_completed;
  return result;
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
    for (pqxx::row::size_type i = 0; i < columns; ++i) {
      const pqxx::field field = row[i];
      object[names[i]] = field.is_null() ? Json(nullptr) : from_text(field.c_str(), types[i]);
    }
    rows.push_back(std::move(object));
  }
  return rows;
}

void TransactionRunner::handle_failure(CallContext& ctx, ConnectionPool::Lease& lease, bool retryable,
                                       const ErrorScope& scope)
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
    throw map_sql_error(e.sqlstate(), e.what(), scope);
  } catch (const pqxx::failure& e) {
    lease.suspect();
    if (ctx.cancelled()) {
      throw Cancelled();
    }
    throw store::StoreError(store::ErrorCode::internal, fmt::format("PostgreSQL: {}", first_line(e.what())));
  }
}

void TransactionRunner::run_outside_transaction(CallContext& ctx, const std::string& text, const ErrorScope& scope)
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
      handle_failure(ctx, lease, attempt == 1, scope);
    }
  }
}

} // namespace dbmcp::backends::postgres
