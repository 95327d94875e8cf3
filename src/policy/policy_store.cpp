#include "policy/policy_store.hpp"

#include "policy/masking.hpp"
#include "policy/policy_check.hpp"
#include "policy/row_filter.hpp"
#include "tools/query_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace dbmcp::policy {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name)
{
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool any_hidden(const Policy& policy, const std::string& table, const std::vector<std::string>& columns)
{
  return std::any_of(columns.begin(), columns.end(),
                     [&](const std::string& column) { return policy.hidden_column(table, column); });
}

bool is_word_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool is_alnum(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool same_letter(char x, char y)
{
  return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
}

// Whether `text` holds `word` not as part of a longer identifier.
bool mentions(std::string_view text, std::string_view word)
{
  if (word.empty()) {
    return false;
  }
  for (size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !is_word_char(text[at - 1]);
    const size_t end = at + word.size();
    if (starts && (end >= text.size() || !is_word_char(text[end]))) {
      return true;
    }
  }
  return false;
}

// Whether `text` may name `name`: `name` ignoring ASCII case, between characters that are not
// letters or digits, so that a constraint or index name built from it ("fk_orders_secrets",
// "secrets_pkey") counts too. Rewording an error too often is safe; leaking a name is not.
bool may_name(std::string_view text, std::string_view name)
{
  if (name.empty() || name.size() > text.size()) {
    return false;
  }
  for (size_t at = 0; at + name.size() <= text.size(); ++at) {
    if ((at > 0 && is_alnum(text[at - 1])) || !std::equal(name.begin(), name.end(), text.begin() + at, same_letter)) {
      continue;
    }
    const size_t end = at + name.size();
    if (end == text.size() || !is_alnum(text[end])) {
      return true;
    }
  }
  return false;
}

} // namespace

store::Schema visible_schema(const store::Schema& schema, const Policy& policy)
{
  store::Schema visible;
  visible.name = schema.name;
  for (const auto& source : schema.tables) {
    store::TableInfo table = source;
    const std::string& name = table.name;
    std::erase_if(table.columns, [&](const store::Column& column) { return policy.hidden_column(name, column.name); });
    std::erase_if(table.primary_key, [&](const std::string& column) { return policy.hidden_column(name, column); });
    std::erase_if(table.indexes, [&](const store::Index& index) { return any_hidden(policy, name, index.columns); });
    const auto hides_side = [&](const store::ForeignKey& fk) {
      return any_hidden(policy, fk.table, fk.columns) || any_hidden(policy, fk.ref_table, fk.ref_columns);
    };
    std::erase_if(table.foreign_keys, hides_side);
    std::erase_if(table.referenced_by, hides_side);
    if (!policy.access_of(name).read) {
      table.row_estimate.reset(); // a table the tools may not read does not tell its size either
    }
    if (const TablePolicy* entry = policy.find(name)) {
      if (!entry->row_filter.is_null()) {
        table.row_estimate.reset(); // the whole table's size would tell about rows outside the filter
      }
      std::erase_if(table.checks, [&](const std::string& check) {
        return std::any_of(entry->hidden_columns.begin(), entry->hidden_columns.end(),
                           [&](const std::string& column) { return mentions(check, column); });
      });
    }
    visible.tables.push_back(std::move(table));
  }
  return visible;
}

namespace {

class PolicyStore final : public store::Store
{
public:
  PolicyStore(std::unique_ptr<store::Store> inner, std::shared_ptr<const Policy> policy)
    : m_inner(std::move(inner)), m_policy(std::move(policy))
  {
  }

  std::string backend() const override { return m_inner->backend(); }
  store::Capability capability() const override { return m_inner->capability(); }
  store::KeyValues& key_values() override { return m_inner->key_values(); }

  std::shared_ptr<const store::Schema> schema() const override
  {
    const auto full = m_inner->schema();
    std::lock_guard lock(m_mutex);
    if (full != m_source) {
      m_visible = std::make_shared<const store::Schema>(visible_schema(*full, *m_policy));
      const auto key_errors = key_column_errors(*m_policy, *full);
      m_key_error = key_errors.empty() ? "" : fmt::format("{}: {}", m_policy->source, key_errors.front());
      m_source = full;
    }
    return m_visible;
  }

  void refresh_schema() override { m_inner->refresh_schema(); }

  std::vector<store::Row> select(const store::Select& given, CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, given.table, Operation::read);
    store::Select query = given;
    if (query.columns.empty()) {
      for (const auto& column : table.columns) {
        query.columns.push_back(column.name);
      }
    } else {
      for (const auto& column : query.columns) {
        table.require_column(column);
      }
    }
    check_filter(table, query.where);
    check_order(table, query.order, {});
    if (query.search) {
      query.search = checked_search(table, *query.search);
    }
    add_row_filter(table, query.where);
    return guarded(table, [&] { return shown(table, m_inner->select(query, ctx)); });
  }

  int64_t count(const std::string& table_name, const store::Filter& given,
                const std::optional<store::TextSearch>& search, CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, table_name, Operation::read);
    store::Filter where = given;
    check_filter(table, where);
    std::optional<store::TextSearch> checked;
    if (search) {
      checked = checked_search(table, *search);
    }
    add_row_filter(table, where);
    return guarded(table, [&] { return m_inner->count(table.name, where, checked, ctx); });
  }

  std::vector<store::Row> aggregate(const store::AggregateQuery& given, CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, given.table, Operation::read);
    store::AggregateQuery query = given;
    check_filter(table, query.where);
    std::vector<std::string> aliases;
    for (const auto& column : query.group_by) {
      require_unmasked(table, column);
    }
    for (const auto& aggregate : query.aggregates) {
      if (aggregate.column) {
        require_unmasked(table, *aggregate.column);
      }
      aliases.push_back(aggregate.alias);
    }
    check_order(table, query.order, aliases);
    add_row_filter(table, query.where);
    return guarded(table, [&] { return m_inner->aggregate(query, ctx); });
  }

  std::string fulltext_config(const std::string& table_name, const store::TextSearch& search,
                              CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, table_name, Operation::read);
    return guarded(table, [&] { return m_inner->fulltext_config(table.name, checked_search(table, search), ctx); });
  }

  store::InsertResult insert(const std::string& table_name, const store::Row& values,
                             const std::vector<store::RelatedRows>& related, CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, table_name, Operation::insert);
    const store::Row row = row_to_insert(table, values, "");
    std::vector<store::RelatedRows> children;
    std::vector<const store::TableInfo*> child_tables;
    for (const auto& group : related) {
      const store::TableInfo& child = require_access(*snapshot, group.table, Operation::insert);
      store::RelatedRows checked{.table = child.name};
      for (size_t i = 0; i < group.rows.size(); ++i) {
        checked.rows.push_back(row_to_insert(child, group.rows[i], fmt::format("related.{}[{}]: ", child.name, i),
                                             &table));
      }
      children.push_back(std::move(checked));
      child_tables.push_back(&child);
    }
    return guarded(table, [&] {
      store::InsertResult result = m_inner->insert(table.name, row, children, ctx);
      result.row = shown(table, result.row);
      for (auto& [name, rows] : result.related) {
        const auto* child = snapshot->find_table(name);
        rows = child ? shown(*child, std::move(rows)) : std::vector<store::Row>{};
      }
      return result;
    });
  }

  store::BatchResult insert_many(const store::BatchInsert& batch, CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, batch.table, Operation::insert);
    if (batch.on_conflict == store::OnConflict::replace) {
      // An upsert writes over the row it conflicts with: an update in all but name, which the row
      // filter cannot confine (the conflicting row may lie outside it).
      if (!m_policy->access_of(table.name).update) {
        throw store::read_only(fmt::format("update is not allowed on '{}' by the access policy, so neither is "
                                           "on_conflict \"replace\"",
                                           table.name));
      }
      if (!row_filter(table).empty()) {
        throw store::invalid_argument(fmt::format("on_conflict \"replace\" is not available on '{}' under the access "
                                                  "policy's row filter (it could write over a row outside it); use "
                                                  "update_records",
                                                  table.name));
      }
    }
    PolicyRows rows(*this, table, batch);
    store::BatchInsert checked = batch;
    checked.table = table.name;
    checked.source = &rows;
    try {
      return guarded(table, [&] { return m_inner->insert_many(checked, ctx); });
    } catch (const store::StoreError&) {
      if (rows.failure()) {
        std::rethrow_exception(rows.failure()); // the policy's own refusal, as it said it
      }
      throw;
    }
  }

  std::vector<store::Row> update(const std::string& table_name, const store::Filter& given, const store::Row& values,
                                 const store::WriteLimits& limits, CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, table_name, Operation::update);
    store::Filter where = given;
    check_filter(table, where);
    check_columns(table, values);
    check_update_stays_inside(table, values);
    add_row_filter(table, where);
    const store::WriteLimits bounded = limits_for(table, limits);
    return guarded(table, [&] {
      return bounded_by_policy(table, "update", [&] { return m_inner->update(table.name, where, values, bounded, ctx); });
    });
  }

  std::vector<store::Row> remove(const std::string& table_name, const store::Filter& given,
                                 const store::WriteLimits& limits, CallContext& ctx) override
  {
    const auto snapshot = schema();
    const store::TableInfo& table = require_access(*snapshot, table_name, Operation::remove);
    store::Filter where = given;
    check_filter(table, where);
    add_row_filter(table, where);
    const store::WriteLimits bounded = limits_for(table, limits);
    return guarded(table, [&] {
      return bounded_by_policy(table, "delete", [&] { return m_inner->remove(table.name, where, bounded, ctx); });
    });
  }

  // The inner store's diagnostics, without the row counts and sizes of row-filtered tables (they
  // would tell about the rows outside the filter) and of write-only ones, and with index counts of
  // the visible indexes.
  Json diagnostics(CallContext& ctx) override
  {
    Json result = m_inner->diagnostics(ctx);
    if (!result.is_object() || !result.contains("tables") || !result["tables"].is_array()) {
      return result;
    }
    const auto snapshot = schema();
    for (auto& table : result["tables"]) {
      if (!table.is_object() || !table.contains("name") || !table["name"].is_string()) {
        continue;
      }
      const std::string name = table["name"].get<std::string>();
      const TablePolicy* entry = m_policy->find(name);
      if ((entry && !entry->row_filter.is_null()) || !m_policy->access_of(name).read) {
        for (const char* key : {"rows", "rows_estimate", "row_estimate", "size_bytes"}) {
          if (table.contains(key)) {
            table[key] = nullptr;
          }
        }
      }
      const store::TableInfo* visible = snapshot->find_table(name);
      if (visible && table.contains("indexes") && table["indexes"].is_number()) {
        table["indexes"] = visible->indexes.size();
      }
    }
    return result;
  }
  Json maintenance(store::Maintenance operation, const std::string& table, CallContext& ctx) override
  {
    try {
      return m_inner->maintenance(operation, table, ctx);
    } catch (const store::StoreError& e) {
      if (!names_something_hidden(e.what()) && (e.details().is_null() || !names_something_hidden(e.details().dump()))) {
        throw;
      }
      throw store::StoreError(e.code(), "the database refused this maintenance (the reason names a column or table "
                                        "hidden by the access policy)");
    }
  }
  void ping(CallContext& ctx) override { m_inner->ping(ctx); }
  void execute_script(const std::string& sql, CallContext& ctx) override { m_inner->execute_script(sql, ctx); }

private:
  enum class Operation { read, insert, update, remove };

  const store::TableInfo& require_access(const store::Schema& snapshot, const std::string& name,
                                         Operation operation) const
  {
    {
      std::lock_guard lock(m_mutex);
      if (!m_key_error.empty()) {
        // Refused at start when the database could be reached then (cli/connection.cpp).
        throw store::invalid_argument(m_key_error);
      }
    }
    const store::TableInfo& table = snapshot.require_table(name);
    const Access access = m_policy->access_of(table.name);
    if (operation == Operation::read) {
      if (!access.read) {
        throw store::read_only(fmt::format("reading '{}' is not allowed by the access policy", table.name));
      }
      return table;
    }
    const bool allowed = operation == Operation::insert   ? access.insert
                         : operation == Operation::update ? access.update
                                                          : access.remove;
    if (!allowed) {
      if (!access.writes()) {
        throw store::read_only(fmt::format("table '{}' is read-only under the access policy", table.name));
      }
      static constexpr const char* k_verbs[] = {"read", "insert", "update", "delete"};
      throw store::read_only(fmt::format("{} is not allowed on '{}' by the access policy",
                                         k_verbs[static_cast<int>(operation)], table.name));
    }
    return table;
  }

  // Refuses a masked column where its values would be compared; a hidden one is an unknown column.
  void require_unmasked(const store::TableInfo& table, const std::string& column) const
  {
    table.require_column(column);
    if (m_policy->mask_of(table.name, column)) {
      throw store::invalid_argument(fmt::format("column '{}' is masked by the access policy; it cannot be filtered, "
                                                "sorted, searched or aggregated on",
                                                column));
    }
  }

  void check_filter(const store::TableInfo& table, const store::Filter& where) const
  {
    store::for_each_predicate(where, [&](const store::Condition& condition) { require_unmasked(table, condition.column); });
  }

  // Sort keys: columns (unmasked) or, for an aggregate, the aliases in `aliases`.
  void check_order(const store::TableInfo& table, const std::vector<store::OrderKey>& order,
                   const std::vector<std::string>& aliases) const
  {
    for (const auto& key : order) {
      if (!contains(aliases, key.column) || table.find_column(key.column)) {
        require_unmasked(table, key.column);
      }
    }
  }

  void check_columns(const store::TableInfo& table, const store::Row& values) const
  {
    if (values.is_object()) {
      for (const auto& [name, value] : values.items()) {
        table.require_column(name);
      }
    }
  }

  // `search` with its columns checked; with none named, the visible unmasked text columns.
  store::TextSearch checked_search(const store::TableInfo& table, store::TextSearch search) const
  {
    const TablePolicy* entry = m_policy->find(table.name);
    const bool concealing = entry && (!entry->hidden_columns.empty() || !entry->masked_columns.empty());
    if (search.fulltext && concealing) {
      // The full-text index may cover a hidden or masked column: its matches would reveal it.
      throw store::invalid_argument(fmt::format("full-text search is not available on '{}' under the access policy "
                                                "(it hides or masks columns); search without fulltext",
                                                table.name));
    }
    for (const auto& column : search.columns) {
      require_unmasked(table, column);
    }
    if (search.columns.empty() && concealing) {
      for (const auto& column : table.columns) {
        if (column.kind == store::ValueKind::text && !m_policy->mask_of(table.name, column.name)) {
          search.columns.push_back(column.name);
        }
      }
      if (search.columns.empty()) {
        throw store::invalid_argument(
            fmt::format("'{}' has no text column that may be searched under the access policy", table.name));
      }
    }
    return search;
  }

  // The table's row filter, resolved against the full catalog (it may name hidden columns).
  store::Filter row_filter(const store::TableInfo& table) const
  {
    const TablePolicy* entry = m_policy->find(table.name);
    if (!entry || entry->row_filter.is_null()) {
      return {};
    }
    const auto full = m_inner->schema();
    const store::TableInfo* complete = full->find_table(table.name);
    try {
      return tools::parse_where(entry->row_filter, complete ? *complete : table);
    } catch (const store::StoreError& e) {
      throw store::invalid_argument(
          fmt::format("the access policy's row filter of '{}' does not fit the table; run dbmcp policy check",
                      table.name));
    }
  }

  // How the row filter reads in a message; its columns are not named when the policy hides one.
  std::string described_row_filter(const store::TableInfo& table, const store::Filter& filter) const
  {
    bool names_hidden = false;
    store::for_each_predicate(filter, [&](const store::Condition& condition) {
      names_hidden = names_hidden || m_policy->hidden_column(table.name, condition.column);
    });
    return names_hidden ? "on columns hidden by the policy" : describe(filter);
  }

  void add_row_filter(const store::TableInfo& table, store::Filter& where) const
  {
    for (auto& condition : row_filter(table)) {
      where.push_back(std::move(condition));
    }
  }

  [[noreturn]] void outside(const store::TableInfo& table, const store::Filter& filter, const std::string& what) const
  {
    throw store::invalid_argument(fmt::format("{}the row would be outside the access policy's row filter of '{}' ({})",
                                              what, table.name, described_row_filter(table, filter)));
  }

  // `values` to insert into `table`: names checked, the row filter's equality columns filled in
  // when omitted, and refused when the row would fall outside the row filter. A child row of
  // `parent` may omit the columns of its foreign key to it: the store fills them.
  // The rows of a batch as the policy lets them be inserted (row_to_insert), read as the store
  // pulls them; failure() is the refusal it threw, if any.
  class PolicyRows : public store::RowSource
  {
  public:
    PolicyRows(const PolicyStore& owner, const store::TableInfo& table, const store::BatchInsert& batch)
      : m_owner(owner), m_table(table), m_rows(batch)
    {
    }
    size_t size() const override { return m_rows.size(); }
    store::Row* next() override
    {
      store::Row* row = m_rows.next();
      if (!row) {
        return nullptr;
      }
      try {
        m_current = m_owner.row_to_insert(m_table, *row, fmt::format("row {}: ", m_rows.index()));
      } catch (const store::StoreError&) {
        m_failure = std::current_exception();
        throw;
      }
      return &m_current;
    }
    std::exception_ptr failure() const { return m_failure; }

  private:
    const PolicyStore& m_owner;
    const store::TableInfo& m_table;
    store::BatchRows m_rows;
    store::Row m_current;
    std::exception_ptr m_failure;
  };

  store::Row row_to_insert(const store::TableInfo& table, const store::Row& values, const std::string& what,
                           const store::TableInfo* parent = nullptr) const
  {
    if (!values.is_object()) {
      return values; // the store says what is wrong
    }
    check_columns(table, values);
    const store::Filter filter = row_filter(table);
    if (filter.empty()) {
      return values;
    }
    store::Row row = values;
    for (const auto& condition : filter) {
      if (condition.op == store::Op::eq && !row.contains(condition.column)) {
        row[condition.column] = condition.value;
      }
    }
    std::vector<std::string> linked;
    if (parent) {
      for (const auto& fk : m_inner->schema()->require_table(table.name).foreign_keys) {
        if (fk.ref_table == parent->name) {
          linked.insert(linked.end(), fk.columns.begin(), fk.columns.end());
        }
      }
    }
    for (const auto& condition : filter) {
      const bool filled_by_store = std::any_of(linked.begin(), linked.end(), [&](const std::string& column) {
        return names_column(condition, column) && !row.contains(column);
      });
      if (filled_by_store) {
        continue; // the child's foreign key comes from the parent row, itself inside its filter
      }
      const auto inside = evaluate(condition, row);
      if (!inside || !*inside) {
        outside(table, filter, what);
      }
    }
    return row;
  }

  // Refuses an update whose `values` would move a row outside the table's row filter.
  void check_update_stays_inside(const store::TableInfo& table, const store::Row& values) const
  {
    if (!values.is_object()) {
      return;
    }
    const store::Filter filter = row_filter(table);
    for (const auto& condition : filter) {
      bool touched = false;
      for (const auto& [name, value] : values.items()) {
        touched = touched || names_column(condition, name);
      }
      if (!touched) {
        continue;
      }
      const auto inside = evaluate(condition, values);
      if (!inside || !*inside) {
        outside(table, filter, "");
      }
    }
  }

  store::WriteLimits limits_for(const store::TableInfo& table, store::WriteLimits limits) const
  {
    const TablePolicy* entry = m_policy->find(table.name);
    if (entry && entry->max_affected_rows && !limits.confirmed) {
      limits.max_affected = *entry->max_affected_rows;
    }
    return limits;
  }

  // The rows `write` changed, as shown; a too_many_rows under the table's own max_affected_rows
  // names that limit instead of --max-affected-rows.
  template<typename Write>
  std::vector<store::Row> bounded_by_policy(const store::TableInfo& table, std::string_view verb, Write&& write) const
  {
    try {
      return shown(table, write());
    } catch (const store::StoreError& e) {
      const TablePolicy* entry = m_policy->find(table.name);
      if (e.code() != store::ErrorCode::too_many_rows || !entry || !entry->max_affected_rows) {
        throw;
      }
      Json details = e.details();
      details["limit"] = *entry->max_affected_rows;
      throw store::StoreError(
          e.code(),
          fmt::format("this {} would change {} rows of {}, more than the access policy's limit of {} for this "
                      "table (max_affected_rows); nothing was changed: narrow 'where'",
                      verb, e.details().value("rows", int64_t{0}), table.name, *entry->max_affected_rows),
          details);
    }
  }

  // `row` as the policy shows it: hidden columns dropped, masked ones masked; of a table the
  // policy does not let the tools read (write-only), only the primary-key columns, so that a write
  // does not read the rows it inserts, updates or deletes.
  store::Row shown(const store::TableInfo& table, const store::Row& row) const
  {
    if (!row.is_object()) {
      return row;
    }
    const bool readable = m_policy->access_of(table.name).read;
    store::Row result = Json::object();
    for (const auto& [name, value] : row.items()) {
      if (m_policy->hidden_column(table.name, name)) {
        continue;
      }
      if (!readable && !contains(table.primary_key, name)) {
        continue;
      }
      const auto mask = m_policy->mask_of(table.name, name);
      result[name] = mask ? mask_value(value, *mask) : value;
    }
    return result;
  }

  // Whether shown() changes the rows of `table`: it hides or masks a column of it, or the table is
  // write-only. (The shorthands' policies, --tables and --exclude-tables, change no row.)
  bool reshapes(const store::TableInfo& table) const
  {
    const TablePolicy* entry = m_policy->find(table.name);
    return !m_policy->access_of(table.name).read ||
           (entry && (!entry->hidden_columns.empty() || !entry->masked_columns.empty()));
  }

  std::vector<store::Row> shown(const store::TableInfo& table, std::vector<store::Row> rows) const
  {
    if (!reshapes(table)) {
      return rows;
    }
    for (auto& row : rows) {
      row = shown(table, row);
    }
    return rows;
  }

  // Runs `work`; a StoreError whose message or details may name a hidden column or table (hidden
  // by the policy's entries, its default_access, --tables or --exclude-tables) is reworded without it.
  template<typename Work>
  auto guarded(const store::TableInfo& table, Work&& work) const -> decltype(work())
  {
    try {
      return work();
    } catch (const store::StoreError& e) {
      if (!names_something_hidden(e.what()) && (e.details().is_null() || !names_something_hidden(e.details().dump()))) {
        throw;
      }
      throw store::StoreError(e.code(),
                              fmt::format("the database refused this operation on '{}' (the reason names a "
                                          "column or table hidden by the access policy)",
                                          table.name));
    }
  }

  bool names_something_hidden(std::string_view message) const
  {
    for (const auto& entry : m_policy->tables) {
      if (entry.access && entry.access->is_hidden() && may_name(message, entry.name)) {
        return true;
      }
      for (const auto& column : entry.hidden_columns) {
        if (may_name(message, column)) {
          return true;
        }
      }
    }
    std::shared_ptr<const store::Schema> full;
    try {
      full = m_inner->schema();
    } catch (const store::StoreError&) {
      return false; // no catalog, so no table the catalog left out
    }
    return std::any_of(full->hidden_tables.begin(), full->hidden_tables.end(),
                       [&](const std::string& name) { return may_name(message, name); });
  }

  std::unique_ptr<store::Store> m_inner;
  std::shared_ptr<const Policy> m_policy;
  mutable std::mutex m_mutex;
  mutable std::shared_ptr<const store::Schema> m_source;  // the inner schema m_visible was made from
  mutable std::shared_ptr<const store::Schema> m_visible; // guarded by m_mutex
  mutable std::string m_key_error; // a hidden or masked key column of m_source; guarded by m_mutex
};

} // namespace

std::unique_ptr<store::Store> make_policy_store(std::unique_ptr<store::Store> inner, std::shared_ptr<const Policy> policy)
{
  return std::make_unique<PolicyStore>(std::move(inner), std::move(policy));
}

} // namespace dbmcp::policy
