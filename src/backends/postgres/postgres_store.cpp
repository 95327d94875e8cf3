#include "backends/postgres/postgres_store.hpp"
#include "backends/postgres/pg_dialect.hpp"

#include "backends/postgres/connection_pool.hpp"
#include "backends/postgres/pg_bulk_insert.hpp"
#include "backends/postgres/pg_catalog.hpp"
#include "backends/postgres/pg_fulltext.hpp"
#include "backends/postgres/pg_session.hpp"
#include "config/config.hpp"
#include "store/sql_builder.hpp"
#include "util/blob_json.hpp"

#include <fmt/format.h>

#include <chrono>
#include <mutex>

namespace dbmcp::backends::postgres {
namespace {

namespace sql = store::sql;

std::vector<Param> params_of(const sql::Statement& statement)
{
  std::vector<Param> params;
  params.reserve(statement.params.size());
  for (const auto& value : statement.params) {
    params.push_back(to_param(value));
  }
  return params;
}

// (column, value) for every value a client sent, so that an invalid-input error can name its
// column.
std::vector<std::pair<std::string, Param>> bound_values(const store::Row* values, const store::Filter* where)
{
  std::vector<std::pair<std::string, Param>> bound;
  if (values) {
    for (const auto& [name, value] : values->items()) {
      bound.emplace_back(name, to_param(value));
    }
  }
  if (where) {
    store::for_each_predicate(*where, [&](const store::Condition& condition) {
      if (condition.value.is_array()) {
        for (const auto& item : condition.value) {
          bound.emplace_back(condition.column, to_param(item));
        }
      } else {
        bound.emplace_back(condition.column, to_param(condition.value));
      }
    });
  }
  return bound;
}

// `values` with bytea columns' base64 (bare or {"$base64": …}) turned into bytea hex input and json/jsonb values into
// their JSON text.
store::Row encode_values(const store::TableInfo& table, const store::Row& values)
{
  store::Row encoded = Json::object();
  for (const auto& [name, value] : values.items()) {
    const store::Column& column = table.require_column(name);
    const bool json_column = column.type == "json" || column.type == "jsonb";
    const bool blob = column.kind == store::ValueKind::blob && blob_base64_text(value) != nullptr;
    if (blob || (json_column && !value.is_null())) {
      encoded[name] = *to_param(value, column);
    } else {
      encoded[name] = value;
    }
  }
  return encoded;
}

class PostgresStore final : public store::Store
{
public:
  explicit PostgresStore(const store::StoreOptions& options)
    : m_options(options),
      m_pool(PoolOptions{options.url, options.pool_min, options.pool_max, options.pool_timeout,
                         options.statement_timeout, options.read_only}),
      m_runner(m_pool)
  {
    CallContext ctx;
    load_catalog(ctx);
  }

  ~PostgresStore() override { m_pool.close(); }

  std::string backend() const override { return "postgresql"; }

  std::shared_ptr<const store::Schema> schema() const override { return catalog()->schema; }

  void refresh_schema() override
  {
    CallContext ctx;
    load_catalog(ctx);
  }

  std::vector<store::Row> select(const store::Select& query, CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(query.table);
    refuse_nul(nullptr, &query.where);
    if (query.search) {
      refuse_nul("search query", query.search->query);
    }
    const bool fulltext = query.search && query.search->fulltext;
    const FulltextIndex* index = fulltext_index(*snapshot, table);
    return m_runner.run(ctx, Access::read, scope(*snapshot, table), [&](Session& session) {
      const sql::Statement statement =
          fulltext ? fulltext_select(table, index, query, resolve_config(session, index, *query.search))
                   : sql::select(dialect(), table, query);
      return to_rows(session.exec(statement.text, params_of(statement), bound_values(nullptr, &query.where)));
    });
  }

  int64_t count(const std::string& table_name, const store::Filter& where, const std::optional<store::TextSearch>& search,
                CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    refuse_nul(nullptr, &where);
    if (search) {
      refuse_nul("search query", search->query);
    }
    const bool fulltext = search && search->fulltext;
    const FulltextIndex* index = fulltext_index(*snapshot, table);
    return m_runner.run(ctx, Access::read, scope(*snapshot, table), [&](Session& session) {
      const sql::Statement statement = fulltext
                                           ? fulltext_count(table, index, where, *search,
                                                            resolve_config(session, index, *search))
                                           : sql::count(dialect(), table, where, search);
      const auto result = session.exec(statement.text, params_of(statement), bound_values(nullptr, &where));
      return result[0][0].as<int64_t>();
    });
  }

  std::string fulltext_config(const std::string& table_name, const store::TextSearch& search,
                              CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    const FulltextIndex* index = fulltext_index(*snapshot, table);
    return m_runner.run(ctx, Access::read, scope(*snapshot, table),
                        [&](Session& session) { return resolve_config(session, index, search); });
  }

  std::vector<store::Row> aggregate(const store::AggregateQuery& query, CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(query.table);
    refuse_nul(nullptr, &query.where);
    const sql::Statement statement = sql::aggregate(dialect(), table, query);
    return m_runner.run(ctx, Access::read, scope(*snapshot, table), [&](Session& session) {
      return to_rows(session.exec(statement.text, params_of(statement), bound_values(nullptr, &query.where)));
    });
  }

  store::InsertResult insert(const std::string& table_name, const store::Row& values,
                             const std::vector<store::RelatedRows>& related, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    refuse_nul(&values, nullptr);
    for (const auto& group : related) {
      for (const auto& row : group.rows) {
        refuse_nul(&row, nullptr);
      }
    }
    // Resolve every child table and its foreign key before anything is sent.
    std::vector<std::pair<const store::TableInfo*, const store::ForeignKey*>> children;
    for (const auto& group : related) {
      const store::TableInfo& child = snapshot->schema->require_table(group.table);
      children.emplace_back(&child, &child.require_foreign_key_to(table.name));
    }
    return m_runner.run(ctx, Access::write, scope(*snapshot, table), [&](Session& session) {
      store::InsertResult result;
      result.row = insert_row(session, table, values);
      for (size_t g = 0; g < related.size(); ++g) {
        const auto& [child, fk] = children[g];
        std::vector<store::Row> stored;
        for (const auto& child_values : related[g].rows) {
          const store::Row linked = store::linked_child_row(child_values, *fk, result.row);
          session.scope().table = child->name;
          stored.push_back(insert_row(session, *child, linked));
        }
        result.related.emplace_back(child->name, std::move(stored));
      }
      return result;
    });
  }

  store::BatchResult insert_many(const store::BatchInsert& batch, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(batch.table);
    for (const auto& row : batch.rows) {
      refuse_nul(&row, nullptr);
    }
    validate_rows(table, batch);
    return m_runner.run(ctx, Access::write, scope(*snapshot, table),
                        [&](Session& session) { return bulk_insert(session, table, batch, ctx); });
  }

  std::vector<store::Row> update(const std::string& table_name, const store::Filter& where, const store::Row& values,
                                 CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    refuse_nul(&values, &where);
    const sql::Statement statement = sql::update(dialect(), table, where, encode_values(table, values));
    return m_runner.run(ctx, Access::write, scope(*snapshot, table), [&](Session& session) {
      return to_rows(session.exec(statement.text, params_of(statement), bound_values(&values, &where)));
    });
  }

  std::vector<store::Row> remove(const std::string& table_name, const store::Filter& where, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    refuse_nul(nullptr, &where);
    const sql::Statement statement = sql::remove(dialect(), table, where);
    return m_runner.run(ctx, Access::write, scope(*snapshot, table), [&](Session& session) {
      return to_rows(session.exec(statement.text, params_of(statement), bound_values(nullptr, &where)));
    });
  }

  Json diagnostics(CallContext& ctx) override
  {
    const auto snapshot = catalog();
    Json result = m_runner.run(ctx, Access::read, ErrorScope{}, [&](Session& session) {
      const auto info = session.exec("SELECT current_setting('server_version'), current_database(), "
                                     "pg_database_size(current_database()), current_setting('statement_timeout')");
      Json out{{"engine", "postgresql"},
               {"version", info[0][0].c_str()},
               {"connection", config::redact_url(m_options.url)},
               {"database", info[0][1].c_str()},
               {"schema", snapshot->schema_name},
               {"read_only", m_options.read_only},
               {"size_bytes", info[0][2].as<int64_t>()},
               {"statement_timeout", info[0][3].c_str()}};
      out["tables"] = table_statistics(session, *snapshot);
      return out;
    });
    result["pool"] = m_pool.stats().to_json();
    return result;
  }

  Json maintenance(store::Maintenance operation, const std::string& table_name, CallContext& ctx) override
  {
    if (m_options.read_only) {
      throw store::read_only("maintenance is refused: the database is open read-only (--read-only)");
    }
    const auto snapshot = catalog();
    std::string target;
    if (!table_name.empty()) {
      target = sql::quote_identifier(dialect(), snapshot->schema->require_table(table_name).name);
    }
    std::string text;
    std::string name;
    switch (operation) {
    case store::Maintenance::vacuum:
      name = "vacuum";
      text = target.empty() ? "VACUUM (ANALYZE)" : "VACUUM (ANALYZE) " + target;
      break;
    case store::Maintenance::analyze:
      name = "analyze";
      text = target.empty() ? "ANALYZE" : "ANALYZE " + target;
      break;
    case store::Maintenance::reindex:
      name = "reindex";
      text = target.empty() ? "REINDEX DATABASE " + sql::quote_identifier(dialect(), snapshot->database)
                            : "REINDEX TABLE " + target;
      break;
    }
    const auto started = std::chrono::steady_clock::now();
    m_runner.run_outside_transaction(ctx, text, ErrorScope{});
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    refresh_schema();
    return Json{{"operation", name},
                {"table", table_name.empty() ? Json(nullptr) : Json(table_name)},
                {"statement", text},
                {"duration_ms", static_cast<int64_t>(elapsed.count())},
                {"ok", true}};
  }

  void ping(CallContext& ctx) override
  {
    m_runner.run(ctx, Access::read, ErrorScope{}, [](Session& session) {
      session.exec("SELECT 1");
      return 0;
    });
  }

  void execute_script(const std::string& text, CallContext& ctx) override
  {
    m_runner.run(ctx, Access::write, ErrorScope{}, [&](Session& session) {
      session.exec(text);
      return 0;
    });
    refresh_schema();
  }

private:
  std::shared_ptr<const Catalog> catalog() const
  {
    std::lock_guard lock(m_catalog_mutex);
    return m_catalog;
  }

  void load_catalog(CallContext& ctx)
  {
    auto fresh = m_runner.run(ctx, Access::read, ErrorScope{}, [&](Session& session) {
      return std::make_shared<const Catalog>(read_catalog(session.tx(), m_options.visibility));
    });
    std::lock_guard lock(m_catalog_mutex);
    m_catalog = std::move(fresh);
  }

  ErrorScope scope(const Catalog& snapshot, const store::TableInfo& table) const
  {
    ErrorScope scope;
    scope.constraints = &snapshot.constraints;
    scope.table = table.name;
    scope.statement_timeout = m_options.statement_timeout;
    return scope;
  }

  void refuse_writes() const
  {
    if (m_options.read_only) {
      throw store::read_only("writes are refused: the database is open read-only (--read-only)");
    }
  }

  static const FulltextIndex* fulltext_index(const Catalog& snapshot, const store::TableInfo& table)
  {
    const auto it = snapshot.fulltext.find(table.name);
    return it == snapshot.fulltext.end() ? nullptr : &it->second;
  }

  // INSERT … RETURNING * of one row; DEFAULT VALUES when `values` is empty.
  static store::Row insert_row(Session& session, const store::TableInfo& table, const store::Row& values)
  {
    std::vector<std::string> columns;
    std::vector<Param> params;
    for (const auto& [name, value] : values.items()) {
      const store::Column& column = table.require_column(name);
      columns.push_back(column.name);
      params.push_back(to_param(value, column));
    }
    if (columns.empty()) {
      return to_rows(session.exec(fmt::format("INSERT INTO {} DEFAULT VALUES RETURNING *",
                                              sql::quote_identifier(dialect(), table.name))))
          .at(0);
    }
    const sql::Statement statement = sql::insert(dialect(), table, columns, 1, store::OnConflict::error, true);
    auto rows = to_rows(session.exec(statement.text, params, bound_values(&values, nullptr)));
    if (rows.empty()) {
      throw store::invalid_argument(
          fmt::format("nothing was inserted into {}: a trigger or rule on the table dropped the row", table.name));
    }
    return std::move(rows[0]);
  }

  Json table_statistics(Session& session, const Catalog& snapshot) const
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
      if (!snapshot.schema->find_table(name)) {
        continue;
      }
      Json entry{{"name", name}, {"type", row[3].c_str()[0] == 'v' ? "view" : "table"}};
      entry["rows_estimate"] = row[1].is_null() ? Json(nullptr) : Json(row[1].as<int64_t>());
      entry["size_bytes"] = row[2].as<int64_t>();
      tables.push_back(std::move(entry));
    }
    return tables;
  }

  const store::StoreOptions m_options;
  ConnectionPool m_pool;
  TransactionRunner m_runner;
  mutable std::mutex m_catalog_mutex;
  std::shared_ptr<const Catalog> m_catalog;
};

} // namespace

std::unique_ptr<store::Store> open_postgres_store(const store::StoreOptions& options)
{
  if (options.pool_min < 0 || options.pool_max < 1 || options.pool_min > options.pool_max) {
    throw store::invalid_argument(fmt::format("invalid pool size: min {} max {} (need 0 <= min <= max, max >= 1)",
                                              options.pool_min, options.pool_max));
  }
  return std::make_unique<PostgresStore>(options);
}

} // namespace dbmcp::backends::postgres
