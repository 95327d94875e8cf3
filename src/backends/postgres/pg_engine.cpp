#include "backends/postgres/postgres_store.hpp"

#include "backends/postgres/pg_connection.hpp"
#include "backends/postgres/pg_bulk_insert.hpp"
#include "backends/postgres/pg_catalog.hpp"
#include "backends/postgres/pg_dialect.hpp"
#include "backends/postgres/pg_fulltext.hpp"
#include "backends/postgres/pg_session.hpp"
#include "backends/sql/sql_store.hpp"
#include "util/blob_json.hpp"

#include <fmt/format.h>

namespace dbmcp::backends::postgres {
namespace {

// PostgreSQL under the generic SqlStore: libpqxx connections from ConnectionPool, statements
// with every value bound as text, COPY for batches.
class PgEngine final : public sql::Engine
{
public:
  explicit PgEngine(const store::StoreOptions& options)
    : m_pool(PoolOptions{options.url, options.pool_min, options.pool_max, options.pool_timeout,
                         options.statement_timeout, options.read_only}),
      m_runner(m_pool)
  {
  }

  ~PgEngine() override { m_pool.close(); }

  std::string name() const override { return "postgresql"; }
  const store::sql::Dialect& dialect() const override { return postgres::dialect(); }

  void run(CallContext& ctx, sql::Access access, const sql::ErrorScope& scope,
           const std::function<void(sql::Session&)>& work) override
  {
    m_runner.run(ctx, access, scope, [&](PgSession& session) { work(session); });
  }

  void run_outside_transaction(CallContext& ctx, const std::string& text) override
  {
    m_runner.run_outside_transaction(ctx, text);
  }

  // Every connection's prepared statements were planned against the schema being replaced:
  // each connection empties its cache at its next lease.
  sql::Catalog load_catalog(sql::Session& session, const store::Visibility& visibility) override
  {
    m_pool.schema_changed();
    return read_catalog(static_cast<PgSession&>(session).tx(), visibility);
  }

  // bytea columns' base64 (bare or {"$base64": …}) as bytea hex input, json/jsonb values as
  // their JSON text; a string holding a NUL character is refused, naming the column.
  Json encode(const store::Column& column, const Json& value) const override
  {
    refuse_nul(column.name, value);
    const bool json_column = column.type == "json" || column.type == "jsonb";
    const bool blob = column.kind == store::ValueKind::blob && blob_base64_text(value) != nullptr;
    if (blob || (json_column && !value.is_null())) {
      return *to_param(value, column);
    }
    return value;
  }

  std::string text_search_config(sql::Session* session, const sql::Catalog& catalog, const store::TableInfo& table,
                                 const store::TextSearch& search) override
  {
    return postgres::text_search_config(static_cast<PgSession*>(session), catalog, table, search);
  }

  std::optional<store::sql::Statement> fulltext_select(const store::TableInfo& table,
                                                       const std::vector<std::string>* index,
                                                       const store::Select& query,
                                                       const std::string& config) const override
  {
    return postgres::fulltext_select(table, index, query, config);
  }

  std::optional<store::sql::Statement> fulltext_count(const store::TableInfo& table,
                                                      const std::vector<std::string>* index,
                                                      const store::Filter& where, const store::TextSearch& search,
                                                      const std::string& config) const override
  {
    return postgres::fulltext_count(table, index, where, search, config);
  }

  std::string bulk_insert_text(const store::TableInfo& table) const override
  {
    return "COPY " + store::sql::quote_identifier(dialect(), table.name) + " FROM STDIN";
  }

  std::optional<store::BatchResult> bulk_insert(sql::Session& session, const store::TableInfo& table,
                                                const store::BatchInsert& batch, CallContext& ctx) override
  {
    return postgres::bulk_insert(static_cast<PgSession&>(session), table, batch, ctx);
  }

  Json diagnostics(sql::Session& session, const sql::Catalog& catalog) override
  {
    PgSession& pg = static_cast<PgSession&>(session);
    const auto info = pg.exec("SELECT current_setting('server_version'), current_database(), "
                              "pg_database_size(current_database()), current_setting('statement_timeout')");
    Json out{{"engine", "postgresql"},
             {"version", info[0][0].c_str()},
             {"database", info[0][1].c_str()},
             {"schema", catalog.schema->name},
             {"size_bytes", info[0][2].as<int64_t>()},
             {"statement_timeout", info[0][3].c_str()}};
    out["tables"] = table_statistics(pg, catalog);
    return out;
  }

  Json pool_statistics() const override { return m_pool.stats().to_json(); }

  std::string maintenance_statement(store::Maintenance operation, const std::string& table,
                                    const sql::Catalog& catalog) const override
  {
    switch (operation) {
    case store::Maintenance::vacuum: return table.empty() ? "VACUUM (ANALYZE)" : "VACUUM (ANALYZE) " + table;
    case store::Maintenance::analyze: return table.empty() ? "ANALYZE" : "ANALYZE " + table;
    case store::Maintenance::reindex: break;
    }
    return table.empty() ? "REINDEX DATABASE " + store::sql::quote_identifier(dialect(), catalog.database)
                         : "REINDEX TABLE " + table;
  }

private:
  static Json table_statistics(PgSession& session, const sql::Catalog& catalog)
  {
    const auto result = session.exec(R"sql(
      SELECT c.relname, CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE s.n_live_tup END,
             pg_total_relation_size(c.oid), c.relkind
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'm', 'v') AND NOT c.relispartition
      ORDER BY c.relname)sql");
    Json tables = Json::array();
    for (const auto& row : result) {
      const std::string name = row[0].c_str();
      if (!catalog.schema->find_table(name)) {
        continue;
      }
      Json entry{{"name", name}, {"type", row[3].c_str()[0] == 'v' ? "view" : "table"}};
      entry["rows_estimate"] = row[1].is_null() ? Json(nullptr) : Json(row[1].as<int64_t>());
      entry["size_bytes"] = row[2].as<int64_t>();
      tables.push_back(std::move(entry));
    }
    return tables;
  }

  ConnectionPool m_pool;
  TransactionRunner m_runner;
};

} // namespace

std::unique_ptr<store::Store> open_postgres_store(const store::StoreOptions& options)
{
  return sql::make_sql_store(options, [&] { return std::make_unique<PgEngine>(options); });
}

} // namespace dbmcp::backends::postgres
