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
Json where(const std::string& description);
Json order_by();
Json columns();
Json record(const std::string& description);
Json id();
Json key();
Json rows();
Json page();            // the output of list_records / search_records
} // namespace schema

void add_read_tools(Registry& registry, store::Store& store, const ToolOptions& options);
void add_write_tools(Registry& registry, store::Store& store, const ToolOptions& options);
void add_admin_tools(Registry& registry, store::Store& store, const ToolOptions& options);

} // namespace dbmcp::tools
