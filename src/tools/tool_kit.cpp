#include "tools/tool_kit.hpp"

namespace dbmcp::tools {

TableRef require_table(store::Store& store, const Arguments& arguments)
{
  TableRef ref{store.schema(), nullptr};
  ref.info = &ref.schema->require_table(arguments.required_string("table"));
  return ref;
}

std::string singular(const std::string& table)
{
  if (table.size() > 3 && table.ends_with("ies")) {
    return table.substr(0, table.size() - 3) + "y";
  }
  if (table.size() > 1 && table.ends_with('s') && !table.ends_with("ss")) {
    return table.substr(0, table.size() - 1);
  }
  return table + " row";
}

namespace schema {

Json object(Json properties, std::vector<std::string> required)
{
  Json result{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) {
    result["required"] = required;
  }
  result["additionalProperties"] = false;
  return result;
}

Json string(const std::string& description)
{
  return {{"type", "string"}, {"description", description}};
}

Json integer(const std::string& description, int64_t minimum, std::optional<int64_t> maximum)
{
  Json result{{"type", "integer"}, {"description", description}, {"minimum", minimum}};
  if (maximum) {
    result["maximum"] = *maximum;
  }
  return result;
}

Json boolean(const std::string& description)
{
  return {{"type", "boolean"}, {"description", description}};
}

Json table()
{
  return string("Table (or view) name, as list_tables shows it");
}

Json where(const std::string& description)
{
  return {{"type", "object"},
          {"description", description + " Keys are columns, ANDed; a value means equality (null: IS NULL), or an "
                                        "object of operators: eq ne lt lte gt gte in not_in like ilike is_null. "
                                        "Combine with and/or (lists of such objects) and not (one object), nested, "
                                        "e.g. {\"age\": {\"gte\": 18}, \"or\": [{\"status\": \"active\"}, "
                                        "{\"id\": {\"in\": [1, 2]}}]}. like compares case and ilike ignores it; in "
                                        "their patterns % is any run, _ one character, a backslash makes the next "
                                        "literal."},
          {"additionalProperties", true}};
}

Json order_by()
{
  return {{"description", "Sort: \"column\", \"-column\" (descending), \"column desc\", or a list of those"},
          {"anyOf", Json::array({{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
}

Json columns()
{
  return {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "Columns to return (default: all)"}};
}

Json record(const std::string& description)
{
  return {{"type", "object"}, {"description", description}, {"additionalProperties", true}};
}

Json id()
{
  return {{"description", "Primary key value (single-column keys)"},
          {"type", Json::array({"integer", "string", "number"})}};
}

Json key()
{
  return {{"type", "object"},
          {"description", "Primary key as {column: value}, for composite keys"},
          {"additionalProperties", true}};
}

Json rows()
{
  return {{"type", "array"}, {"items", {{"type", "object"}}}};
}

Json page()
{
  return object({{"rows", rows()},
                 {"total", {{"type", Json::array({"integer", "null"})}}},
                 {"limit", {{"type", "integer"}}},
                 {"offset", {{"type", "integer"}}},
                 {"has_more", {{"type", "boolean"}}},
                 {"next_cursor", {{"type", Json::array({"string", "null"})},
                                  {"description", "Pass back as 'cursor' for the next page"}}},
                 {"limit_capped", {{"type", "boolean"}}},
                 {"truncated", {{"type", "object"}}}},
                {"rows", "limit", "offset", "has_more", "next_cursor"});
}

} // namespace schema

Registry make_database_tools(store::Store& store, const ToolOptions& options)
{
  Registry registry;
  add_read_tools(registry, store, options);
  if (!options.read_only) {
    add_write_tools(registry, store, options);
  }
  add_admin_tools(registry, store, options);
  return registry;
}

} // namespace dbmcp::tools
