#include "tools/answer_budget.hpp"
#include "tools/query_parser.hpp"
#include "tools/tool_kit.hpp"

#include <fmt/format.h>

namespace dbmcp::tools {
namespace {

void refuse_view(const store::TableInfo& table)
{
  if (table.is_view) {
    throw store::invalid_argument(fmt::format("{} is a view; write to its underlying tables", table.name));
  }
}

// `related` is {"posts": [{…}, …]}: child rows inserted with the parent through a foreign key.
std::vector<store::RelatedRows> parse_related(const Json& related, const store::Schema& schema,
                                              const store::TableInfo& parent)
{
  std::vector<store::RelatedRows> result;
  for (const auto& [name, rows] : related.items()) {
    const store::TableInfo& child = schema.require_table(name);
    const bool linked = std::any_of(parent.referenced_by.begin(), parent.referenced_by.end(),
                                    [&](const store::ForeignKey& fk) { return fk.table == child.name; });
    if (!linked) {
      throw store::invalid_argument(fmt::format("{} has no foreign key to {}; 'related' takes child tables", name,
                                                parent.name));
    }
    if (!rows.is_array()) {
      throw store::invalid_argument(fmt::format("related.{} must be a list of records", name));
    }
    for (size_t i = 0; i < rows.size(); ++i) {
      check_row(rows[i], child, fmt::format("related.{}[{}]: ", name, i));
    }
    result.push_back({child.name, rows.get<std::vector<Json>>()});
  }
  return result;
}

Json insert_record(store::Store& store, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"table", "record", "related"});
  const TableRef table = require_table(store, args);
  refuse_view(*table);
  const Json& record = args.object("record", true);
  check_row(record, *table);
  const auto related = parse_related(args.object("related", false), *table.schema, *table);
  auto stored = store.insert(table->name, record, related, ctx);
  Json result{{"table", table->name}, {"record", std::move(stored.row)}};
  if (!stored.related.empty()) {
    Json children = Json::object();
    for (auto& [name, rows] : stored.related) {
      children[name] = std::move(rows);
    }
    result["related"] = std::move(children);
  }
  ctx.log(LogLevel::info, fmt::format("Inserted 1 row into {}", table->name));
  return result;
}

store::OnConflict parse_on_conflict(const std::optional<std::string>& value)
{
  if (!value || *value == "error") {
    return store::OnConflict::error;
  }
  if (*value == "ignore") {
    return store::OnConflict::ignore;
  }
  if (*value == "replace") {
    return store::OnConflict::replace;
  }
  throw store::invalid_argument(fmt::format("on_conflict must be error, ignore or replace, got '{}'", *value));
}

// check_row for row `index` of a batch: "row 3: …" with details {"row": 3}.
void check_batch_row(const Json& row, const store::TableInfo& table, size_t index)
{
  try {
    check_row(row, table);
  } catch (const store::StoreError& e) {
    throw store::StoreError(e.code(), fmt::format("row {}: {}", index, e.what()), {{"row", index}});
  }
}

// insert_records' records left in the request line (CallContext::deferred_records): each is
// parsed and checked when the store reads it, so no more than the rows in flight are ever built.
class DeferredRecordRows : public store::RowSource
{
public:
  DeferredRecordRows(const DeferredArray& records, const store::TableInfo& table)
    : m_reader(records), m_size(records.size()), m_table(table)
  {
  }
  size_t size() const override { return m_size; }
  store::Row* next() override
  {
    auto row = m_reader.next();
    if (!row) {
      return nullptr;
    }
    m_current = std::move(*row);
    check_batch_row(m_current, m_table, m_index++);
    return &m_current;
  }

private:
  DeferredArray::Reader m_reader;
  size_t m_size;
  const store::TableInfo& m_table;
  size_t m_index = 0;
  store::Row m_current;
};

Json insert_records(store::Store& store, const ToolOptions& options, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"table", "records", "batch_size", "on_conflict"});
  const TableRef table = require_table(store, args);
  refuse_view(*table);
  const Json* records = args.get("records");
  if (!records || !records->is_array()) {
    throw store::invalid_argument("'records' must be a list of records");
  }
  const auto& deferred = ctx.deferred_records(); // then records is [] in its place
  const size_t count = deferred ? deferred->size() : records->size();
  if (static_cast<int64_t>(count) > options.max_batch_rows) {
    throw store::invalid_argument(fmt::format("{} records is more than the {} one call accepts; split the batch",
                                              count, options.max_batch_rows));
  }
  const Json::array_t& rows = records->get_ref<const Json::array_t&>();
  std::optional<DeferredRecordRows> streamed;
  if (deferred) {
    streamed.emplace(*deferred, *table);
  } else {
    for (size_t i = 0; i < rows.size(); ++i) {
      check_batch_row(rows[i], *table, i);
    }
  }
  const store::BatchInsert batch{.table = table->name,
                                 .rows = rows,
                                 .batch_size = args.integer("batch_size", 1000, 1, 1'000'000),
                                 .on_conflict = parse_on_conflict(args.string("on_conflict")),
                                 .source = streamed ? &*streamed : nullptr,
                                 .checked = true};
  const store::BatchResult done = store.insert_many(batch, ctx);
  ctx.log(LogLevel::info, fmt::format("Inserted {} rows into {} in {} batch{}", done.inserted, table->name,
                                      done.batches, done.batches == 1 ? "" : "es"));
  return {{"table", table->name}, {"inserted", done.inserted}, {"skipped", done.skipped}, {"batches", done.batches}};
}

Json update_record(store::Store& store, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"table", "id", "key", "set"});
  const TableRef table = require_table(store, args);
  refuse_view(*table);
  const store::Filter key = parse_key(args.get("id"), args.get("key"), *table);
  const Json& values = args.object("set", true);
  if (values.empty()) {
    throw store::invalid_argument("'set' must name at least one column to change");
  }
  check_row(values, *table);
  auto rows = store.update(table->name, key, values, {}, ctx);
  if (rows.empty()) {
    throw store::not_found(fmt::format("{} {} not found in {}", singular(table->name), describe_key(key), table->name));
  }
  return {{"table", table->name}, {"record", std::move(rows.front())}};
}

// The limits of update_records/delete_records: --max-affected-rows and the call's `dry_run`.
store::WriteLimits write_limits(const Arguments& args, const ToolOptions& options)
{
  return {.dry_run = args.boolean("dry_run", false), .max_affected = options.max_affected_rows};
}

// `count` with a comma between groups of three digits: 2,345.
std::string grouped(int64_t count)
{
  std::string digits = std::to_string(count < 0 ? -count : count);
  for (auto at = static_cast<ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
    digits.insert(static_cast<size_t>(at), ",");
  }
  return count < 0 ? "-" + digits : digits;
}

// Runs `write(limits)`. When it matches more rows than `limits.max_affected` (the store has then
// rolled back and thrown too_many_rows, so no transaction stays open) and the client can ask the
// person (ctx.can_confirm(); never for a dry run), asks "… would change N rows … Apply?": on
// accept, runs `write` again with the limit raised to exactly the count confirmed, so a write
// that by then matches more is refused as before; on any other answer, throws too_many_rows
// saying so, with nothing written. Without a way to ask, too_many_rows propagates unchanged.
template<typename Write>
std::vector<store::Row> confirmed_write(CallContext& ctx, const store::WriteLimits& limits, std::string_view tool,
                                        const std::string& table, Write&& write)
{
  int64_t rows = 0;
  int64_t limit = limits.max_affected;
  try {
    return write(limits);
  } catch (const store::StoreError& e) {
    if (e.code() != store::ErrorCode::too_many_rows || limits.dry_run || !ctx.can_confirm()) {
      throw;
    }
    rows = e.details().value("rows", int64_t{0});
    limit = e.details().value("limit", limit); // the access policy's own limit for the table, if it set one
  }
  const std::string asked =
      fmt::format("{} would change {} rows of '{}' (limit {})", tool, grouped(rows), table, grouped(limit));
  const ConfirmAnswer answer = ctx.confirm({.message = asked + ". Apply?", .rows = rows});
  switch (answer.action) {
  case ConfirmAnswer::Action::accept: {
    store::WriteLimits confirmed = limits;
    confirmed.max_affected = answer.rows;
    confirmed.confirmed = true;
    ctx.log(LogLevel::info, fmt::format("{}: the person confirmed {} rows of {}", tool, answer.rows, table));
    return write(confirmed);
  }
  case ConfirmAnswer::Action::decline:
    throw store::too_many_rows(fmt::format("{}; the person declined: nothing was changed", asked), rows);
  case ConfirmAnswer::Action::cancel:
    throw store::too_many_rows(
        fmt::format("{}; the person dismissed the question without confirming: nothing was changed", asked), rows);
  case ConfirmAnswer::Action::unanswered:
    break;
  }
  throw store::too_many_rows(fmt::format("{}; no confirmation came ({}): nothing was changed", asked, answer.reason),
                             rows);
}

// The rows a bulk write changed (would change, for a dry run), capped at --max-rows and at the
// answer's byte budget so one call cannot flood the client; the count (`verb`) stays exact.
Json changed_rows(std::vector<store::Row> rows, const ToolOptions& options, std::string_view verb,
                  const std::string& table, bool dry_run)
{
  const int64_t count = static_cast<int64_t>(rows.size());
  if (count > options.max_rows) {
    rows.resize(static_cast<size_t>(options.max_rows));
  }
  AnswerBudget budget(options.max_answer_bytes);
  budget.spend(1024);
  const Truncation truncation = budget.fit(rows);
  const bool cut = static_cast<int64_t>(rows.size()) < count;
  Json result{{"table", table}, {std::string(verb), count}, {"rows", std::move(rows)}};
  result["rows_truncated"] = cut;
  if (dry_run) {
    result["dry_run"] = true;
    result["note"] = fmt::format("dry run: nothing was written; these {} rows would be {}", count, verb);
  }
  if (cut || !truncation.empty()) {
    Truncation note = truncation;
    note.rows_omitted = count - static_cast<int64_t>(result["rows"].size());
    Json shaped = truncation_note(note, options.max_answer_bytes,
                                  fmt::format("all {} rows were {}; read them with list_records", count, verb));
    if (truncation.empty()) {
      shaped["reason"] = fmt::format("at most {} rows are returned (--max-rows)", options.max_rows);
    }
    result["truncated"] = std::move(shaped);
  }
  return result;
}

store::Filter require_where(const Arguments& args, const store::TableInfo& table, std::string_view tool)
{
  const store::Filter where = parse_where(args.object("where", true), table);
  if (where.empty()) {
    // The message names the rule only: it must not suggest a filter that matches every row.
    throw store::invalid_argument(fmt::format("{} needs a non-empty 'where' naming the rows to change; it never "
                                              "applies to a whole table",
                                              tool));
  }
  return where;
}

Json update_records(store::Store& store, const ToolOptions& options, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"table", "where", "set", "dry_run"});
  const TableRef table = require_table(store, args);
  refuse_view(*table);
  const store::Filter where = require_where(args, *table, "update_records");
  const Json& values = args.object("set", true);
  if (values.empty()) {
    throw store::invalid_argument("'set' must name at least one column to change");
  }
  check_row(values, *table);
  const store::WriteLimits limits = write_limits(args, options);
  const std::string_view done = limits.dry_run ? "Would update" : "Updated";
  ctx.progress(0, 1, fmt::format("Updating {}", table->name));
  auto rows = confirmed_write(ctx, limits, "update_records", table->name, [&](const store::WriteLimits& bound) {
    return store.update(table->name, where, values, bound, ctx);
  });
  ctx.progress(1, 1, fmt::format("{} {} rows in {}", done, rows.size(), table->name));
  ctx.log(LogLevel::info, fmt::format("{} {} rows in {}", done, rows.size(), table->name));
  return changed_rows(std::move(rows), options, "updated", table->name, limits.dry_run);
}

Json delete_record(store::Store& store, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"table", "id", "key"});
  const TableRef table = require_table(store, args);
  refuse_view(*table);
  const store::Filter key = parse_key(args.get("id"), args.get("key"), *table);
  auto rows = store.remove(table->name, key, {}, ctx);
  if (rows.empty()) {
    throw store::not_found(fmt::format("{} {} not found in {}", singular(table->name), describe_key(key), table->name));
  }
  return {{"table", table->name}, {"deleted", std::move(rows.front())}};
}

Json delete_records(store::Store& store, const ToolOptions& options, const Json& arguments, CallContext& ctx)
{
  const Arguments args(arguments, {"table", "where", "dry_run"});
  const TableRef table = require_table(store, args);
  refuse_view(*table);
  const store::Filter where = require_where(args, *table, "delete_records");
  const store::WriteLimits limits = write_limits(args, options);
  const std::string_view done = limits.dry_run ? "Would delete" : "Deleted";
  ctx.progress(0, 1, fmt::format("Deleting from {}", table->name));
  auto rows = confirmed_write(ctx, limits, "delete_records", table->name, [&](const store::WriteLimits& bound) {
    return store.remove(table->name, where, bound, ctx);
  });
  ctx.progress(1, 1, fmt::format("{} {} rows from {}", done, rows.size(), table->name));
  ctx.log(LogLevel::info, fmt::format("{} {} rows from {}", done, rows.size(), table->name));
  return changed_rows(std::move(rows), options, "deleted", table->name, limits.dry_run);
}

using namespace schema;

Json dry_run()
{
  return boolean("Count and sample the rows, then roll back: nothing written");
}

Json bulk_output(std::string_view verb)
{
  return output({{"table", "string"}, {std::string(verb), "integer"}, {"rows", "rows"}, {"rows_truncated", "boolean"},
                 {"truncated", "object"}, {"dry_run", "boolean"}, {"note", "string"}},
                {"table", std::string(verb), "rows"});
}

} // namespace

void add_write_tools(Registry& registry, store::Store& store, const ToolOptions& options)
{
  const Json record_output = output({{"table", "string"}, {"record", "object"}, {"related", "object"}},
                                    {"table", "record"});
  const std::string blob_note = "; BLOBs as {\"$base64\": \"…\"}";
  if (options.insert) {
  registry.add({"insert_record", "Insert a record",
                "Insert one row, and related child rows in the same transaction; returns it as stored.",
                object({{"table", table()}, {"record", record("Column values" + blob_note)},
                        {"related", record("{child_table: [rows]}, foreign key filled in")}},
                       {"table", "record"}),
                record_output, false, false, false,
                [&store](const Json& a, CallContext& ctx) { return insert_record(store, a, ctx); }});
  registry.add({"insert_records", "Insert many records",
                "Insert rows in one all-or-nothing transaction, in batches with progress; an error names the row.",
                object({{"table", table()},
                        {"records", {{"type", "array"}, {"items", {{"type", "object"}}},
                                     {"description", fmt::format("Rows to insert (at most {})", options.max_batch_rows)}}},
                        {"batch_size", integer("Rows per batch (default 1000)", 1, 1'000'000)},
                        {"on_conflict", {{"enum", {"error", "ignore", "replace"}},
                                         {"description",
                                          "On duplicate key: error (default), ignore (skip row) or replace (update the "
                                          "given columns of the row with that primary key, else unique key)"}}}},
                       {"table", "records"}),
                output({{"table", "string"}, {"inserted", "integer"}, {"skipped", "integer"}, {"batches", "integer"}},
                       {"table", "inserted", "skipped", "batches"}),
                false, false, false,
                [&store, options](const Json& a, CallContext& ctx) { return insert_records(store, options, a, ctx); }});
  }
  if (options.update) {
  registry.add({"update_record", "Update a record", "Set columns of one row by id/key; returns it.",
                object({{"table", table()}, {"id", id()}, {"key", key()}, {"set", record("Columns to change")}},
                       {"table", "set"}),
                record_output, false, false, true,
                [&store](const Json& a, CallContext& ctx) { return update_record(store, a, ctx); }});
  registry.add({"update_records", "Update records",
                "Set columns of every row matching where; returns them. dry_run previews.",
                object({{"table", table()}, {"where", where("As in list_records")},
                        {"set", record("Columns to change")}, {"dry_run", dry_run()}},
                       {"table", "where", "set"}),
                bulk_output("updated"), false, true, true,
                [&store, options](const Json& a, CallContext& ctx) { return update_records(store, options, a, ctx); }});
  }
  if (options.remove) {
  registry.add({"delete_record", "Delete a record", "Delete one row by id/key; returns it.",
                object({{"table", table()}, {"id", id()}, {"key", key()}}, {"table"}),
                output({{"table", "string"}, {"deleted", "object"}}, {"table", "deleted"}), false, true, true,
                [&store](const Json& a, CallContext& ctx) { return delete_record(store, a, ctx); }});
  registry.add({"delete_records", "Delete records", "Delete every row matching where; returns them. dry_run previews.",
                object({{"table", table()}, {"where", where("As in list_records")}, {"dry_run", dry_run()}},
                       {"table", "where"}),
                bulk_output("deleted"), false, true, true,
                [&store, options](const Json& a, CallContext& ctx) { return delete_records(store, options, a, ctx); }});
  }
}

} // namespace dbmcp::tools
