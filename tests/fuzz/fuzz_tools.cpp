// libFuzzer target: the tool-argument parsers. The input is `<name>\n<JSON
// arguments>`: a read tool (list_records, search_records, count_records,
// aggregate_records, get_record, describe_table, list_tables) called through
// the registry on a small SQLite database with the where language, order_by,
// columns, cursors and aggregates; or one of the parsers called directly on the
// users table: "where", "order_by", "row", "key". A tool may fail with a tool
// error (isError), or with an exception the server
// maps to -32603; nothing may crash, and every result must print as valid JSON.
#include "backends/sqlite/sqlite_store.hpp"
#include "tools/database_tools.hpp"
#include "tools/query_parser.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

using namespace dbmcp;

namespace {

constexpr const char *k_schema = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  score REAL,
  active BOOLEAN NOT NULL DEFAULT TRUE,
  avatar BLOB
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE VIRTUAL TABLE posts_fts USING fts5(title, content='posts', content_rowid='id');
CREATE TABLE enrolments (student INTEGER NOT NULL, course TEXT NOT NULL, grade REAL, PRIMARY KEY (student, course));
CREATE TABLE notes (body TEXT);
INSERT INTO users (name, email, age, score, avatar) VALUES
  ('Ada', 'ada@example.com', 36, 1.5, x'00ff'), ('Alan', 'alan@example.com', 41, NULL, NULL),
  ('Grace', 'grace@example.com', 85, -2.25, NULL), ('Edsger', 'edsger@example.com', NULL, 0, NULL);
INSERT INTO posts (title, author_id) VALUES ('Analytical engines', 1), ('Relay bugs', 3), ('Go To', 4);
INSERT INTO posts_fts(rowid, title) SELECT id, title FROM posts;
INSERT INTO enrolments VALUES (1, 'math', 3.5), (1, 'art', NULL), (2, 'math', 2.0);
INSERT INTO notes VALUES ('one'), ('two'), (NULL);
)sql";

struct Fixture {
  Fixture() {
    log::set_stderr_level(LogLevel::critical);
    char pattern[] = "/tmp/dbmcp-fuzz-tools-XXXXXX";
    const std::string dir = ::mkdtemp(pattern);
    store::StoreOptions options;
    options.url = "sqlite:" + dir + "/fuzz.db";
    options.pool_max = 1;
    store = backends::sqlite::open_sqlite_store(options);
    CallContext ctx;
    store->execute_script(k_schema, ctx);
    store->refresh_schema();
    registry = std::make_unique<tools::Registry>(
        tools::make_database_tools(*store, {.read_only = true, .max_rows = 3}));
  }
  std::unique_ptr<store::Store> store;
  std::unique_ptr<tools::Registry> registry;
};

// Calls one parser on the users table; invalid_argument is the expected
// failure.
void parse_directly(const std::string &parser, const Json &arguments,
                    const store::TableInfo &users) {
  try {
    if (parser == "where") {
      (void)tools::parse_where(arguments, users);
    } else if (parser == "order_by") {
      (void)tools::parse_order_by(arguments, users);
    } else if (parser == "row") {
      tools::check_row(arguments, users);
    } else {
      const Json *id = arguments.is_object() && arguments.contains("id")
                           ? &arguments["id"]
                           : nullptr;
      const Json *key = arguments.is_object() && arguments.contains("key")
                            ? &arguments["key"]
                            : nullptr;
      (void)tools::describe_key(tools::parse_key(id, key, users));
    }
  } catch (const store::StoreError &) {
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const Fixture fixture;
  const std::string text(reinterpret_cast<const char *>(data), size);
  const size_t newline = text.find('\n');
  const std::string name = text.substr(0, std::min(newline, text.size()));
  const auto arguments =
      parse_json_bounded(newline == std::string::npos
                             ? std::string_view()
                             : std::string_view(text).substr(newline + 1));
  if (!arguments) {
    return 0;
  }
  if (name == "where" || name == "order_by" || name == "row" || name == "key") {
    parse_directly(name, *arguments,
                   fixture.store->schema()->require_table("users"));
    return 0;
  }
  const tools::Tool *tool = fixture.registry->find(name);
  if (!tool || !arguments->is_object()) {
    return 0;
  }
  CallContext ctx;
  tools::CallResult result;
  try {
    result = fixture.registry->call(*tool, *arguments, ctx);
  } catch (const std::exception &) {
    return 0; // the server answers these with -32603 and goes on serving
  }
  if (!parse_json_bounded(result.structured.dump(
          -1, ' ', false, Json::error_handler_t::replace))) {
    std::abort(); // every answer must print as valid JSON
  }
  return 0;
}
