#include "cli/version.hpp"

#include <fmt/format.h>

namespace dbmcp::cli {
namespace {

std::string delivery(const backends::info::BackendInfo& backend)
{
  if (!backend.built) {
    return "not built";
  }
  if (backend.delivery == backends::info::Delivery::module) {
    return fmt::format("module dbmcp-{}.so", backend.module);
  }
  return "built in";
}

std::string schemes(const backends::info::BackendInfo& backend)
{
  std::string text;
  for (const auto scheme : backend.schemes) {
    text += fmt::format("{}{}{}", text.empty() ? "" : ", ", scheme, backend.networked ? "://" : ":");
  }
  return text;
}

} // namespace

std::string version_text(const std::vector<const backends::info::BackendInfo*>& described,
                         const std::vector<backends::ModuleReport>& modules)
{
  std::string text = fmt::format("dbmcp {}\nbackends:\n", DBMCP_VERSION);
  for (const auto* backend : described) {
    text += fmt::format("  {:<12}{:<26}{}\n", backend->name, delivery(*backend), schemes(*backend));
  }
  text += "modules found:\n";
  if (modules.empty()) {
    text += "  (none)\n";
  }
  for (const auto& module : modules) {
    text += fmt::format("  {}: {}\n", module.path, module.ok ? "ok" : "refused: " + module.reason);
  }
  text.pop_back(); // CLI11 ends the line
  return text;
}

std::string version_text()
{
  return version_text(backends::info::all(), backends::find_modules());
}

} // namespace dbmcp::cli
