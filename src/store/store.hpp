#pragma once

#include "store/errors.hpp"
#include "store/key_values.hpp"
#include "store/query.hpp"
#include "store/schema.hpp"
#include "util/call_context.hpp"

#include <memory>
#include <string>
#include <vector>

namespace dbmcp::store {

// Bounds on one update() or remove().
struct WriteLimits
{
  bool dry_run = false;     // run the write, return its rows, then roll back: nothing is written
  int64_t max_affected = 0; // more matching rows roll back and throw too_many_rows; 0: no limit
  bool confirmed = false;   // the person confirmed max_affected rows (MCP elicitation): no narrower limit applies
};

// The one abstract database API the tools use (DESIGN.md section 2). Every method is
// thread-safe: the session calls them concurrently from its worker threads. Every table and
// column name in an argument is checked against schema() and quoted; every value is bound.
// Failures throw StoreError with a code and a one-line message; a call whose context is
// cancelled stops its statement, rolls back and throws dbmcp::Cancelled.
class Store
{
public:
  virtual ~Store() = default;

  // "sqlite", "postgresql", ...
  virtual std::string backend() const = 0;

  // What the store offers: records (the relational methods below) or key values (key_values()).
  // A key-value store answers the relational methods with invalid_argument and an empty schema.
  virtual Capability capability() const { return Capability::records; }
  // The key/value API of a Capability::key_values store; throws invalid_argument on a records store.
  virtual KeyValues& key_values() { throw invalid_argument("this database stores records, not key values"); }

  // The visible tables as last introspected (at open, and after refresh_schema()).
  virtual std::shared_ptr<const Schema> schema() const = 0;
  // Re-reads the catalog, e.g. after DDL run outside dbmcp.
  virtual void refresh_schema() = 0;

  // Rows matching `query`; an empty vector when none match.
  virtual std::vector<Row> select(const Select& query, CallContext& ctx) = 0;
  // The number of rows matching `where` (and `search` when given).
  virtual int64_t count(const std::string& table, const Filter& where, const std::optional<TextSearch>& search,
                        CallContext& ctx) = 0;
  virtual std::vector<Row> aggregate(const AggregateQuery& query, CallContext& ctx) = 0;
  // What ranks a fulltext `search` of `table`, for the answer to say (e.g. "english", the text
  // search configuration); empty when the engine names none. Throws invalid_argument for a
  // `search.language` the engine does not have, or when the engine has no language choice.
  virtual std::string fulltext_config(const std::string& table, const TextSearch& search, CallContext& ctx)
  {
    (void)table;
    (void)ctx;
    if (search.language) {
      throw invalid_argument("'language' is not available on this database: its full-text index decides");
    }
    return {};
  }

  // Inserts `values` and `related` children in one transaction; returns the stored rows.
  // Throws unique_violation, check_violation, foreign_key_violation, not_null_violation.
  virtual InsertResult insert(const std::string& table, const Row& values, const std::vector<RelatedRows>& related,
                              CallContext& ctx) = 0;
  // Inserts every row in one transaction, `batch_size` rows at a time, reporting progress after
  // each batch. All or nothing: on failure nothing is written, and the StoreError's details
  // carry {"row": <0-based index of the failing row>}.
  virtual BatchResult insert_many(const BatchInsert& batch, CallContext& ctx) = 0;
  // Sets `values` on the rows matching `where`; returns those rows as now stored (as they would
  // be, for a `limits.dry_run`). Throws too_many_rows, with nothing written, when more rows than
  // `limits.max_affected` match.
  virtual std::vector<Row> update(const std::string& table, const Filter& where, const Row& values,
                                  const WriteLimits& limits, CallContext& ctx) = 0;
  // Deletes the rows matching `where`; returns them as they were. `limits` as for update().
  virtual std::vector<Row> remove(const std::string& table, const Filter& where, const WriteLimits& limits,
                                  CallContext& ctx) = 0;

  // Engine version, connection (password redacted), per-table statistics, pool statistics.
  virtual Json diagnostics(CallContext& ctx) = 0;
  // Runs the operation on `table`, or on the whole database when `table` is empty.
  virtual Json maintenance(Maintenance operation, const std::string& table, CallContext& ctx) = 0;
  // Round-trips to the server; throws unavailable when it cannot.
  virtual void ping(CallContext& ctx) = 0;

  // Runs a trusted SQL script (several statements) in one transaction, then refreshes the
  // schema. For operators only (`dbmcp init`, tests); never reachable from a tool.
  virtual void execute_script(const std::string& sql, CallContext& ctx) = 0;
};

} // namespace dbmcp::store
