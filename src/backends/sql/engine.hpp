#pragma once

#include "store/errors.hpp"
#include "store/options.hpp"
#include "store/query.hpp"
#include "store/schema.hpp"
#include "store/sql_builder.hpp"
#include "util/call_context.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The seam between the generic relational store (SqlStore) and one database engine. An engine
// owns its driver, its connections and its error numbers; SqlStore owns every Store method's
// logic (schema checks, read-only refusal, related rows, the RETURNING fallback, batches) and
// names no engine. Values cross the seam as JSON; blobs as Json binary (see Engine::encode).
namespace dbmcp::backends::sql {

// A constraint as the catalog describes it, for messages that quote its definition.
struct ConstraintInfo
{
  std::string table;
  std::vector<std::string> columns;
  std::string definition;              // CHECK: "age >= 0 AND age <= 150"
  std::string ref_table;               // FOREIGN KEY: the referenced table and columns
  std::vector<std::string> ref_columns;
  bool hidden = false; // names a table that --tables/--exclude-tables hides: never shown in errors
};

// One consistent snapshot of what the store knows about the database, replaced whole by
// refresh_schema() and shared by the calls that started before.
struct Catalog
{
  std::string database; // the database (MySQL) or current_database() (PostgreSQL)
  std::shared_ptr<const store::Schema> schema;
  std::map<std::string, ConstraintInfo> constraints; // unique, check and foreign keys, by name
  // Per table, the engine's full-text index as the engine needs it to search (MySQL: its column
  // list; PostgreSQL: its expression and its text search configuration).
  std::map<std::string, std::vector<std::string>> fulltext;
  // The configuration a full-text search without an index or a language ranks with (PostgreSQL's
  // default_text_search_config); "" when the engine has no such setting.
  std::string text_search_config;
};

// What the caller knows about a statement, so that an error can be explained: the table it
// writes or reads and the value bound for each column.
struct ErrorScope
{
  const Catalog* catalog = nullptr;
  std::string table;
  std::vector<std::pair<std::string, Json>> bound; // column, value as the client sent it
  // The columns an update's or a delete's filter pins with a top-level equality, and their
  // values: the key the touched rows had, which a parent key "still referenced" names (an
  // update's `bound` also holds the new key, so it cannot tell which is which).
  std::vector<std::pair<std::string, Json>> pinned;
};

// The outcome of one statement.
struct Result
{
  std::vector<store::Row> rows; // the rows it returned, as JSON objects in column order
  int64_t affected = 0;         // rows inserted, changed or deleted
  std::optional<int64_t> last_insert_id; // the key an auto-increment column took, when one did
};

// A leased connection inside Engine::run(): the work's statements go through here.
class Session
{
public:
  virtual ~Session() = default;
  // Prepares `text` (dialect placeholders), binds `params` (never spliced into the text) and runs
  // it. Throws StoreError, mapped with scope(), for a failure of the statement.
  virtual Result execute(const std::string& text, const std::vector<Json>& params) = 0;
  // Runs trusted SQL text of several statements without parameters (scripts, catalog queries).
  virtual void execute_script(const std::string& text) = 0;
  // What errors of the following statements are explained with; the work may change it.
  virtual ErrorScope& scope() = 0;
};

enum class Access { read, write };

// One database engine. Every method is thread-safe.
class Engine
{
public:
  virtual ~Engine() = default;

  // "mysql", … as Store::backend() reports it.
  virtual std::string name() const = 0;
  virtual const store::sql::Dialect& dialect() const = 0;

  // Runs `work` on a pooled connection: for Access::write in a transaction (READ ONLY when the
  // store is read-only) committed when `work` returns and rolled back when it throws; for
  // Access::read in autocommit. Cancelling `ctx` interrupts the running statement from another
  // connection and throws Cancelled. Driver errors become StoreErrors explained with `scope`; a
  // connection found broken is replaced and the call retried once when that cannot do anything
  // twice (reads, or writes before their first statement completed).
  virtual void run(CallContext& ctx, Access access, const ErrorScope& scope,
                   const std::function<void(Session&)>& work) = 0;
  // Runs `text` in autocommit outside any transaction (maintenance, scripts with DDL).
  virtual void run_outside_transaction(CallContext& ctx, const std::string& text) = 0;

  // The tables `visibility` lets through, with columns, keys, indexes, foreign keys both ways,
  // checks, full-text indexes and row estimates.
  virtual Catalog load_catalog(Session& session, const store::Visibility& visibility) = 0;

  // `value` as bound for `column`: blobs' base64 text as Json binary, JSON documents as their
  // text, booleans as the engine stores them. Throws invalid_argument naming the column when the
  // value cannot be stored there (not base64, a NUL where text cannot hold one).
  virtual Json encode(const store::Column& column, const Json& value) const = 0;

  // `where` with its values encoded as encode() does for their columns, or nullopt when they bind
  // as given (the default).
  virtual std::optional<store::Filter> encode_filter(const store::TableInfo& /*table*/,
                                                     const store::Filter& /*where*/) const
  {
    return std::nullopt;
  }

  // What ranks a full-text `search` of `table` (Store::fulltext_config): "" when the engine names
  // nothing. `session` is given only when `search.language` is set, to look the language up; an
  // engine answers from `catalog` otherwise, without a round trip. Throws invalid_argument for a
  // language the engine does not have (by default: any language).
  virtual std::string text_search_config(Session* /*session*/, const Catalog& /*catalog*/,
                                         const store::TableInfo& /*table*/, const store::TextSearch& search)
  {
    if (search.language) {
      throw store::invalid_argument("'language' is not available on this database: its full-text index decides");
    }
    return {};
  }

  // The ranked full-text SELECT (rows carry "_rank") or COUNT for `query`, over the engine's index
  // `index` (Catalog::fulltext; null when the table has none) with `config` from
  // text_search_config(), or nullopt to let SqlStore serve the search with a contains match.
  virtual std::optional<store::sql::Statement> fulltext_select(const store::TableInfo& table,
                                                               const std::vector<std::string>* index,
                                                               const store::Select& query,
                                                               const std::string& config) const = 0;
  virtual std::optional<store::sql::Statement> fulltext_count(const store::TableInfo& table,
                                                              const std::vector<std::string>* index,
                                                              const store::Filter& where,
                                                              const store::TextSearch& search,
                                                              const std::string& config) const = 0;

  // The engine's own bulk path for `batch` (PostgreSQL's COPY) within `session`'s transaction, or
  // nullopt to let SqlStore insert with multi-row prepared INSERTs. Same contract as
  // Store::insert_many.
  // The statement text the audit trail records for bulk_insert() into `table` (placeholders only).
  virtual std::string bulk_insert_text(const store::TableInfo& /*table*/) const { return {}; }
  virtual std::optional<store::BatchResult> bulk_insert(Session& /*session*/, const store::TableInfo& /*table*/,
                                                        const store::BatchInsert& /*batch*/, CallContext& /*ctx*/)
  {
    return std::nullopt;
  }

  // Engine version, database, settings and per-table statistics (without the pool).
  virtual Json diagnostics(Session& session, const Catalog& catalog) = 0;
  virtual Json pool_statistics() const = 0;
  // The statement for `operation` on the quoted `table`, or on the whole database when it is "".
  virtual std::string maintenance_statement(store::Maintenance operation, const std::string& table,
                                            const Catalog& catalog) const = 0;
};

} // namespace dbmcp::backends::sql
