#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "policy/policy_check.hpp"
#include "policy/policy_file.hpp"
#include "util/fatal.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>

namespace dbmcp::cli {
namespace {

struct PolicyCheckFlags
{
  std::string file;
  bool json = false;
};

std::string shown_list(const Json& names)
{
  std::vector<std::string> parts;
  for (const auto& name : names) {
    parts.push_back(name.get<std::string>());
  }
  return parts.empty() ? "(none)" : fmt::format("{}", fmt::join(parts, ", "));
}

void print_report(const policy::CheckReport& report, const std::string& file)
{
  for (const auto& error : report.errors) {
    std::cout << "error: " << error << '\n';
  }
  for (const auto& warning : report.warnings) {
    std::cout << "warning: " << warning << '\n';
  }
  std::cout << fmt::format("{}: {}\n", file, report.valid() ? "valid" : "invalid");
  if (!report.valid()) {
    return;
  }
  std::cout << "What the model will see:\n";
  for (const auto& table : report.tables) {
    std::vector<std::string> masked;
    for (const auto& [column, mask] : table["masked_columns"].items()) {
      masked.push_back(fmt::format("{} ({})", column, mask.get<std::string>()));
    }
    std::cout << fmt::format("  {}\n    access: {}\n    columns: {}\n    masked: {}\n    row filter: {}\n    "
                             "max affected rows: {}\n",
                             table["table"].get<std::string>(),
                             table["access"].is_string() ? table["access"].get<std::string>() : table["access"].dump(),
                             shown_list(table["columns"]), masked.empty() ? "(none)" : fmt::format("{}", fmt::join(masked, ", ")),
                             table["row_filter"].is_null() ? "(none)" : table["row_filter"].dump(),
                             table["max_affected_rows"].is_null() ? "(the global limit)"
                                                                  : table["max_affected_rows"].dump());
  }
}

// Validates the policy FILE against the live schema of the connection the flags select and prints
// what the model will see; 0 when valid, 2 when not.
int check(const GlobalFlags& flags, const PolicyCheckFlags& check_flags)
{
  std::shared_ptr<policy::Policy> loaded;
  try {
    loaded = std::make_shared<policy::Policy>(policy::load_policy_file(check_flags.file));
  } catch (const policy::PolicyError& e) {
    throw Fatal(e.what(), 2);
  }
  loaded->read_only = flags.connection.read_only;
  ConnectionFlags connection = flags.connection;
  connection.policy.clear(); // the catalog as the flags alone show it: the check applies this policy
  const auto options = resolve_store_options(connection);
  auto store = open_store(options);
  if (store->capability() != store::Capability::records) {
    throw Fatal(fmt::format("{}: --policy applies to relational databases; {} stores key values, not tables",
                            check_flags.file, store->backend()),
                2);
  }
  const policy::CheckReport report = policy::check_policy(*loaded, *store->schema());
  if (wants_json(check_flags.json)) {
    Json result = report.to_json();
    result["file"] = check_flags.file;
    print_json(std::cout, result);
  } else {
    print_report(report, check_flags.file);
  }
  return report.valid() ? 0 : 2;
}

} // namespace

void setup_policy(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto* command = app.add_subcommand("policy", "Work with access policy files (see --policy)");
  command->require_subcommand(1);
  auto check_flags = std::make_shared<PolicyCheckFlags>();
  auto* check_command = command->add_subcommand(
      "check", "Validate a policy file against the live schema and print what the model will see\n"
               "(exit 0 valid, 2 invalid)");
  check_command->add_option("file", check_flags->file, "The policy file (TOML or JSON)")->required()->option_text("FILE");
  check_command->add_flag("--json", check_flags->json, "Print JSON even on a terminal");
  check_command->callback([&flags, &exit_code, check_flags] { exit_code = check(flags, *check_flags); });
}

} // namespace dbmcp::cli
