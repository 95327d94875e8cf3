#include "backends/sqlite/sqlite_store.hpp"

#include "backends/sqlite/sqlite_batch.hpp"
#include "backends/sqlite/sqlite_catalog.hpp"
#include "backends/sqlite/sqlite_connection.hpp"
#include "backends/sqlite/sqlite_errors.hpp"
#include "backends/sqlite/sqlite_search.hpp"
#include "backends/sqlite/sqlite_transaction.hpp"
#include "backends/sqlite/sqlite_values.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <optional>
#include <type_traits>

namespace dbmcp::backends::sqlite {
namespace {

namespace sql = store::sql;

class SqliteStore final : public store::Store
{
public:
  explicit SqliteStore(const store::StoreOptions& options)
    : m_options(options), m_pool(parse_url(options.url), options)
  {
    refresh_schema();
  }

  std::string backend() const override { return "sqlite"; }

  std::shared_ptr<const store::Schema> schema() const override { return catalog()->schema; }

  void refresh_schema() override
  {
    CallContext ctx;
    auto loaded = run(ctx, m_pool.reader(), ErrorScope{}, [&](SQLite::Database& db) {
      return load_catalog(db, m_options.visibility);
    });
    std::lock_guard lock(m_catalog_mutex);
    m_catalog = std::move(loaded);
    m_pool.schema_changed();
  }

  std::vector<store::Row> select(const store::Select& query, CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(query.table);
    store::Select encoded = query;
    encoded.where = encode_filter(table, query.where);
    const sql::Statement statement = query.search && query.search->fulltext
                                         ? fulltext_select(table, snapshot->extras_of(table.name), encoded)
                                         : sql::select(dialect(), table, encoded);
    return read(ctx, table, statement, snapshot->extras_of(table.name));
  }

  int64_t count(const std::string& table_name, const store::Filter& where, const std::optional<store::TextSearch>& search,
                CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    const store::Filter encoded = encode_filter(table, where);
    const sql::Statement statement = search && search->fulltext
                                         ? fulltext_count(table, snapshot->extras_of(table.name), encoded, *search)
                                         : sql::count(dialect(), table, encoded, search);
    const auto rows = read(ctx, table, statement, snapshot->extras_of(table.name));
    return rows.at(0).begin()->get<int64_t>();
  }

  std::vector<store::Row> aggregate(const store::AggregateQuery& query, CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(query.table);
    store::AggregateQuery encoded = query;
    encoded.where = encode_filter(table, query.where);
    return read(ctx, table, sql::aggregate(dialect(), table, encoded), snapshot->extras_of(table.name));
  }

  store::InsertResult insert(const std::string& table_name, const store::Row& values,
                             const std::vector<store::RelatedRows>& related, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = writable_table(*snapshot, table_name);
    if (!values.is_object()) {
      throw store::invalid_argument(fmt::format("a {} record must be an object of column: value", table.name));
    }
    const auto children = resolve_children(*snapshot, table, related);
    ErrorScope scope = write_scope(*snapshot, table, &values);
    return run_write(ctx, scope, [&](Connection& db) {
      store::InsertResult result;
      result.row = insert_one(db, table, values);
      for (size_t g = 0; g < related.size(); ++g) {
        const auto& [child, fk] = children[g];
        std::vector<store::Row> stored;
        for (const auto& child_values : related[g].rows) {
          const store::Row linked = store::linked_child_row(child_values, *fk, result.row);
          scope = write_scope(*snapshot, *child, &linked);
          stored.push_back(insert_one(db, *child, linked));
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
    const store::TableInfo& table = writable_table(*snapshot, batch.table);
    for (size_t i = 0; i < batch.rows.size(); ++i) {
      if (!batch.rows[i].is_object()) {
        throw store::StoreError(store::ErrorCode::invalid_argument,
                                fmt::format("row {}: a record must be an object of column: value", i), {{"row", i}});
      }
    }
    if (batch.rows.empty()) {
      return {};
    }
    ErrorScope scope = write_scope(*snapshot, table, nullptr);
    return run_write(ctx, scope, [&](SQLite::Database& db) { return insert_rows(db, table, batch, ctx, scope); });
  }

  std::vector<store::Row> update(const std::string& table_name, const store::Filter& where, const store::Row& values,
                                 CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = writable_table(*snapshot, table_name);
    const sql::Statement statement = sql::update(dialect(), table, encode_filter(table, where), encode_values(table, values));
    ErrorScope scope = write_scope(*snapshot, table, &values);
    scope.where = &where;
    return run_write(ctx, scope, [&](Connection& db) { return query(db, table, statement); });
  }

  std::vector<store::Row> remove(const std::string& table_name, const store::Filter& where, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = writable_table(*snapshot, table_name);
    const sql::Statement statement = sql::remove(dialect(), table, encode_filter(table, where));
    ErrorScope scope = write_scope(*snapshot, table, nullptr);
    scope.where = &where;
    scope.deleting = true;
    return run_write(ctx, scope, [&](Connection& db) { return query(db, table, statement); });
  }

  Json diagnostics(CallContext& ctx) override;
  Json maintenance(store::Maintenance operation, const std::string& table, CallContext& ctx) override;

  void ping(CallContext& ctx) override
  {
    run(ctx, m_pool.reader(), ErrorScope{}, [](SQLite::Database& db) { return db.execAndGet("SELECT 1").getInt(); });
  }

  void execute_script(const std::string& script, CallContext& ctx) override
  {
    refuse_writes();
    run_write(ctx, ErrorScope{}, [&](SQLite::Database& db) {
      char* error = nullptr;
      const int rc = sqlite3_exec(db.getHandle(), script.c_str(), nullptr, nullptr, &error);
      if (rc != SQLITE_OK) {
        const std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        throw SQLite::Exception(message, rc);
      }
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

  void refuse_writes() const
  {
    if (m_options.read_only) {
      throw store::read_only("writes are refused: the database is open read-only (--read-only)");
    }
  }

  static const store::TableInfo& writable_table(const Catalog& snapshot, const std::string& name)
  {
    const store::TableInfo& table = snapshot.schema->require_table(name);
    if (table.is_view) {
      throw store::invalid_argument(fmt::format("{} is a view; write to its underlying tables", table.name));
    }
    return table;
  }

  ErrorScope write_scope(const Catalog& snapshot, const store::TableInfo& table, const store::Row* values) const
  {
    ErrorScope scope;
    scope.table = &table;
    scope.extras = &snapshot.extras_of(table.name);
    scope.values = values;
    scope.statement_timeout = m_options.statement_timeout;
    return scope;
  }

  using Children = std::vector<std::pair<const store::TableInfo*, const store::ForeignKey*>>;

  // The child table and its foreign key to `parent` for each group of `related` rows.
  static Children resolve_children(const Catalog& snapshot, const store::TableInfo& parent,
                                   const std::vector<store::RelatedRows>& related)
  {
    Children children;
    for (const auto& group : related) {
      const store::TableInfo& child = writable_table(snapshot, group.table);
      children.emplace_back(&child, &child.require_foreign_key_to(parent.name));
    }
    return children;
  }

  // The rows `statement` returns, run through the connection's statement cache.
  static std::vector<store::Row> query(Connection& db, const store::TableInfo& table, const sql::Statement& statement)
  {
    auto prepared = db.prepared(statement.text);
    bind_all(*prepared, statement.params);
    return read_rows(*prepared, RowShape::of(table));
  }

  std::vector<store::Row> read(CallContext& ctx, const store::TableInfo& table, const sql::Statement& statement,
                               const TableExtras& extras)
  {
    ErrorScope scope;
    scope.table = &table;
    scope.extras = &extras;
    scope.statement_timeout = m_options.statement_timeout;
    return run(ctx, m_pool.reader(), scope, [&](Connection& db) { return query(db, table, statement); });
  }

  // Runs `work` on the leased connection under a CallGuard, inside a write transaction when
  // `transactional` (committed when `work` returns), mapping SQLite failures through `scope`
  // (which `work` may update as it goes) while the transaction is still open.
  template <typename Work>
  std::invoke_result_t<Work&, Connection&> run(CallContext& ctx, ConnectionPool::Lease lease,
                                                     const ErrorScope& scope, Work work, bool transactional = false)
  {
    ctx.throw_if_cancelled();
    CallGuard guard(lease.db(), ctx, m_options.statement_timeout);
    std::optional<WriteTransaction> transaction;
    try {
      if (transactional) {
        transaction.emplace(lease.db());
      }
      auto result = work(lease.db());
      if (transaction) {
        ctx.throw_if_cancelled();
        transaction->commit();
      }
      return result;
    } catch (const SQLite::Exception& e) {
      ErrorScope failed = scope;
      failed.timed_out = guard.timed_out();
      raise(Failure::of(e), failed, &lease.db(), ctx);
    } catch (const store::StoreError& e) {
      if (scope.row_index && !e.details().contains("row")) {
        throw store::StoreError(e.code(), fmt::format("row {}: {}", *scope.row_index, e.what()),
                                {{"row", *scope.row_index}});
      }
      throw;
    }
  }

  template <typename Work>
  std::invoke_result_t<Work&, Connection&> run_write(CallContext& ctx, const ErrorScope& scope, Work work)
  {
    return run(ctx, m_pool.writer(), scope, std::move(work), true);
  }

  Json table_statistics(SQLite::Database& db, const store::Schema& schema) const;

  const store::StoreOptions m_options;
  ConnectionPool m_pool;
  mutable std::mutex m_catalog_mutex;
  std::shared_ptr<const Catalog> m_catalog;
};

Json SqliteStore::table_statistics(SQLite::Database& db, const store::Schema& schema) const
{
  Json tables = Json::array();
  for (const auto& table : schema.tables) {
    Json entry{{"name", table.name}, {"type", table.is_view ? "view" : "table"}};
    SQLite::Statement count(db, "SELECT COUNT(*) FROM " + sql::quote_identifier(dialect(), table.name));
    count.executeStep();
    entry["rows"] = count.getColumn(0).getInt64();
    entry["indexes"] = table.indexes.size();
    entry["fulltext"] = table.has_fulltext;
    tables.push_back(std::move(entry));
  }
  return tables;
}

Json SqliteStore::diagnostics(CallContext& ctx)
{
  const auto snapshot = catalog();
  Json result = run(ctx, m_pool.reader(), ErrorScope{}, [&](SQLite::Database& db) {
    const int64_t page_count = db.execAndGet("PRAGMA page_count").getInt64();
    const int64_t page_size = db.execAndGet("PRAGMA page_size").getInt64();
    Json out{{"engine", "sqlite"},
             {"version", sqlite3_libversion()},
             {"connection", m_options.url},
             {"file", m_pool.target().path},
             {"read_only", m_options.read_only},
             {"journal_mode", db.execAndGet("PRAGMA journal_mode").getString()},
             {"page_count", page_count},
             {"page_size", page_size},
             {"size_bytes", page_count * page_size},
             {"freelist_count", db.execAndGet("PRAGMA freelist_count").getInt64()}};
    out["tables"] = table_statistics(db, *snapshot->schema);
    return out;
  });
  result["pool"] = m_pool.stats();
  return result;
}

Json SqliteStore::maintenance(store::Maintenance operation, const std::string& table_name, CallContext& ctx)
{
  if (m_options.read_only) {
    throw store::read_only("maintenance is refused: the database is open read-only (--read-only)");
  }
  const auto snapshot = catalog();
  std::string target;
  if (!table_name.empty()) {
    target = sql::quote_identifier(dialect(), snapshot->schema->require_table(table_name).name);
  }
  std::string name;
  std::string text;
  std::string note;
  switch (operation) {
  case store::Maintenance::vacuum:
    name = "vacuum";
    text = "VACUUM";
    if (!target.empty()) {
      note = "SQLite vacuums the whole database, not one table";
    }
    break;
  case store::Maintenance::analyze:
    name = "analyze";
    text = target.empty() ? "ANALYZE" : "ANALYZE " + target;
    break;
  case store::Maintenance::reindex:
    name = "reindex";
    text = target.empty() ? "REINDEX" : "REINDEX " + target;
    break;
  }
  const auto started = std::chrono::steady_clock::now();
  Json result = run(ctx, m_pool.writer(), ErrorScope{}, [&](SQLite::Database& db) {
    const int64_t before = db.execAndGet("PRAGMA page_count").getInt64();
    db.exec(text);
    const int64_t after = db.execAndGet("PRAGMA page_count").getInt64();
    return Json{{"operation", name}, {"statement", text}, {"pages_before", before}, {"pages_after", after}};
  });
  result["table"] = table_name.empty() ? Json(nullptr) : Json(table_name);
  result["duration_ms"] =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (!note.empty()) {
    result["note"] = note;
  }
  return result;
}

} // namespace

std::unique_ptr<store::Store> open_sqlite_store(const store::StoreOptions& options)
{
  return std::make_unique<SqliteStore>(options);
}

} // namespace dbmcp::backends::sqlite
