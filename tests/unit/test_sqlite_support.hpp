#pragma once

// Shared by the SQLite backend tests: a demo-like database in a fresh temp directory.
#include "backends/sqlite/sqlite_store.hpp"
#include "store/errors.hpp"
#include "support/process.hpp"

#include <doctest/doctest.h>

#include <functional>

// Designated initializers in these tests leave the other members at their defaults, as intended.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace dbmcp::test {

inline constexpr const char* k_sqlite_schema = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  active BOOLEAN NOT NULL DEFAULT TRUE,
  avatar BLOB,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT title_length CHECK (length(title) < 100)
);
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE VIRTUAL TABLE posts_fts USING fts5(title, content, content='posts', content_rowid='id');
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts(rowid, title, content) VALUES (new.id, new.title, new.content);
END;
CREATE TABLE enrolments (student INTEGER NOT NULL, course TEXT NOT NULL, grade REAL, PRIMARY KEY (student, course));
CREATE VIEW adults AS SELECT id, name FROM users WHERE age >= 18;
INSERT INTO users (name, email, age) VALUES
  ('Ada', 'ada@example.com', 36), ('Alan', 'alan@example.com', 41), ('Grace', 'grace@example.com', 85),
  ('Edsger', 'edsger@example.com', 72), ('Barbara', 'barbara@example.com', NULL);
INSERT INTO posts (title, content, author_id) VALUES
  ('Analytical engines', 'The engine might compose music', 1),
  ('Machines that think', 'Can machines think? Machines compute.', 2),
  ('Relay bugs', 'A moth in relay 70', 3),
  ('Go To Statement Considered Harmful', 'The go to statement should be abolished', 4);
)sql";

inline store::StoreOptions sqlite_options(const std::string& path)
{
  store::StoreOptions options;
  options.url = "sqlite:" + path;
  options.pool_max = 4;
  return options;
}

// A fresh database file with k_sqlite_schema; returns its path.
inline std::string demo_sqlite_file()
{
  const std::string path = temp_dir() + "/test.db";
  CallContext ctx;
  backends::sqlite::open_sqlite_store(sqlite_options(path))->execute_script(k_sqlite_schema, ctx);
  return path;
}

inline store::StoreError store_error_of(const std::function<void()>& call)
{
  try {
    call();
  } catch (const store::StoreError& e) {
    return e;
  }
  FAIL("no StoreError thrown");
  return store::StoreError(store::ErrorCode::internal, "");
}

} // namespace dbmcp::test
