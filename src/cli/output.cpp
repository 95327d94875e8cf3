#include "cli/output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>
#include <unistd.h>

namespace dbmcp::cli {
namespace {

std::string cell(const Json& value)
{
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return "-";
  }
  return value.dump();
}

bool is_table(const Json& value)
{
  return value.is_array() && !value.empty() &&
         std::all_of(value.begin(), value.end(), [](const Json& item) { return item.is_object(); });
}

// The scalar fields of `value` as (dotted key, text), depth first; tables are collected apart.
void flatten(const Json& value, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& fields,
             std::vector<std::pair<std::string, const Json*>>& tables)
{
  for (const auto& [key, item] : value.items()) {
    const std::string name = prefix.empty() ? key : prefix + "." + key;
    if (item.is_object()) {
      flatten(item, name, fields, tables);
    } else if (is_table(item)) {
      tables.emplace_back(name, &item);
    } else if (item.is_array()) {
      std::vector<std::string> cells;
      for (const auto& element : item) {
        cells.push_back(cell(element));
      }
      fields.emplace_back(name, fmt::format("{}", fmt::join(cells, ", ")));
    } else {
      fields.emplace_back(name, cell(item));
    }
  }
}

void print_object_table(std::ostream& out, const Json& rows)
{
  std::vector<std::string> header;
  for (const auto& row : rows) {
    for (const auto& [key, item] : row.items()) {
      if (std::find(header.begin(), header.end(), key) == header.end()) {
        header.push_back(key);
      }
    }
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (const auto& key : header) {
      line.push_back(row.contains(key) ? cell(row[key]) : "");
    }
    cells.push_back(std::move(line));
  }
  print_table(out, header, cells);
}

} // namespace

bool wants_json(bool json_flag)
{
  return json_flag || ::isatty(STDOUT_FILENO) == 0;
}

void print_json(std::ostream& out, const Json& value)
{
  out << value.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

void print_human(std::ostream& out, const Json& value)
{
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<std::pair<std::string, const Json*>> tables;
  if (!value.is_object()) {
    out << cell(value) << '\n';
    return;
  }
  flatten(value, "", fields, tables);
  size_t width = 0;
  for (const auto& [key, text] : fields) {
    width = std::max(width, key.size());
  }
  for (const auto& [key, text] : fields) {
    out << fmt::format("{:<{}}  {}\n", key, width, text);
  }
  for (const auto& [key, rows] : tables) {
    out << '\n' << key << ":\n";
    print_object_table(out, *rows);
  }
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows)
{
  std::vector<size_t> widths(header.size());
  for (size_t i = 0; i < header.size(); ++i) {
    widths[i] = header[i].size();
    for (const auto& row : rows) {
      widths[i] = std::max(widths[i], i < row.size() ? row[i].size() : 0);
    }
  }
  const auto print_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < widths.size(); ++i) {
      const std::string& text = i < cells.size() ? cells[i] : std::string();
      line += i + 1 < widths.size() ? fmt::format("{:<{}}  ", text, widths[i]) : text;
    }
    out << line << '\n';
  };
  print_line(header);
  for (const auto& row : rows) {
    print_line(row);
  }
}

} // namespace dbmcp::cli
