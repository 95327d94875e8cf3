#include "policy/policy_file.hpp"

#include "util/json_parse.hpp"

#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace dbmcp::policy {
namespace {

// The key path of every TOML value ("tables.users.access") to the line it was written on.
using Lines = std::map<std::string, int64_t>;

std::string child_path(const std::string& parent, const std::string& key)
{
  return parent.empty() ? key : parent + "." + key;
}

Json to_json(const toml::node& node, const std::string& path, Lines& lines)
{
  lines.emplace(path, static_cast<int64_t>(node.source().begin.line));
  if (const auto* table = node.as_table()) {
    Json object = Json::object();
    for (const auto& [key, value] : *table) {
      const std::string name(key.str());
      object[name] = to_json(value, child_path(path, name), lines);
    }
    return object;
  }
  if (const auto* array = node.as_array()) {
    Json list = Json::array();
    for (size_t i = 0; i < array->size(); ++i) {
      list.push_back(to_json(*array->get(i), fmt::format("{}[{}]", path, i), lines));
    }
    return list;
  }
  if (const auto* text = node.as_string()) {
    return text->get();
  }
  if (const auto* integer = node.as_integer()) {
    return integer->get();
  }
  if (const auto* real = node.as_floating_point()) {
    return real->get();
  }
  if (const auto* boolean = node.as_boolean()) {
    return boolean->get();
  }
  std::ostringstream text; // dates and times: their TOML text, as the where language takes them
  if (const auto* date = node.as_date()) {
    text << *date;
  } else if (const auto* time = node.as_time()) {
    text << *time;
  } else if (const auto* date_time = node.as_date_time()) {
    text << *date_time;
  }
  return text.str();
}

// Checks the policy document `document` (either syntax, as JSON) and builds the Policy. Every
// failure names the key path; `lines` gives the line of a path in a TOML file.
class Reader
{
public:
  Reader(std::string source, const Lines* lines) : m_source(std::move(source)), m_lines(lines) {}

  Policy read(const Json& document)
  {
    if (!document.is_object()) {
      fail("", "the policy must be an object (a table of keys)");
    }
    Policy policy;
    policy.source = m_source;
    for (const auto& [key, value] : document.items()) {
      if (key == "default_access") {
        policy.default_access = access(value, key, false);
      } else if (key == "tables") {
        policy.tables = tables(value);
      } else {
        fail(key, "unknown key (the keys are default_access and tables)");
      }
    }
    return policy;
  }

private:
  [[noreturn]] void fail(const std::string& path, const std::string& message) const
  {
    std::string where = m_source + ": ";
    if (m_lines) {
      // The line of the key, or of the closest enclosing key that has one.
      for (std::string candidate = path;; candidate = candidate.substr(0, candidate.find_last_of(".["))) {
        if (const auto it = m_lines->find(candidate); it != m_lines->end() && it->second > 0) {
          where += fmt::format("line {}: ", it->second);
          break;
        }
        if (candidate.find_first_of(".[") == std::string::npos) {
          break;
        }
      }
    }
    throw PolicyError(where + (path.empty() ? "" : path + ": ") + message);
  }

  Access access(const Json& value, const std::string& path, bool lists_allowed) const
  {
    if (value.is_string()) {
      const auto text = value.get<std::string>();
      if (text == "read") {
        return Access::read_only();
      }
      if (text == "write") {
        return Access::read_write();
      }
      if (text == "hidden") {
        return Access::hidden();
      }
    } else if (value.is_array() && lists_allowed) {
      return operations(value, path);
    }
    fail(path, fmt::format("expected \"read\", \"write\", \"hidden\"{}, got {}",
                           lists_allowed ? " or a list of operations (\"read\", \"insert\", \"update\", \"delete\")"
                                         : "",
                           value.dump()));
  }

  Access operations(const Json& list, const std::string& path) const
  {
    if (list.empty()) {
      fail(path, "an empty list of operations; use \"hidden\" to hide the table");
    }
    Access access;
    std::set<std::string> seen;
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string item_path = fmt::format("{}[{}]", path, i);
      const Json& item = list[i];
      const std::string name = item.is_string() ? item.get<std::string>() : "";
      if (!seen.insert(name).second) {
        fail(item_path, fmt::format("\"{}\" is listed twice", name));
      }
      if (name == "read") {
        access.read = true;
      } else if (name == "insert") {
        access.insert = true;
      } else if (name == "update") {
        access.update = true;
      } else if (name == "delete") {
        access.remove = true;
      } else {
        fail(item_path, fmt::format("expected an operation: \"read\", \"insert\", \"update\" or \"delete\", got {}",
                                    item.dump()));
      }
    }
    return access;
  }

  std::vector<TablePolicy> tables(const Json& value) const
  {
    if (!value.is_object()) {
      fail("tables", "expected a table of tables ([tables.NAME] in TOML, an object in JSON)");
    }
    std::vector<TablePolicy> result;
    for (const auto& [name, entry] : value.items()) {
      result.push_back(table(name, entry, "tables." + name));
    }
    return result;
  }

  TablePolicy table(const std::string& name, const Json& value, const std::string& path) const
  {
    if (name.empty()) {
      fail(path, "a table name cannot be empty");
    }
    if (!value.is_object()) {
      fail(path, "expected a table of settings (access, hidden_columns, masked_columns, row_filter, "
                 "max_affected_rows)");
    }
    TablePolicy table{.name = name};
    for (const auto& [key, setting] : value.items()) {
      const std::string key_path = path + "." + key;
      if (key == "access") {
        table.access = access(setting, key_path, true);
      } else if (key == "hidden_columns") {
        table.hidden_columns = column_list(setting, key_path);
      } else if (key == "masked_columns") {
        table.masked_columns = masked_columns(setting, key_path);
      } else if (key == "row_filter") {
        if (!setting.is_object() || setting.empty()) {
          fail(key_path, "expected a non-empty filter in the where language, e.g. { tenant_id = 42 }");
        }
        table.row_filter = setting;
      } else if (key == "max_affected_rows") {
        if (!setting.is_number_integer() || setting.get<int64_t>() < 0) {
          fail(key_path, fmt::format("expected a whole number of rows, 0 or more (0: no limit), got {}",
                                     setting.dump()));
        }
        table.max_affected_rows = setting.get<int64_t>();
      } else {
        fail(key_path, "unknown key (a table takes access, hidden_columns, masked_columns, row_filter and "
                       "max_affected_rows)");
      }
    }
    for (const auto& masked : table.masked_columns) {
      if (std::find(table.hidden_columns.begin(), table.hidden_columns.end(), masked.column)
          != table.hidden_columns.end()) {
        fail(path + ".masked_columns." + masked.column, "the column is both hidden and masked; choose one");
      }
    }
    return table;
  }

  std::vector<std::string> column_list(const Json& value, const std::string& path) const
  {
    if (!value.is_array()) {
      fail(path, fmt::format("expected a list of column names, got {}", value.dump()));
    }
    std::vector<std::string> columns;
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string() || value[i].get<std::string>().empty()) {
        fail(fmt::format("{}[{}]", path, i), fmt::format("expected a column name, got {}", value[i].dump()));
      }
      columns.push_back(value[i].get<std::string>());
    }
    return columns;
  }

  std::vector<MaskedColumn> masked_columns(const Json& value, const std::string& path) const
  {
    if (!value.is_object()) {
      fail(path, "expected column = \"email\" | \"fixed\" | \"hash\" pairs, e.g. { email = \"email\" }");
    }
    std::vector<MaskedColumn> columns;
    for (const auto& [column, mask] : value.items()) {
      const std::string name = mask.is_string() ? mask.get<std::string>() : "";
      MaskedColumn masked{.column = column};
      if (name == "email") {
        masked.mask = Mask::email;
      } else if (name == "fixed") {
        masked.mask = Mask::fixed;
      } else if (name == "hash") {
        masked.mask = Mask::hash;
      } else {
        fail(path + "." + column, fmt::format("expected \"email\", \"fixed\" or \"hash\", got {}", mask.dump()));
      }
      columns.push_back(std::move(masked));
    }
    return columns;
  }

  std::string m_source;
  const Lines* m_lines;
};

std::string file_name_of(const std::string& source)
{
  const auto slash = source.find_last_of('/');
  return slash == std::string::npos ? source : source.substr(slash + 1);
}

bool ends_with(std::string_view text, std::string_view suffix)
{
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

} // namespace

FileFormat detect_format(std::string_view file_name, std::string_view text)
{
  if (ends_with(file_name, ".json")) {
    return FileFormat::json;
  }
  if (ends_with(file_name, ".toml")) {
    return FileFormat::toml;
  }
  const auto first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{' ? FileFormat::json : FileFormat::toml;
}

Policy parse_policy(std::string_view text, FileFormat format, const std::string& source)
{
  if (format == FileFormat::json) {
    std::string failure;
    const auto document = parse_json_bounded(text, &failure);
    if (!document) {
      throw PolicyError(fmt::format("{}: not valid JSON: {}", source, failure));
    }
    return Reader(source, nullptr).read(*document);
  }
  toml::table document;
  try {
    document = toml::parse(text, file_name_of(source));
  } catch (const toml::parse_error& e) {
    throw PolicyError(fmt::format("{}: line {}: not valid TOML: {}", source, e.source().begin.line, e.description()));
  }
  Lines lines;
  const Json converted = to_json(document, "", lines);
  return Reader(source, &lines).read(converted);
}

Policy load_policy_file(const std::string& path)
{
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw PolicyError(fmt::format("{}: cannot read the policy file", path));
  }
  std::ostringstream text;
  text << file.rdbuf();
  const std::string content = text.str();
  return parse_policy(content, detect_format(path, content), path);
}

} // namespace dbmcp::policy
