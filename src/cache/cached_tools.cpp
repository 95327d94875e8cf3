#include "cache/cached_tools.hpp"

#include "util/hmac.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace dbmcp::cache {
namespace {

const std::set<std::string>& cacheable_tools()
{
  static const std::set<std::string> k_names = {"get_record", "list_records", "search_records", "count_records",
                                                "aggregate_records"};
  return k_names;
}

// Tools whose answers carry a next_cursor signed with this process's key: only this process can
// continue them, so their cached answers are not shared with other processes.
bool answers_with_cursor(const std::string& tool)
{
  return tool == "list_records" || tool == "search_records";
}

// Names this process among those sharing the cache (not its key: a hash of it).
const std::string& process_tag()
{
  static const std::string k_tag = [] {
    const Sha256Digest digest = sha256(process_secret_key());
    std::string hex;
    for (size_t i = 0; i < 8; ++i) {
      hex += fmt::format("{:02x}", digest[i]);
    }
    return hex;
  }();
  return k_tag;
}

// The schema's spelling of `name`, or `name` when no table has it (the tool then fails, and
// nothing is cached).
std::string canonical(const store::Schema& schema, const std::string& name)
{
  const store::TableInfo* table = schema.find_table(name);
  return table ? table->name : name;
}

// The names in `value`: a string or a list of strings; nothing for anything else.
std::vector<std::string> names_in(const Json& value)
{
  std::vector<std::string> names;
  if (value.is_string()) {
    names.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) {
        names.push_back(item.get<std::string>());
      }
    }
  }
  return names;
}

// What a view's answer depends on besides the view: the catalog does not say which tables a view
// reads, so every write bumps this one generation and every read of a view is keyed on it. (A
// table of this name would only be invalidated more often: safe.)
constexpr const char* k_any_view = " views";

bool has_views(const store::Schema& schema)
{
  return std::any_of(schema.tables.begin(), schema.tables.end(), [](const store::TableInfo& t) { return t.is_view; });
}

// The tables a read answer depends on: its table and the related tables it includes (and
// k_any_view for a view), sorted.
std::vector<std::string> tables_read(const store::Schema& schema, const Json& arguments)
{
  std::set<std::string> tables;
  if (const auto table = arguments.find("table"); table != arguments.end() && table->is_string()) {
    tables.insert(canonical(schema, table->get<std::string>()));
  }
  if (const auto include = arguments.find("include"); include != arguments.end()) {
    for (const auto& name : names_in(*include)) {
      tables.insert(canonical(schema, name));
    }
  }
  if (std::any_of(tables.begin(), tables.end(), [&](const std::string& name) {
        const store::TableInfo* table = schema.find_table(name);
        return table && table->is_view;
      })) {
    tables.insert(k_any_view);
  }
  return {tables.begin(), tables.end()};
}

// The tables a write may change: its table and the child tables of `related`, every table that
// references them (transitively, for ON DELETE/UPDATE CASCADE and SET NULL) and the tables they
// reference; every table of the schema when the write names none (maintenance of the database);
// and k_any_view when the schema has a view.
std::vector<std::string> tables_written(const store::Schema& schema, const Json& arguments)
{
  std::set<std::string> tables;
  if (has_views(schema)) {
    tables.insert(k_any_view);
  }
  std::vector<std::string> todo;
  if (const auto table = arguments.find("table"); table != arguments.end() && table->is_string()) {
    todo.push_back(canonical(schema, table->get<std::string>()));
  } else {
    for (const auto& table : schema.tables) {
      tables.insert(table.name);
    }
    return {tables.begin(), tables.end()};
  }
  if (const auto related = arguments.find("related"); related != arguments.end() && related->is_object()) {
    for (const auto& [name, rows] : related->items()) {
      todo.push_back(canonical(schema, name));
    }
  }
  for (const auto& name : todo) {
    if (const store::TableInfo* table = schema.find_table(name)) {
      for (const auto& fk : table->foreign_keys) {
        tables.insert(fk.ref_table);
      }
    }
  }
  std::set<std::string> expanded; // a cycle of foreign keys is walked once
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    if (!expanded.insert(name).second) {
      continue;
    }
    tables.insert(name);
    if (const store::TableInfo* table = schema.find_table(name)) {
      for (const auto& fk : table->referenced_by) {
        todo.push_back(fk.table);
      }
    }
  }
  return {tables.begin(), tables.end()};
}

tools::Tool cached_read(tools::Tool tool, store::Store& store, const std::shared_ptr<ResultCache>& cache)
{
  if (tool.input_schema.contains("properties")) {
    tool.input_schema["properties"]["cache"] = {
        {"type", "boolean"},
        {"description", "false: read the database even when a recent equal answer is cached (default true)"}};
  }
  tool.run = [name = tool.name, run = tool.run, &store, cache](const Json& arguments, CallContext& ctx) {
    Json args = arguments;
    bool use_cache = true;
    if (const auto flag = args.find("cache"); flag != args.end()) {
      if (!flag->is_boolean()) {
        throw tools::ToolError("invalid_argument", "cache must be true or false");
      }
      use_cache = flag->get<bool>();
      args.erase(flag);
    }
    if (!use_cache) {
      cache->count_bypass();
      return run(args, ctx);
    }
    Json keyed = args;
    if (answers_with_cursor(name)) {
      keyed["(process)"] = process_tag();
    }
    const auto schema = store.schema();
    return cache->read(name, keyed, tables_read(*schema, args), [&] { return run(args, ctx); });
  };
  return tool;
}

tools::Tool invalidating_write(tools::Tool tool, store::Store& store, const std::shared_ptr<ResultCache>& cache)
{
  tool.run = [run = tool.run, &store, cache](const Json& arguments, CallContext& ctx) {
    if (arguments.is_object() && arguments.contains("dry_run") && arguments["dry_run"] == true) {
      return run(arguments, ctx); // rolled back: nothing to invalidate
    }
    const auto schema = store.schema();
    return cache->write(tables_written(*schema, arguments), [&] { return run(arguments, ctx); });
  };
  return tool;
}

tools::Tool reporting_diagnostics(tools::Tool tool, const std::shared_ptr<ResultCache>& cache)
{
  tool.run = [run = tool.run, cache](const Json& arguments, CallContext& ctx) {
    Json result = run(arguments, ctx);
    if (result.is_object()) {
      result["result_cache"] = cache->stats();
    }
    return result;
  };
  return tool;
}

} // namespace

tools::Registry with_result_cache(const tools::Registry& tools, store::Store& store, std::shared_ptr<ResultCache> cache)
{
  tools::Registry cached;
  for (const auto& tool : tools.tools()) {
    if (cacheable_tools().count(tool.name)) {
      cached.add(cached_read(tool, store, cache));
    } else if (!tool.read_only_hint) {
      cached.add(invalidating_write(tool, store, cache));
    } else if (tool.name == "database_diagnostics") {
      cached.add(reporting_diagnostics(tool, cache));
    } else {
      cached.add(tool);
    }
  }
  return cached;
}

} // namespace dbmcp::cache
