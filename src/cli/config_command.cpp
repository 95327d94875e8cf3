#include "cli/commands.hpp"
#include "cli/output.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <iostream>

namespace dbmcp::cli {
namespace {

// The policy in force as one line: its file, then each table's access and what it conceals.
std::string policy_summary(const ConnectionFlags &connection) {
  const auto policy = resolve_policy(connection);
  std::string text = fmt::format("{} (default {}", policy->source,
                                 policy::to_json(policy->default_access).dump());
  for (const auto &table : policy->tables) {
    text += fmt::format("; {}: {}", table.name,
                        policy::to_json(policy->access_of(table.name)).dump());
    if (!table.hidden_columns.empty()) {
      text += fmt::format(", hides {}", fmt::join(table.hidden_columns, ","));
    }
    for (const auto &masked : table.masked_columns) {
      text += fmt::format(", masks {} ({})", masked.column, policy::to_string(masked.mask));
    }
    if (!table.row_filter.is_null()) {
      text += fmt::format(", rows {}", table.row_filter.dump());
    }
    if (table.max_affected_rows) {
      text += fmt::format(", max {} rows a write", *table.max_affected_rows);
    }
  }
  return text + ")";
}

// The policy in force as JSON (its file and keys; the flags it stands for when it comes from
// --tables, --exclude-tables or --read-only), null when there is none.
Json policy_json(const ConnectionFlags &connection) {
  const auto policy = resolve_policy(connection);
  if (!policy) {
    return nullptr;
  }
  Json result = policy->to_json();
  // Without a policy file, the policy --tables / --exclude-tables / --read-only stand for.
  result["file"] = connection.policy.empty() ? Json(nullptr) : Json(policy->source);
  if (connection.policy.empty()) {
    result["shorthand"] = policy->source;
  }
  return result;
}


// The settings that have a default, with it, in the form `dbmcp config` shows.
const std::map<std::string, std::string> &defaults() {
  static const std::map<std::string, std::string> k_defaults = {
      {"DB_MIN_POOL_SIZE", "1"},
      {"DB_MAX_POOL_SIZE", "10"},
      {"DB_POOL_TIMEOUT", "5"},
      {"DB_STATEMENT_TIMEOUT", "0"},
      {"DB_CACHE", "none"},
      {"DB_CACHE_TTL", "300"},
      {"DB_CACHE_MAX_BYTES", "67108864"},
      {"DB_AUDIT", "none"}};
  return k_defaults;
}

// Where --max-affected-rows came from. CLI11 reads DB_MAX_AFFECTED_ROWS only when the flag is
// absent and does not say which it used: "env" whenever the variable is set.
std::string max_affected_rows_source(CLI::App &app) {
  const CLI::Option *option = app.get_option_no_throw("--max-affected-rows");
  if (!option || option->count() == 0) {
    return "default";
  }
  return std::getenv("DB_MAX_AFFECTED_ROWS") ? "env" : "flag";
}

// Every effective setting once, with its source ("flag", "env", ".env",
// "secrets", "default"): the database URL (redacted; from DATABASE_URL, the
// DB_* parts or the default path), the other DB_* settings that are set, the
// ones with defaults, then the options only flags set.
std::vector<config::Setting>
effective_settings(CLI::App &app, const GlobalFlags &flags,
                   const config::Resolved &resolved) {
  std::vector<config::Setting> settings;
  std::map<std::string, config::Setting> given;
  for (const auto &setting : resolved.settings) {
    given[setting.name] = setting;
  }
  for (const auto &name : config::setting_names()) {
    if (name == "DATABASE_URL") {
      const auto &url = given.at("url");
      settings.push_back({name, url.value, url.source});
    } else if (const auto it = given.find(name); it != given.end()) {
      settings.push_back(it->second);
    } else if (const auto fallback = defaults().find(name);
               fallback != defaults().end()) {
      settings.push_back({name, fallback->second, "default"});
    }
  }
  const auto source = [&app](const char *option) {
    const CLI::Option *given_option = app.get_option_no_throw(option);
    return given_option && given_option->count() > 0 ? "flag" : "default";
  };
  const auto list = [](const std::vector<std::string> &names) {
    return names.empty() ? std::string("(all)")
                         : fmt::format("{}", fmt::join(names, ","));
  };
  const auto &connection = flags.connection;
  settings.push_back({"--read-only", connection.read_only ? "true" : "false",
                      source("--read-only")});
  settings.push_back({"--tables", list(connection.tables), source("--tables")});
  settings.push_back({"--exclude-tables",
                      connection.exclude_tables.empty()
                          ? "(none)"
                          : list(connection.exclude_tables),
                      source("--exclude-tables")});
  const char *policy_env = std::getenv("DB_POLICY");
  settings.push_back({"--policy",
                      resolve_policy(flags.connection) ? policy_summary(flags.connection) : "(none)",
                      policy_env && connection.policy == policy_env ? "env"
                                                                   : source("--policy")});
  settings.push_back({"--key-prefix",
                      connection.key_prefix.empty() ? "(none)" : connection.key_prefix,
                      source("--key-prefix")});
  settings.push_back(
      {"--max-rows", std::to_string(flags.max_rows), source("--max-rows")});
  settings.push_back({"--workers",
                      flags.workers > 0
                          ? std::to_string(flags.workers)
                          : fmt::format("{} (the pool size)",
                                        std::max(resolved.options.pool_max, 2)),
                      source("--workers")});
  settings.push_back({"--allow-admin", flags.allow_admin ? "true" : "false",
                      source("--allow-admin")});
  settings.push_back({"--max-affected-rows",
                      flags.max_affected_rows > 0 ? std::to_string(flags.max_affected_rows)
                                                  : "0 (no limit)",
                      max_affected_rows_source(app)});
  settings.push_back(
      {"--create", connection.create ? "true" : "false", source("--create")});
  settings.push_back(
      {"--wal", connection.wal ? "true" : "false", source("--wal")});
  settings.push_back({"--max-line-bytes", std::to_string(flags.max_line_bytes),
                      source("--max-line-bytes")});
  settings.push_back({"--max-queued-bytes", std::to_string(flags.max_queued_bytes),
                      source("--max-queued-bytes")});
  settings.push_back({"--log-level", flags.log_level, source("--log-level")});
  return settings;
}

// The resolved configuration, each value with its source; passwords are
// redacted. Opens no database.
int show_config(CLI::App &app, const GlobalFlags &flags, bool as_json) {
  const config::Resolved resolved = resolve_configuration(flags.connection);
  const store::StoreOptions &options = resolved.options;
  const auto settings = effective_settings(app, flags, resolved);
  if (wants_json(as_json)) {
    Json list = Json::array();
    for (const auto &setting : settings) {
      list.push_back({{"name", setting.name},
                      {"value", setting.value},
                      {"source", setting.source}});
    }
    print_json(
        std::cout,
        {{"settings", list},
         {"effective",
          {{"url", config::redact_url(options.url)},
           {"pool_min", options.pool_min},
           {"pool_max", options.pool_max},
           {"pool_timeout_s", options.pool_timeout.count() / 1000.0},
           {"statement_timeout_s", options.statement_timeout.count() / 1000.0},
           {"read_only", flags.connection.read_only},
           {"audit", resolved.audit.empty() ? Json(nullptr) : Json(resolved.audit)},
           {"policy", policy_json(flags.connection)}}}});
    return 0;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto &setting : settings) {
    rows.push_back({setting.name, setting.value, setting.source});
  }
  print_table(std::cout, {"SETTING", "VALUE", "SOURCE"}, rows);
  return 0;
}

} // namespace

void setup_config(CLI::App &app, const GlobalFlags &flags, int &exit_code) {
  auto as_json = std::make_shared<bool>(false);
  auto *command = app.add_subcommand(
      "config", "Show every effective setting and where it came from "
                "(flag, env, .env, secrets or default)");
  command->add_flag("--json", *as_json, "Print JSON even on a terminal");
  command->callback([&app, &flags, &exit_code, as_json] {
    exit_code = show_config(app, flags, *as_json);
  });
}

} // namespace dbmcp::cli
