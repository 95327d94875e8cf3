#pragma once

#include "store/store.hpp"
#include "tools/arguments.hpp"
#include "tools/database_tools.hpp"
#include "tools/registry.hpp"

#include <memory>
#include <string>

// What the tool files (read_tools, write_tools, admin_tools) share. Internal to tools/.
namespace dbmcp::tools {

// A table named by the `table` argument, with the schema snapshot that owns it kept alive.
struct TableRef
{
  std::shared_ptr<const store::Schema> schema;
  const store::TableInfo* info = nullptr;
  const store::TableInfo& operator*() const { return *info; }
  const store::TableInfo* operator->() const { return info; }
};

// Resolves `arguments.table` against the live schema (unknown names get a did-you-mean).
TableRef require_table(store::Store& store, const Arguments& arguments);

// "users" -> "user", for messages such as "user 42 not found in users".
std::string singular(const std::string& table);

// JSON Schema building blocks for inputSchema / outputSchema.
namespace schema {
Json object(Json properties, std::vector<std::string> required = {});
Json string(const std::string& description);
Json integer(const std::string& description, int64_t minimum, std::optional<int64_t> maximum = std::nullopt);
Json boolean(const std::string& description);
Json table();
// A `where` argument whose description refers to the language; where_language() explains it (once,
// on list_records).
Json where(const std::string& description);
Json where_language();
Json order_by();
Json columns();
Json strings(const std::string& description);
Json record(const std::string& description);
Json id();
Json key();
Json rows();
// An outputSchema: an object, nothing more (it is paid in context on every conversation, and the
// model reads the answer itself); `fields` and `required` document the answer's properties, their
// JSON types ("rows": a list of objects) and which are always present, at the call site.
Json output(const Json& fields, std::vector<std::string> required);
Json page();            // the output of list_records / search_records
} // namespace schema

void add_read_tools(Registry& registry, store::Store& store, const ToolOptions& options);
void add_write_tools(Registry& registry, store::Store& store, const ToolOptions& options);
void add_admin_tools(Registry& registry, store::Store& store, const ToolOptions& options);
void add_key_value_tools(Registry& registry, store::Store& store, const ToolOptions& options);

} // namespace dbmcp::tools
