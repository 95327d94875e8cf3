#include "config/sources.hpp"

#include "util/fatal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace dbmcp::config {
namespace {

std::string_view trim(std::string_view text)
{
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool valid_key(std::string_view key)
{
  return !key.empty() && !std::isdigit(static_cast<unsigned char>(key.front())) &&
         std::all_of(key.begin(), key.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// The value after `=`, unquoted; nullopt when a quote is not closed.
std::optional<std::string> parse_value(std::string_view raw)
{
  raw = trim(raw);
  if (raw.empty()) {
    return std::string();
  }
  const char quote = raw.front();
  if (quote == '\'' || quote == '"') {
    std::string value;
    for (size_t i = 1; i < raw.size(); ++i) {
      const char c = raw[i];
      if (c == quote) {
        return value;
      }
      if (quote == '"' && c == '\\' && i + 1 < raw.size()) {
        const char next = raw[++i];
        value += next == 'n' ? '\n' : next;
      } else {
        value += c;
      }
    }
    return std::nullopt;
  }
  if (const auto comment = raw.find(" #"); comment != std::string_view::npos) {
    raw = trim(raw.substr(0, comment));
  }
  return std::string(raw);
}

std::string read_file(const std::string& path, const char* what)
{
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Fatal(fmt::format("cannot read {} {}", what, path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

Values parse_env_file(std::string_view text, const std::string& path)
{
  Values values;
  int line_number = 0;
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    ++line_number;
    std::string_view content = trim(line);
    if (content.empty() || content.front() == '#') {
      continue;
    }
    if (content.substr(0, 7) == "export ") {
      content = trim(content.substr(7));
    }
    const auto equals = content.find('=');
    const std::string_view key = equals == std::string_view::npos ? content : trim(content.substr(0, equals));
    const auto value = equals == std::string_view::npos ? std::nullopt : parse_value(content.substr(equals + 1));
    if (!valid_key(key) || !value) {
      throw Fatal(fmt::format("{}:{}: expected KEY=value", path, line_number));
    }
    values[std::string(key)] = *value;
  }
  return values;
}

Values read_env_file(const std::string& path)
{
  return parse_env_file(read_file(path, "the .env file"), path);
}

Values read_secrets_dir(const std::string& dir)
{
  Values values;
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return values;
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    std::string key = entry.path().filename().string();
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
    if (!valid_key(key)) {
      continue;
    }
    std::string value = read_file(entry.path().string(), "the secret file");
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) {
      value.pop_back();
    }
    values[key] = value;
  }
  return values;
}

} // namespace dbmcp::config
