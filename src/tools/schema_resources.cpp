#include "tools/database_tools.hpp"

#include <fmt/format.h>

namespace dbmcp::tools {
namespace {

constexpr std::string_view k_prefix = "db://tables/";
constexpr std::string_view k_suffix = "/schema";
constexpr std::string_view k_template = "db://tables/{table}/schema";

// Serves each visible table's describe_table document as a resource.
class SchemaResources final : public Resources
{
public:
  explicit SchemaResources(store::Store& store) : m_store(store) {}

  std::vector<Json> list() const override
  {
    std::vector<Json> resources;
    const auto schema = m_store.schema(); // held: a concurrent refresh may free the previous one
    for (const auto& table : schema->tables) {
      resources.push_back({{"uri", uri_of(table.name)},
                           {"name", table.name},
                           {"title", fmt::format("{} schema", table.name)},
                           {"description", fmt::format("Columns, keys, indexes and relations of the {} {}", table.name,
                                                       table.is_view ? "view" : "table")},
                           {"mimeType", "application/json"}});
    }
    return resources;
  }

  std::vector<Json> templates() const override
  {
    return {{{"uriTemplate", k_template},
             {"name", "table-schema"},
             {"title", "Table schema"},
             {"description", "The schema of one table: columns, primary key, indexes, foreign keys both ways"},
             {"mimeType", "application/json"}}};
  }

  std::optional<Json> read(const std::string& uri) const override
  {
    if (!uri.starts_with(k_prefix) || !uri.ends_with(k_suffix) || uri.size() <= k_prefix.size() + k_suffix.size()) {
      return std::nullopt;
    }
    const std::string name = uri.substr(k_prefix.size(), uri.size() - k_prefix.size() - k_suffix.size());
    const auto schema = m_store.schema();
    const store::TableInfo* table = schema->find_table(name);
    if (!table) {
      return std::nullopt;
    }
    return Json::array({{{"uri", uri}, {"mimeType", "application/json"}, {"text", to_json(*table).dump()}}});
  }

  std::vector<std::string> complete(const std::string& uri_template, const std::string& argument,
                                    const std::string& prefix) const override
  {
    std::vector<std::string> values;
    if (uri_template != k_template || argument != "table") {
      return values;
    }
    const auto schema = m_store.schema(); // held: a concurrent refresh may free the previous one
    for (const auto& table : schema->tables) {
      if (table.name.starts_with(prefix)) {
        values.push_back(table.name);
      }
    }
    return values;
  }

private:
  static std::string uri_of(const std::string& table) { return fmt::format("{}{}{}", k_prefix, table, k_suffix); }

  store::Store& m_store;
};

} // namespace

std::unique_ptr<Resources> make_schema_resources(store::Store& store)
{
  return std::make_unique<SchemaResources>(store);
}

} // namespace dbmcp::tools
