#include "backends/sqlite/sqlite_store.hpp"

#include "backends/sql/sql_store.hpp"
#include "backends/sqlite/sqlite_batch.hpp"
#include "backends/sqlite/sqlite_catalog.hpp"
#include "backends/sqlite/sqlite_connection.hpp"
#include "backends/sqlite/sqlite_dialect.hpp"
#include "backends/sqlite/sqlite_errors.hpp"
#include "backends/sqlite/sqlite_search.hpp"
#include "backends/sqlite/sqlite_transaction.hpp"
#include "backends/sqlite/sqlite_values.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <optional>

namespace dbmcp::backends::sqlite {
namespace {

// A Store call's statements on one leased connection, through the connection's statement cache.
// A failure is mapped while the call's transaction is still open (a foreign-key failure looks
// the parent or child rows up to name the key at fault).
class SqliteSession final : public sql::Session
{
public:
  SqliteSession(Connection& db, sql::ErrorScope& scope, const CallGuard& guard, const CallContext& ctx,
                const Catalog& extras, std::chrono::milliseconds timeout)
    : m_db(db), m_scope(scope), m_guard(guard), m_ctx(ctx), m_extras(extras), m_timeout(timeout)
  {
  }

  sql::Result execute(const std::string& text, const std::vector<Json>& params) override
  {
    const store::TableInfo* table = scoped_table();
    if (table && table->is_view && writes(text)) { // SQLite would take it and store nothing
      throw store::invalid_argument(fmt::format("{} is a view; write to its underlying tables", table->name));
    }
    try {
      auto prepared = m_db.prepared(text);
      bind_all(*prepared, params);
      sql::Result result;
      result.rows = read_rows(*prepared, table ? RowShape::of(*table) : RowShape{});
      result.affected = sqlite3_changes(m_db.getHandle());
      result.last_insert_id = sqlite3_last_insert_rowid(m_db.getHandle());
      return result;
    } catch (const SQLite::Exception& e) {
      fail(e, text.rfind("DELETE", 0) == 0);
    }
  }

  void execute_script(const std::string& text) override
  {
    char* error = nullptr;
    const int rc = sqlite3_exec(m_db.getHandle(), text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      const std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      fail(SQLite::Exception(message, rc), false);
    }
  }

  sql::ErrorScope& scope() override { return m_scope; }
  Connection& db() { return m_db; }

  // The store error for `e`, explained with the scope's table, its CHECK texts and the values bound.
  [[noreturn]] void fail(const SQLite::Exception& e, bool deleting, std::optional<size_t> row = std::nullopt,
                         const store::Row* values = nullptr)
  {
    const store::TableInfo* table = scoped_table();
    store::Row bound = store::Row::object();
    for (const auto& [column, value] : m_scope.bound) {
      if (!bound.contains(column)) {
        bound[column] = value;
      }
    }
    ErrorScope scope;
    scope.table = table;
    scope.extras = table ? &m_extras.extras_of(table->name) : nullptr;
    scope.values = values ? values : (deleting || m_scope.bound.empty() ? nullptr : &bound);
    scope.bound = &m_scope.bound;
    scope.pinned = &m_scope.pinned;
    scope.row_index = row;
    scope.deleting = deleting;
    scope.timed_out = m_guard.timed_out();
    scope.statement_timeout = m_timeout;
    raise(Failure::of(e), scope, &m_db, m_ctx);
  }

private:
  static bool writes(const std::string& text)
  {
    return text.rfind("INSERT", 0) == 0 || text.rfind("UPDATE", 0) == 0 || text.rfind("DELETE", 0) == 0;
  }

  const store::TableInfo* scoped_table() const
  {
    if (!m_scope.catalog || !m_scope.catalog->schema || m_scope.table.empty()) {
      return nullptr;
    }
    return m_scope.catalog->schema->find_table(m_scope.table);
  }

  Connection& m_db;
  sql::ErrorScope& m_scope;
  const CallGuard& m_guard;
  const CallContext& m_ctx;
  const Catalog& m_extras;
  std::chrono::milliseconds m_timeout;
};

// SQLite under the generic SqlStore: one writer and a few WAL readers (Connections), cached
// prepared statements, FTS5 search, and single-row prepared INSERTs reused across a batch.
class SqliteEngine final : public sql::Engine
{
public:
  explicit SqliteEngine(const store::StoreOptions& options)
    : m_options(options), m_pool(parse_url(options.url), options), m_extras(std::make_shared<const Catalog>())
  {
  }

  std::string name() const override { return "sqlite"; }
  const store::sql::Dialect& dialect() const override { return sqlite::dialect(); }

  void run(CallContext& ctx, sql::Access access, const sql::ErrorScope& base_scope,
           const std::function<void(sql::Session&)>& work) override
  {
    ctx.throw_if_cancelled();
    const bool write = access == sql::Access::write;
    Connections::Lease lease = write ? m_pool.writer() : m_pool.reader();
    const auto extras = current_extras();
    sql::ErrorScope scope = base_scope;
    CallGuard guard(lease.connection(), ctx, m_options.statement_timeout);
    SqliteSession session(lease.connection(), scope, guard, ctx, *extras, m_options.statement_timeout);
    try {
      std::optional<WriteTransaction> transaction;
      if (write) {
        transaction.emplace(lease.connection());
      }
      work(session);
      if (transaction) {
        ctx.throw_if_cancelled();
        transaction->commit();
      }
    } catch (const SQLite::Exception& e) { // BEGIN or COMMIT
      session.fail(e, false);
    }
  }

  void run_outside_transaction(CallContext& ctx, const std::string& text) override
  {
    ctx.throw_if_cancelled();
    Connections::Lease lease = m_pool.writer();
    sql::ErrorScope scope;
    CallGuard guard(lease.connection(), ctx, m_options.statement_timeout);
    SqliteSession session(lease.connection(), scope, guard, ctx, *current_extras(), m_options.statement_timeout);
    try {
      lease.connection().exec(text);
    } catch (const SQLite::Exception& e) {
      session.fail(e, false);
    }
  }

  // The schema with SQLite's own facts kept beside it: CHECK texts for error messages, and per
  // table its FTS5 table then the indexed columns as Catalog::fulltext.
  sql::Catalog load_catalog(sql::Session& session, const store::Visibility& visibility) override
  {
    auto loaded = sqlite::load_catalog(static_cast<SqliteSession&>(session).db(), visibility);
    sql::Catalog catalog;
    catalog.schema = loaded->schema;
    for (const auto& [table, extras] : loaded->extras) {
      if (!extras.fts_table.empty()) {
        auto& index = catalog.fulltext[table];
        index.push_back(extras.fts_table);
        index.insert(index.end(), extras.fts_columns.begin(), extras.fts_columns.end());
      }
    }
    {
      std::lock_guard lock(m_extras_mutex);
      m_extras = std::move(loaded);
    }
    m_pool.schema_changed();
    return catalog;
  }

  // Blob columns' base64 as bytes; numbers for INTEGER columns checked to be whole int64 values.
  Json encode(const store::Column& column, const Json& value) const override
  {
    if (column.kind != store::ValueKind::blob && column.kind != store::ValueKind::integer) {
      return value;
    }
    return encode_column(table_of(column), column, value);
  }

  // A filter on a blob column compares its bytes: the base64 the client sent, decoded.
  std::optional<store::Filter> encode_filter(const store::TableInfo& table, const store::Filter& where) const override
  {
    const bool blobs = std::any_of(table.columns.begin(), table.columns.end(),
                                   [](const store::Column& c) { return c.kind == store::ValueKind::blob; });
    if (!blobs) {
      return std::nullopt;
    }
    return sqlite::encode_filter(table, where);
  }

  std::optional<store::sql::Statement> fulltext_select(const store::TableInfo& table,
                                                       const std::vector<std::string>* index,
                                                       const store::Select& query, const std::string&) const override
  {
    return sqlite::fulltext_select(table, extras_of(index), query);
  }

  std::optional<store::sql::Statement> fulltext_count(const store::TableInfo& table,
                                                      const std::vector<std::string>* index,
                                                      const store::Filter& where, const store::TextSearch& search,
                                                      const std::string&) const override
  {
    return sqlite::fulltext_count(table, extras_of(index), where, search);
  }

  std::string bulk_insert_text(const store::TableInfo& table) const override
  {
    return "INSERT INTO " + store::sql::quote_identifier(dialect(), table.name) + " (…) VALUES (?, …) -- once per row";
  }

  // Single-row prepared INSERTs reused for every row of one column list: faster on SQLite than
  // multi-row statements, and the failing row is known without a second pass.
  std::optional<store::BatchResult> bulk_insert(sql::Session& session, const store::TableInfo& table,
                                                const store::BatchInsert& batch, CallContext& ctx) override
  {
    if (table.is_view) {
      throw store::invalid_argument(fmt::format("{} is a view; write to its underlying tables", table.name));
    }
    auto& sqlite = static_cast<SqliteSession&>(session);
    ErrorScope scope;
    try {
      return insert_rows(sqlite.db(), table, batch, ctx, scope);
    } catch (const SQLite::Exception& e) {
      sqlite.fail(e, false, scope.row_index, scope.values);
    } catch (const store::StoreError& e) {
      if (scope.row_index && !e.details().contains("row")) {
        throw store::StoreError(e.code(), fmt::format("row {}: {}", *scope.row_index, e.what()),
                                {{"row", *scope.row_index}});
      }
      throw;
    }
  }

  Json diagnostics(sql::Session& session, const sql::Catalog& catalog) override
  {
    SQLite::Database& db = static_cast<SqliteSession&>(session).db();
    const int64_t page_count = db.execAndGet("PRAGMA page_count").getInt64();
    const int64_t page_size = db.execAndGet("PRAGMA page_size").getInt64();
    Json out{{"engine", "sqlite"},
             {"version", sqlite3_libversion()},
             {"file", m_pool.target().path},
             {"journal_mode", db.execAndGet("PRAGMA journal_mode").getString()},
             {"page_count", page_count},
             {"page_size", page_size},
             {"size_bytes", page_count * page_size},
             {"freelist_count", db.execAndGet("PRAGMA freelist_count").getInt64()}};
    out["tables"] = table_statistics(db, *catalog.schema);
    return out;
  }

  Json pool_statistics() const override { return m_pool.stats(); }

  // SQLite vacuums the whole database whatever `table` names.
  std::string maintenance_statement(store::Maintenance operation, const std::string& table,
                                    const sql::Catalog&) const override
  {
    switch (operation) {
    case store::Maintenance::vacuum: return "VACUUM";
    case store::Maintenance::analyze: return table.empty() ? "ANALYZE" : "ANALYZE " + table;
    case store::Maintenance::reindex: break;
    }
    return table.empty() ? "REINDEX" : "REINDEX " + table;
  }

private:
  std::shared_ptr<const Catalog> current_extras() const
  {
    std::lock_guard lock(m_extras_mutex);
    return m_extras;
  }

  // The FTS5 table and columns of Catalog::fulltext as the search builder takes them.
  static TableExtras extras_of(const std::vector<std::string>* index)
  {
    TableExtras extras;
    if (index && !index->empty()) {
      extras.fts_table = index->front();
      extras.fts_columns.assign(index->begin() + 1, index->end());
    }
    return extras;
  }

  // The name of the table `column` belongs to, for messages ("the table" when it is not in the
  // current schema).
  std::string table_of(const store::Column& column) const
  {
    const auto extras = current_extras();
    if (extras->schema) {
      for (const auto& table : extras->schema->tables) {
        if (!table.columns.empty() && &column >= &table.columns.front() && &column <= &table.columns.back()) {
          return table.name;
        }
      }
    }
    return "the table";
  }

  Json table_statistics(SQLite::Database& db, const store::Schema& schema) const
  {
    Json tables = Json::array();
    for (const auto& table : schema.tables) {
      Json entry{{"name", table.name}, {"type", table.is_view ? "view" : "table"}};
      SQLite::Statement count(db, "SELECT COUNT(*) FROM " + store::sql::quote_identifier(dialect(), table.name));
      count.executeStep();
      entry["rows"] = count.getColumn(0).getInt64();
      entry["indexes"] = table.indexes.size();
      entry["fulltext"] = table.has_fulltext;
      tables.push_back(std::move(entry));
    }
    return tables;
  }

  const store::StoreOptions m_options;
  Connections m_pool;
  mutable std::mutex m_extras_mutex;
  std::shared_ptr<const Catalog> m_extras; // the latest catalog's CHECK texts and FTS5 tables
};

} // namespace

std::unique_ptr<store::Store> open_sqlite_store(const store::StoreOptions& options)
{
  return sql::make_sql_store(options, [&] { return std::make_unique<SqliteEngine>(options); });
}

} // namespace dbmcp::backends::sqlite
