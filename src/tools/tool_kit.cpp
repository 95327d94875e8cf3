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
  return result; // unknown arguments are refused by Arguments, with a did-you-mean

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
  return string("Table name");
}

Json where(const std::string& description)
{
  return {{"type", "object"}, {"description", description}};
}

Json where_language()
{
  return where("Filter: {col: value} (null: IS NULL) or {col: {op: value}}, op: eq ne lt lte gt gte in not_in like "
               "ilike is_null (like: case-sensitive, ilike not; % any run, _ one char, \\ escapes). Keys are ANDed; "
               "combine with {\"or\": [{…}, …]}, {\"and\": [...]}, {\"not\": {…}}, nested at will. Every 'where' "
               "takes this.");
}

Json order_by()
{
  // A string or a list of strings: `items` applies to the list only.
  return {{"type", Json::array({"string", "array"})},
          {"items", {{"type", "string"}}},
          {"description", "\"col\", \"-col\" (descending) or a list"}};
}

Json columns()
{
  return strings("Columns to return (default all)");
}

Json strings(const std::string& description)
{
  return {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", description}};
}

Json record(const std::string& description)
{
  return {{"type", "object"}, {"description", description}};
}

Json id()
{
  return {{"type", Json::array({"string", "number"})}, {"description", "Primary key"}};
}

Json key()
{
  return {{"type", "object"}, {"description", "Composite primary key {col: value}"}};
}

Json rows()
{
  return {{"type", "array"}, {"items", {{"type", "object"}}}};
}

Json output(const Json& fields, std::vector<std::string> required)
{
  // Both kept at the call sites as the answer's shape, for the reader of the code; the listing pays
  // for neither (a model reads the answer itself, and 'required' cost ~500 bytes of every tool list).
  (void)fields;
  (void)required;
  return {{"type", "object"}};
}

Json page()
{
  return output({{"rows", "rows"},
                 {"total", "integer"},
                 {"limit", "integer"},
                 {"offset", "integer"},
                 {"has_more", "boolean"},
                 {"next_cursor", {"string", "null"}},
                 {"limit_capped", "boolean"},
                 {"truncated", "object"},
                 {"search", "object"}},
                {"rows", "limit", "offset", "has_more", "next_cursor"});
}

} // namespace schema

Registry make_database_tools(store::Store& store, const ToolOptions& options)
{
  Registry registry;
  if (store.capability() == store::Capability::key_values) {
    add_key_value_tools(registry, store, options);
    add_admin_tools(registry, store, options);
    return registry;
  }
  add_read_tools(registry, store, options);
  if (!options.read_only) {
    add_write_tools(registry, store, options);
  }
  add_admin_tools(registry, store, options);
  return registry;
}

} // namespace dbmcp::tools
