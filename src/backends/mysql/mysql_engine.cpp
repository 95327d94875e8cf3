#include "backends/mysql/mysql_store.hpp"

#include "backends/mysql/mysql_catalog.hpp"
#include "backends/mysql/mysql_dialect.hpp"
#include "backends/mysql/mysql_errors.hpp"
#include "backends/mysql/mysql_fulltext.hpp"
#include "backends/mysql/mysql_url.hpp"
#include "backends/mysql/mysql_values.hpp"
#include "backends/sql/connection_pool.hpp"
#include "backends/sql/sql_store.hpp"
#include "util/log.hpp"

#include <fmt/format.h>

#include <atomic>

namespace dbmcp::backends::mysql {
namespace {

// A Store call's statements on one leased connection; errors explained with the call's scope.
class MysqlSession final : public sql::Session
{
public:
  MysqlSession(Connection& connection, sql::ErrorScope& scope, std::chrono::milliseconds timeout)
    : m_connection(connection), m_scope(scope), m_timeout(timeout)
  {
  }

  sql::Result execute(const std::string& text, const std::vector<Json>& params) override
  {
    try {
      auto result = m_connection.execute(text, params);
      ++m_completed;
      return result;
    } catch (const MysqlError& error) {
      if (error.broken()) {
        throw;
      }
      throw map_error(error, m_scope, m_timeout);
    }
  }

  // A failure names the statement of the script it stopped at. MySQL commits each DDL statement
  // implicitly, so the statements before it that were DDL stay done: the message says so.
  void execute_script(const std::string& text) override
  {
    size_t finished = 0;
    try {
      m_connection.query(text, &finished);
      ++m_completed;
    } catch (const MysqlError& error) {
      if (error.broken()) {
        throw;
      }
      const store::StoreError mapped = map_error(error, m_scope, m_timeout);
      throw store::StoreError(mapped.code(),
                              fmt::format("statement {} of the script failed: {}{}", finished + 1, mapped.what(),
                                          finished > 0 ? " (MySQL commits DDL statements as they run: the CREATE, "
                                                         "ALTER or DROP statements before it stay done)"
                                                       : ""),
                              mapped.details());
    }
  }

  sql::ErrorScope& scope() override { return m_scope; }
  Connection& connection() { return m_connection; }
  int completed() const { return m_completed; }

private:
  Connection& m_connection;
  sql::ErrorScope& m_scope;
  std::chrono::milliseconds m_timeout;
  int m_completed = 0;
};

class MysqlEngine final : public sql::Engine
{
public:
  explicit MysqlEngine(const store::StoreOptions& options)
    : m_params(connect_params(options)),
      m_pool(pool_settings(options), pool_hooks(m_params))
  {
  }

  std::string name() const override { return "mysql"; }
  const store::sql::Dialect& dialect() const override { return mysql::dialect(); }

  void run(CallContext& ctx, sql::Access access, const sql::ErrorScope& base_scope,
           const std::function<void(sql::Session&)>& work) override
  {
    const bool write = access == sql::Access::write;
    for (int attempt = 1;; ++attempt) {
      ctx.throw_if_cancelled();
      Pool::Lease lease = m_pool.acquire();
      Connection& connection = lease.connection();
      connection.sync_statements(m_schema_generation.load());
      sql::ErrorScope scope = base_scope;
      MysqlSession session(connection, scope, m_params.statement_timeout);
      bool in_transaction = false;
      try {
        auto guard = ctx.on_cancel([this, id = connection.thread_id()] { kill_query(id); });
        if (write) {
          connection.query(m_params.read_only ? "START TRANSACTION READ ONLY" : "START TRANSACTION");
          in_transaction = true;
        }
        work(session);
        if (in_transaction) {
          connection.query("COMMIT");
        }
        return;
      } catch (const MysqlError& error) {
        roll_back(connection, in_transaction);
        if (ctx.cancelled()) {
          throw Cancelled();
        }
        if (!error.broken()) {
          throw map_error(error, scope, m_params.statement_timeout);
        }
        if (attempt == 1 && (!write || session.completed() == 0)) {
          log::write(LogLevel::warning, fmt::format("mysql: the connection was lost ({}); retrying the call on a new one", error.what()));
          continue;
        }
        throw store::unavailable(fmt::format(
            "the connection to the MySQL server at {}:{} was lost during the call ({}){}", m_params.host,
            m_params.port, error.what(),
            write ? "; it was not retried because part of it may have been done: check, then retry" : ""));
      } catch (...) {
        roll_back(connection, in_transaction);
        if (ctx.cancelled()) {
          throw Cancelled();
        }
        throw;
      }
    }
  }

  void run_outside_transaction(CallContext& ctx, const std::string& text) override
  {
    run(ctx, sql::Access::read, sql::ErrorScope{}, [&](sql::Session& session) { session.execute_script(text); });
  }

  // Every connection's cached statements were prepared against the schema being replaced: each
  // connection empties its cache at its next lease.
  sql::Catalog load_catalog(sql::Session& session, const store::Visibility& visibility) override
  {
    ++m_schema_generation;
    try {
      return read_catalog(static_cast<MysqlSession&>(session).connection(), visibility);
    } catch (const MysqlError& error) {
      if (error.broken()) {
        throw;
      }
      throw map_error(error, session.scope(), m_params.statement_timeout);
    }
  }

  Json encode(const store::Column& column, const Json& value) const override { return mysql::encode(column, value); }

  // MATCH … AGAINST needs a FULLTEXT index: a table without one is searched with a contains match.
  std::optional<store::sql::Statement> fulltext_select(const store::TableInfo& table,
                                                       const std::vector<std::string>* index,
                                                       const store::Select& query,
                                                       const std::string& /*config*/) const override
  {
    return index ? mysql::fulltext_select(table, *index, query) : std::optional<store::sql::Statement>();
  }

  std::optional<store::sql::Statement> fulltext_count(const store::TableInfo& table,
                                                      const std::vector<std::string>* index,
                                                      const store::Filter& where, const store::TextSearch& search,
                                                      const std::string& /*config*/) const override
  {
    return index ? mysql::fulltext_count(table, *index, where, search) : std::optional<store::sql::Statement>();
  }

  Json diagnostics(sql::Session& session, const sql::Catalog& catalog) override
  {
    Connection& connection = static_cast<MysqlSession&>(session).connection();
    const auto info = connection.query_rows(
        connection.mariadb() ? "SELECT VERSION(), DATABASE(), @@max_statement_time" : "SELECT VERSION(), DATABASE(), "
                                                                                      "@@max_execution_time");
    Json out{{"engine", connection.mariadb() ? "mariadb" : "mysql"},
             {"version", info.at(0)[0].value_or("")},
             {"database", info.at(0)[1].value_or("")},
             {"statement_timeout", info.at(0)[2].value_or("0")}};
    Json tables = Json::array();
    int64_t total = 0;
    for (const auto& row : connection.query_rows("SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS, "
                                                 "COALESCE(DATA_LENGTH, 0) + COALESCE(INDEX_LENGTH, 0) FROM "
                                                 "information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                                                 "ORDER BY TABLE_NAME")) {
      const std::string name = row[0].value_or("");
      if (!catalog.schema->find_table(name)) {
        continue;
      }
      const int64_t size = std::stoll(row[3].value_or("0"));
      total += size;
      tables.push_back(Json{{"name", name},
                            {"type", row[1].value_or("") == "VIEW" ? "view" : "table"},
                            {"rows_estimate", row[2] ? Json(std::stoll(*row[2])) : Json(nullptr)},
                            {"size_bytes", size}});
    }
    out["size_bytes"] = total;
    out["tables"] = std::move(tables);
    return out;
  }

  Json pool_statistics() const override { return m_pool.stats().to_json(); }

  std::string maintenance_statement(store::Maintenance operation, const std::string& table,
                                    const sql::Catalog& catalog) const override
  {
    std::string targets = table;
    if (targets.empty()) {
      std::vector<std::string> names;
      for (const auto& info : catalog.schema->tables) {
        if (!info.is_view) {
          names.push_back(store::sql::quote_identifier(dialect(), info.name));
        }
      }
      if (names.empty()) {
        return "DO 0";
      }
      targets = fmt::format("{}", fmt::join(names, ", "));
    }
    switch (operation) {
    case store::Maintenance::vacuum: return "OPTIMIZE TABLE " + targets;
    case store::Maintenance::analyze: return "ANALYZE TABLE " + targets;
    case store::Maintenance::reindex: break;
    }
    // InnoDB rebuilds a table and its indexes with a null ALTER.
    if (!table.empty()) {
      return "ALTER TABLE " + table + " FORCE";
    }
    std::vector<std::string> statements;
    for (const auto& info : catalog.schema->tables) {
      if (!info.is_view) {
        statements.push_back("ALTER TABLE " + store::sql::quote_identifier(dialect(), info.name) + " FORCE");
      }
    }
    return fmt::format("{}", fmt::join(statements, "; "));
  }

private:
  using Pool = sql::ConnectionPool<Connection>;

  static sql::PoolSettings pool_settings(const store::StoreOptions& options)
  {
    sql::PoolSettings settings;
    settings.min_size = options.pool_min;
    settings.max_size = options.pool_max;
    settings.acquire_timeout = options.pool_timeout;
    return settings;
  }

  // Connections open with `params`; one marked broken by a failure leaves the pool, and one
  // suspect or idle for long is pinged before reuse.
  static sql::PoolHooks<Connection> pool_hooks(const ConnectParams& params)
  {
    return {[params] {
              try {
                return std::make_unique<Connection>(params);
              } catch (const MysqlError& error) {
                // The server answers an account that requires a client certificate (REQUIRE X509,
                // SUBJECT, ISSUER) and got none with a plain "Access denied": say what may be missing.
                constexpr unsigned k_access_denied = 1045;
                const bool no_certificate = error.number() == k_access_denied && params.ssl_cert.empty();
                throw store::unavailable(fmt::format(
                    "cannot connect to the MySQL server at {}:{} (database {}): {}{}", params.host, params.port,
                    params.database, error.what(),
                    no_certificate ? " (if the account requires a client certificate, give ssl-cert and ssl-key in the "
                                     "URL, or DB_SSL_CERT and DB_SSL_KEY)"
                                   : ""));
              }
            },
            [](Connection& connection) { return !connection.broken(); },
            [](Connection& connection) { return connection.ping(); }};
  }

  static ConnectParams connect_params(const store::StoreOptions& options)
  {
    ConnectParams params = parse_url(options.url);
    params.statement_timeout = options.statement_timeout;
    params.read_only = options.read_only;
    return params;
  }

  // Rolls back after a failure; a connection that cannot roll back is marked broken by the failure.
  static void roll_back(Connection& connection, bool in_transaction)
  {
    if (in_transaction && !connection.broken()) {
      try {
        connection.query("ROLLBACK");
      } catch (const MysqlError&) { // the connection is now marked broken and leaves the pool
      }
    }
  }

  // Stops the statement running on server thread `id` from a connection of its own.
  void kill_query(unsigned long id) const
  {
    try {
      auto killer = std::make_unique<Connection>(m_params);
      killer->query(fmt::format("KILL QUERY {}", id));
    } catch (const std::exception& error) {
      log::write(LogLevel::warning, fmt::format("mysql: cancelling the running statement failed: {}", error.what()));
    }
  }

  const ConnectParams m_params;
  Pool m_pool;
  std::atomic<uint64_t> m_schema_generation{0}; // moved by each catalog load (Connection::sync_statements)
};

} // namespace

std::unique_ptr<store::Store> open_mysql_store(const store::StoreOptions& options)
{
  return sql::make_sql_store(options, [&] { return std::make_unique<MysqlEngine>(options); });
}

} // namespace dbmcp::backends::mysql
