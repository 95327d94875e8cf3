#pragma once

#include "store/schema.hpp"
#include "util/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The access policy (--policy FILE, DB_POLICY): per table, which operations the tools may run,
// which columns are hidden or masked, a row filter ANDed into every read and write, and a bound on
// the rows one write may change. Applied below the tools (policy_store.hpp), so nothing leaks.
namespace dbmcp::policy {

// What a tool may do with a table. A table none of whose operations is allowed is hidden: it is
// removed from the catalog, as an unknown table.
struct Access
{
  bool read = false;
  bool insert = false;
  bool update = false;
  bool remove = false;

  static Access hidden() { return {}; }
  static Access read_only() { return {.read = true}; }
  static Access read_write() { return {.read = true, .insert = true, .update = true, .remove = true}; }
  bool is_hidden() const { return !read && !insert && !update && !remove; }
  bool writes() const { return insert || update || remove; }
  bool operator==(const Access&) const = default;
};

// "read", "write", "hidden", or the list of operations, e.g. ["read", "insert"].
Json to_json(const Access& access);

// How a masked column's values are shown (masking.hpp).
enum class Mask { email, fixed, hash };

std::string_view to_string(Mask mask);

struct MaskedColumn
{
  std::string column;
  Mask mask = Mask::fixed;
};

struct TablePolicy
{
  std::string name;
  std::optional<Access> access; // absent: the policy's default_access
  std::vector<std::string> hidden_columns;
  std::vector<MaskedColumn> masked_columns;
  Json row_filter;                         // the `where` language; null: none
  std::optional<int64_t> max_affected_rows; // replaces --max-affected-rows for this table
};

struct Policy
{
  std::string source; // the file it was read from, for messages and `dbmcp config`
  Access default_access = Access::read_write();
  std::vector<TablePolicy> tables;
  // --read-only: every table at most read.
  bool read_only = false;

  // The entry for `table` (names compared ignoring ASCII case, as hiding too much is safe), or nullptr.
  const TablePolicy* find(std::string_view table) const;
  // What the tools may do with `table`: its entry's access, else default_access, then at most
  // read under read_only.
  Access access_of(std::string_view table) const;
  // The operations some table may get: the union of default_access and every entry's access (at
  // most read under read_only). A write tool whose operation no table allows is not offered.
  Access allowed_somewhere() const;
  // Whether `column` of `table` is hidden; its mask, when masked.
  bool hidden_column(std::string_view table, std::string_view column) const;
  std::optional<Mask> mask_of(std::string_view table, std::string_view column) const;
  // The policy as JSON (the file's keys), for `dbmcp config` and the result cache's key.
  Json to_json() const;
  // A short hash of to_json(): two processes share cached answers only when these are equal.
  std::string fingerprint() const;
};

// Table visibility for the catalog: `given` (--tables / --exclude-tables) narrowed by the
// policy's hidden tables, so a table hidden by either is hidden.
store::Visibility merged_visibility(const Policy& policy, const store::Visibility& given);

} // namespace dbmcp::policy
