#include "backends/sql/sql_store.hpp"

#include "backends/sql/batch_insert.hpp"
#include "backends/sql/row_lookup.hpp"
#include "backends/sql/statement_reporting.hpp"
#include "config/config.hpp"
#include "store/errors.hpp"

#include <fmt/format.h>

#include <chrono>
#include <limits>
#include <mutex>

namespace dbmcp::backends::sql {
namespace {

namespace builder = store::sql;

// (column, value) for every value a client sent, so that an error can name its column.
std::vector<std::pair<std::string, Json>> bound_values(const store::Row* values, const store::Filter* where)
{
  std::vector<std::pair<std::string, Json>> bound;
  if (values) {
    for (const auto& [name, value] : values->items()) {
      bound.emplace_back(name, value);
    }
  }
  if (where) {
    // Only a top-level equality pins a column to its value (an error may name it as the row's
    // key); every other filter value goes in as a one-element list, so that an error can still
    // find the column it was bound to without naming a key the statement did not select.
    for (const auto& condition : *where) {
      if (condition.op == store::Op::eq) {
        bound.emplace_back(condition.column, condition.value);
        continue;
      }
      store::for_each_predicate(store::Filter{condition}, [&](const store::Condition& predicate) {
        bound.emplace_back(predicate.column,
                           predicate.value.is_array() ? predicate.value : Json::array({predicate.value}));
      });
    }
  }
  return bound;
}

// (column, value) for each top-level equality of `where` (ErrorScope::pinned).
std::vector<std::pair<std::string, Json>> pinned_values(const store::Filter& where)
{
  std::vector<std::pair<std::string, Json>> pinned;
  for (const auto& condition : where) {
    if (condition.op == store::Op::eq) {
      pinned.emplace_back(condition.column, condition.value);
    }
  }
  return pinned;
}

class SqlStore final : public store::Store
{
public:
  SqlStore(std::unique_ptr<Engine> engine, const store::StoreOptions& options)
    : m_engine(report_statements(std::move(engine))), m_options(options)
  {
    CallContext ctx;
    load_catalog(ctx);
  }

  std::string backend() const override { return m_engine->name(); }

  std::shared_ptr<const store::Schema> schema() const override { return catalog()->schema; }

  void refresh_schema() override
  {
    CallContext ctx;
    load_catalog(ctx);
  }

  std::vector<store::Row> select(const store::Select& given, CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(given.table);
    std::optional<store::Select> encoded;
    const store::Select& query = with_encoded_where(table, given, encoded);
    const auto* search = query.search ? &*query.search : nullptr;
    return read(ctx, *snapshot, table, &query.where, search, [&](Session& session) {
      if (search && search->fulltext) {
        const std::string config = search_config(session, *snapshot, table, *search);
        if (auto ranked = m_engine->fulltext_select(table, fulltext_index(*snapshot, table), query, config)) {
          return std::move(*ranked);
        }
      }
      return builder::select(dialect(), table, query);
    }).rows;
  }

  int64_t count(const std::string& table_name, const store::Filter& given, const std::optional<store::TextSearch>& search,
                CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    const auto encoded = m_engine->encode_filter(table, given);
    const store::Filter& where = encoded ? *encoded : given;
    const Result result = read(ctx, *snapshot, table, &where, search ? &*search : nullptr, [&](Session& session) {
      if (search && search->fulltext) {
        const std::string config = search_config(session, *snapshot, table, *search);
        if (auto ranked = m_engine->fulltext_count(table, fulltext_index(*snapshot, table), where, *search, config)) {
          return std::move(*ranked);
        }
      }
      return builder::count(dialect(), table, where, search);
    });
    const Json& value = result.rows.at(0).begin().value();
    return value.is_string() ? std::stoll(value.get<std::string>()) : value.get<int64_t>();
  }

  std::string fulltext_config(const std::string& table_name, const store::TextSearch& search,
                              CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    if (!search.language) { // answered from the catalog snapshot: no round trip
      return m_engine->text_search_config(nullptr, *snapshot, table, search);
    }
    std::string config;
    m_engine->run(ctx, Access::read, scope(*snapshot, table),
                  [&](Session& session) { config = search_config(session, *snapshot, table, search); });
    return config;
  }

  std::vector<store::Row> aggregate(const store::AggregateQuery& given, CallContext& ctx) override
  {
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(given.table);
    std::optional<store::AggregateQuery> encoded;
    const store::AggregateQuery& query = with_encoded_where(table, given, encoded);
    const builder::Statement statement = builder::aggregate(dialect(), table, query);
    return read(ctx, *snapshot, table, &query.where, nullptr, [&](Session&) { return statement; }).rows;
  }

  store::InsertResult insert(const std::string& table_name, const store::Row& values,
                             const std::vector<store::RelatedRows>& related, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    if (!values.is_object()) {
      throw store::invalid_argument(fmt::format("the values to insert into {} must be an object", table.name));
    }
    // Resolve every child table and its foreign key before anything is sent.
    std::vector<std::pair<const store::TableInfo*, const store::ForeignKey*>> children;
    for (const auto& group : related) {
      const store::TableInfo& child = snapshot->schema->require_table(group.table);
      children.emplace_back(&child, &child.require_foreign_key_to(table.name));
    }
    store::InsertResult result;
    write(ctx, *snapshot, table, [&](Session& session) {
      result = {};
      session.scope().bound = bound_values(&values, nullptr);
      result.row = insert_row(session, table, values);
      for (size_t g = 0; g < related.size(); ++g) {
        const auto& [child, fk] = children[g];
        std::vector<store::Row> stored;
        for (const auto& child_values : related[g].rows) {
          const store::Row linked = store::linked_child_row(child_values, *fk, result.row);
          session.scope().table = child->name;
          session.scope().bound = bound_values(&linked, nullptr);
          stored.push_back(insert_row(session, *child, linked));
        }
        result.related.emplace_back(child->name, std::move(stored));
      }
    });
    return result;
  }

  store::BatchResult insert_many(const store::BatchInsert& batch, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(batch.table);
    CheckedRows rows(table, batch);
    store::BatchInsert checked = batch;
    checked.source = &rows;
    checked.checked = true;
    store::BatchResult result;
    write(ctx, *snapshot, table, [&](Session& session) {
      if (auto own = m_engine->bulk_insert(session, table, checked, ctx)) {
        result = *own;
      } else {
        result = insert_rows(*m_engine, session, table, checked, ctx);
      }
    });
    return result;
  }

  std::vector<store::Row> update(const std::string& table_name, const store::Filter& given, const store::Row& values,
                                 const store::WriteLimits& limits, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    const auto encoded = m_engine->encode_filter(table, given);
    const store::Filter& where = encoded ? *encoded : given;
    const builder::Statement statement = builder::update(dialect(), table, where, encode_values(table, values));
    std::vector<store::Row> rows;
    bounded_write(ctx, *snapshot, table, limits, "update", rows, [&](Session& session) {
      session.scope().bound = bound_values(&values, &where);
      session.scope().pinned = pinned_values(where);
      if (dialect().returning) {
        rows = session.execute(statement.text, statement.params).rows;
        return;
      }
      // Without RETURNING: lock the keys of the rows the filter matches, update, read them back
      // under their keys as they are now (a key the update sets is taken from `values`).
      const auto key = row_key(table);
      if (key.empty()) { // no key: the rows that match the filter after the update
        session.execute(statement.text, statement.params);
        const builder::Statement after = fetch(table, where, {});
        rows = session.execute(after.text, after.params).rows;
        return;
      }
      const builder::Statement locked = fetch(table, where, key);
      const auto keys = session.execute(locked.text, locked.params).rows;
      if (keys.empty()) {
        rows.clear();
        return;
      }
      session.execute(statement.text, statement.params);
      rows = read_back(dialect(), session, table, key, with_updated_keys(keys, values));
    });
    return rows;
  }

  std::vector<store::Row> remove(const std::string& table_name, const store::Filter& given,
                                 const store::WriteLimits& limits, CallContext& ctx) override
  {
    refuse_writes();
    const auto snapshot = catalog();
    const store::TableInfo& table = snapshot->schema->require_table(table_name);
    const auto encoded = m_engine->encode_filter(table, given);
    const store::Filter& where = encoded ? *encoded : given;
    const builder::Statement statement = builder::remove(dialect(), table, where);
    std::vector<store::Row> rows;
    bounded_write(ctx, *snapshot, table, limits, "delete", rows, [&](Session& session) {
      session.scope().bound = bound_values(nullptr, &where);
      session.scope().pinned = pinned_values(where);
      if (dialect().returning) {
        rows = session.execute(statement.text, statement.params).rows;
        return;
      }
      // Without RETURNING: the rows as they were, locked, then deleted in the same transaction.
      const builder::Statement before = fetch(table, where, {});
      rows = session.execute(before.text, before.params).rows;
      if (!rows.empty()) {
        session.execute(statement.text, statement.params);
      }
    });
    return rows;
  }

  Json diagnostics(CallContext& ctx) override
  {
    const auto snapshot = catalog();
    Json result;
    m_engine->run(ctx, Access::read, ErrorScope{snapshot.get()}, [&](Session& session) {
      result = m_engine->diagnostics(session, *snapshot);
    });
    result["connection"] = config::redact_url(m_options.url);
    result["read_only"] = m_options.read_only;
    result["pool"] = m_engine->pool_statistics();
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
      target = builder::quote_identifier(dialect(), snapshot->schema->require_table(table_name).name);
    }
    const std::string text = m_engine->maintenance_statement(operation, target, *snapshot);
    const auto started = std::chrono::steady_clock::now();
    m_engine->run_outside_transaction(ctx, text);
    const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    refresh_schema();
    static constexpr const char* k_names[] = {"vacuum", "analyze", "reindex"};
    Json result{{"operation", k_names[static_cast<int>(operation)]},
                {"table", table_name.empty() ? Json(nullptr) : Json(table_name)},
                {"statement", text},
                {"duration_ms", static_cast<int64_t>(elapsed.count())},
                {"ok", true}};
    if (!target.empty() && text.find(target) == std::string::npos) {
      // The engine cannot confine this operation to a table (SQLite's VACUUM): say what it did.
      result["note"] = fmt::format("{} ran on the whole database: this engine cannot limit it to one table", text);
    }
    return result;
  }

  void ping(CallContext& ctx) override
  {
    m_engine->run(ctx, Access::read, ErrorScope{}, [](Session& session) { session.execute("SELECT 1", {}); });
  }

  void execute_script(const std::string& text, CallContext& ctx) override
  {
    m_engine->run(ctx, Access::write, ErrorScope{}, [&](Session& session) { session.execute_script(text); });
    refresh_schema();
  }

private:
  const builder::Dialect& dialect() const { return m_engine->dialect(); }

  // `query` with its `where` as the engine binds it (Engine::encode_filter), kept in `storage`;
  // `query` itself when the engine binds the values as given.
  template<typename Query>
  const Query& with_encoded_where(const store::TableInfo& table, const Query& query,
                                  std::optional<Query>& storage) const
  {
    if (auto where = m_engine->encode_filter(table, query.where)) {
      storage = query;
      storage->where = std::move(*where);
      return *storage;
    }
    return query;
  }

  std::shared_ptr<const Catalog> catalog() const
  {
    std::lock_guard lock(m_catalog_mutex);
    return m_catalog;
  }

  void load_catalog(CallContext& ctx)
  {
    std::shared_ptr<const Catalog> fresh;
    m_engine->run(ctx, Access::read, ErrorScope{}, [&](Session& session) {
      fresh = std::make_shared<const Catalog>(m_engine->load_catalog(session, m_options.visibility));
    });
    std::lock_guard lock(m_catalog_mutex);
    m_catalog = std::move(fresh);
  }

  void refuse_writes() const
  {
    if (m_options.read_only) {
      throw store::read_only("writes are refused: the database is open read-only (--read-only)");
    }
  }

  static const std::vector<std::string>* fulltext_index(const Catalog& snapshot, const store::TableInfo& table)
  {
    const auto it = snapshot.fulltext.find(table.name);
    return it == snapshot.fulltext.end() ? nullptr : &it->second;
  }

  ErrorScope scope(const Catalog& snapshot, const store::TableInfo& table) const
  {
    return ErrorScope{&snapshot, table.name, {}};
  }

  // Runs the statement `build(session)` gives in autocommit. A search's query is named
  // "search query" in errors.
  template<typename Build>
  Result read(CallContext& ctx, const Catalog& snapshot, const store::TableInfo& table, const store::Filter* where,
              const store::TextSearch* search, Build&& build)
  {
    ErrorScope base = scope(snapshot, table);
    base.bound = bound_values(nullptr, where);
    if (search) {
      base.bound.emplace_back("search query", search->query);
    }
    Result result;
    m_engine->run(ctx, Access::read, base, [&](Session& session) {
      const builder::Statement statement = build(session);
      result = session.execute(statement.text, statement.params);
    });
    return result;
  }

  // The engine's configuration for a full-text `search`; `session` is used only to look up an
  // explicit language.
  std::string search_config(Session& session, const Catalog& snapshot, const store::TableInfo& table,
                            const store::TextSearch& search) const
  {
    return m_engine->text_search_config(search.language ? &session : nullptr, snapshot, table, search);
  }

  template<typename Work>
  void write(CallContext& ctx, const Catalog& snapshot, const store::TableInfo& table, Work&& work)
  {
    m_engine->run(ctx, Access::write, scope(snapshot, table), work);
  }

  // Thrown inside a dry run's transaction once its rows are read, so that the engine rolls it back.
  struct DryRunDone
  {
  };

  // write() of `work`, which fills `rows` with the rows it changed, under `limits`: more rows than
  // `limits.max_affected` roll back and throw too_many_rows; a dry run rolls back and keeps `rows`.
  template<typename Work>
  void bounded_write(CallContext& ctx, const Catalog& snapshot, const store::TableInfo& table,
                     const store::WriteLimits& limits, std::string_view verb, std::vector<store::Row>& rows,
                     Work&& work)
  {
    try {
      write(ctx, snapshot, table, [&](Session& session) {
        work(session);
        const auto count = static_cast<int64_t>(rows.size());
        if (limits.max_affected > 0 && count > limits.max_affected) {
          throw store::too_many_rows(
              fmt::format("this {} would change {} rows of {}, more than the limit of {} (--max-affected-rows); "
                          "nothing was changed: narrow 'where', or raise --max-affected-rows (0: no limit)",
                          verb, count, table.name, limits.max_affected),
              count);
        }
        if (limits.dry_run) {
          throw DryRunDone{};
        }
      });
    } catch (const DryRunDone&) {
      // rolled back; `rows` holds what the write would have done
    }
  }

  store::Row encode_values(const store::TableInfo& table, const store::Row& values) const
  {
    if (!values.is_object()) {
      throw store::invalid_argument(fmt::format("the values for {} must be an object", table.name));
    }
    store::Row encoded = Json::object();
    for (const auto& [name, value] : values.items()) {
      encoded[name] = m_engine->encode(table.require_column(name), value);
    }
    return encoded;
  }

  // SELECT `columns` (every column when empty) of the rows matching `where`, locked for update
  // when the dialect can.
  builder::Statement fetch(const store::TableInfo& table, const store::Filter& where,
                           const std::vector<std::string>& columns) const
  {
    store::Select query;
    query.table = table.name;
    query.columns = columns;
    query.where = where;
    query.limit = std::numeric_limits<int64_t>::max();
    builder::Statement statement = builder::select(dialect(), table, query);
    if (dialect().locking_reads) {
      statement.text += " FOR UPDATE";
    }
    return statement;
  }

  // Inserts one row and returns it as stored: through RETURNING, or read back by its key.
  store::Row insert_row(Session& session, const store::TableInfo& table, const store::Row& values)
  {
    std::vector<std::string> columns;
    std::vector<Json> params;
    for (const auto& [name, value] : values.items()) {
      const store::Column& column = table.require_column(name);
      columns.push_back(column.name);
      params.push_back(m_engine->encode(column, value));
    }
    const builder::Statement statement = builder::insert(dialect(), table, columns, 1, store::OnConflict::error, true);
    const Result result = session.execute(statement.text, params);
    const bool dropped = dialect().returning ? result.rows.empty() : result.affected == 0;
    if (dropped) {
      throw store::invalid_argument(
          fmt::format("nothing was inserted into {}: a trigger or rule on the table dropped the row", table.name));
    }
    if (dialect().returning) {
      return result.rows[0];
    }
    return read_back_inserted(dialect(), session, table, values, result.last_insert_id);
  }

  std::unique_ptr<Engine> m_engine;
  const store::StoreOptions m_options;
  mutable std::mutex m_catalog_mutex;
  std::shared_ptr<const Catalog> m_catalog;
};

void check_pool_size(const store::StoreOptions& options)
{
  if (options.pool_min < 0 || options.pool_max < 1 || options.pool_min > options.pool_max) {
    throw store::invalid_argument(fmt::format("invalid pool size: min {} max {} (need 0 <= min <= max, max >= 1)",
                                              options.pool_min, options.pool_max));
  }
}

} // namespace

std::unique_ptr<store::Store> make_sql_store(const store::StoreOptions& options, const EngineOpener& open_engine)
{
  check_pool_size(options);
  return std::make_unique<SqlStore>(open_engine(), options);
}

} // namespace dbmcp::backends::sql
