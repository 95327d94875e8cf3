#include "cli/commands.hpp"

#include "backends/info/backend_info.hpp"
#include "config/config.hpp"
#include "util/fatal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

namespace dbmcp::cli {
namespace {

struct InitFlags
{
  bool demo = false;
  std::string schema_file;
};

std::string read_file(const std::string& path)
{
  std::ifstream in(path);
  if (!in) {
    throw Fatal(fmt::format("cannot read schema file '{}'", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string demo_script(const store::Store& store)
{
  for (const char* table : {"users", "posts", "products", "tasks"}) {
    if (store.schema()->find_table(table)) {
      throw Fatal(fmt::format("the demo tables already exist ({} is there); nothing changed", table), 1);
    }
  }
  const auto* backend = backends::info::find_by_name(store.backend());
  auto script = backend ? backends::info::demo_script(*backend) : std::nullopt;
  if (!script) {
    throw Fatal(fmt::format("init --demo has no example schema for {}", store.backend()), 1);
  }
  return *script;
}

// "--db 'FILE' " when the database came from --db (so that the hint, run as printed, reaches
// it), else "" (the environment or the default names it again). A password shows as ****.
std::string db_argument(const std::string& given)
{
  const std::string db = config::redact_url(given);
  if (db.empty()) {
    return "";
  }
  const bool plain = std::all_of(db.begin(), db.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("/._-+:~=@%,").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (plain) {
    return "--db " + db + " ";
  }
  std::string quoted = "'";
  for (char c : db) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return "--db " + quoted + "' ";
}

int init(const GlobalFlags& flags, const InitFlags& init_flags)
{
  if (init_flags.demo == !init_flags.schema_file.empty()) {
    throw Fatal("init needs exactly one of --demo or --schema FILE.sql");
  }
  auto options = resolve_store_options(flags.connection);
  options.create = true; // init makes the database it fills
  if (options.read_only) {
    throw Fatal("init writes to the database; drop --read-only");
  }
  auto store = open_store(options);
  const std::string script = init_flags.demo ? demo_script(*store) : read_file(init_flags.schema_file);
  const auto* backend = backends::info::find_by_name(store->backend());
  const bool transactional_ddl = !backend || backend->transactional_ddl;
  if (!transactional_ddl) {
    std::cerr << fmt::format("dbmcp: note: {} commits each CREATE, ALTER or DROP as it runs; if the script fails, "
                             "the statements before the failing one stay done\n",
                             store->backend());
  }
  CallContext ctx;
  try {
    store->execute_script(script, ctx);
  } catch (const store::StoreError& e) {
    throw Fatal(fmt::format("init failed{}: {}", transactional_ddl ? ", nothing changed" : "", e.what()), 1);
  }
  invalidate_result_cache(flags, options, *store);
  std::vector<std::string> tables;
  for (const auto& table : store->schema()->tables) {
    tables.push_back(table.name);
  }
  std::cerr << fmt::format("dbmcp: initialised the {} database; tables: {}\n", store->backend(),
                           fmt::join(tables, ", "));
  if (init_flags.demo) {
    std::cerr << fmt::format("dbmcp: try: dbmcp {}call list_records '{{\"table\": \"users\", \"limit\": 5}}'\n",
                             db_argument(flags.connection.db));
  }
  return 0;
}

} // namespace

void setup_init(CLI::App& app, const GlobalFlags& flags, int& exit_code)
{
  auto init_flags = std::make_shared<InitFlags>();
  auto* command = app.add_subcommand("init", "Create tables: the example schema (--demo) or your own SQL script");
  auto* demo = command->add_flag("--demo", init_flags->demo,
                                 "Create the example schema (users, posts, products, tasks) with a few rows");
  command->add_option("--schema", init_flags->schema_file, "Run this SQL script in one transaction")
      ->option_text("FILE.sql")
      ->excludes(demo);
  command->callback([&flags, &exit_code, init_flags] { exit_code = init(flags, *init_flags); });
}

} // namespace dbmcp::cli
