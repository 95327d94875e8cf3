#include "cli/demo_schema.hpp"

namespace dbmcp::cli {
namespace {

// Rows shared by every dialect.
constexpr const char* k_rows = R"sql(
INSERT INTO users (name, email, age) VALUES
  ('Ada Lovelace', 'ada@example.com', 36),
  ('Alan Turing', 'alan@example.com', 41),
  ('Grace Hopper', 'grace@example.com', 85),
  ('Edsger Dijkstra', 'edsger@example.com', 72),
  ('Barbara Liskov', 'barbara@example.com', NULL);
INSERT INTO posts (title, content, author_id) VALUES
  ('Notes on the Analytical Engine', 'The engine might compose elaborate pieces of music.', 1),
  ('Computing Machinery and Intelligence', 'I propose to consider the question: can machines think?', 2),
  ('The first bug', 'A moth was found trapped in relay 70 of the Mark II.', 3),
  ('Go To Statement Considered Harmful', 'The go to statement should be abolished from higher level languages.', 4),
  ('On the cruelty of really teaching computing science', 'Radical novelty and the teaching of programming.', 4),
  ('Data abstraction and hierarchy', 'Objects of a subtype should behave like those of the supertype.', 5);
INSERT INTO products (name, price, category, in_stock) VALUES
  ('Mechanical keyboard', 89.90, 'electronics', TRUE),
  ('Noise-cancelling headphones', 199.00, 'electronics', TRUE),
  ('Standing desk', 420.50, 'furniture', FALSE),
  ('Desk lamp', 35.25, 'furniture', TRUE),
  ('The Art of Computer Programming', 189.99, 'books', TRUE);
INSERT INTO tasks (title, description, status, priority) VALUES
  ('Write the README', 'Installation, configuration and examples', 'done', 2),
  ('Add PostgreSQL backend', 'Pool, COPY and error mapping', 'in_progress', 3),
  ('Benchmark batch inserts', NULL, 'pending', 2),
  ('Ship the Debian package', 'CPack DEB', 'pending', 1);
)sql";

constexpr const char* k_sqlite = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_users_created_at ON users(created_at);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_posts_author_id ON posts(author_id);
CREATE VIRTUAL TABLE posts_fts USING fts5(title, content, content='posts', content_rowid='id');
CREATE TRIGGER posts_fts_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts(rowid, title, content) VALUES (new.id, new.title, new.content);
END;
CREATE TRIGGER posts_fts_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, content) VALUES ('delete', old.id, old.title, old.content);
END;
CREATE TRIGGER posts_fts_update AFTER UPDATE ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, content) VALUES ('delete', old.id, old.title, old.content);
  INSERT INTO posts_fts(rowid, title, content) VALUES (new.id, new.title, new.content);
END;
CREATE TABLE products (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  price REAL NOT NULL CHECK (price >= 0),
  category TEXT,
  in_stock BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_products_category ON products(category);
CREATE INDEX idx_products_price ON products(price);
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'done')),
  priority INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_tasks_status ON tasks(status);
CREATE INDEX idx_tasks_priority ON tasks(priority);
)sql";

constexpr const char* k_postgresql = R"sql(
CREATE TABLE users (
  id SERIAL PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(100) NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_users_created_at ON users(created_at);
CREATE TABLE posts (
  id SERIAL PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  content TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_posts_author_id ON posts(author_id);
CREATE INDEX idx_posts_fulltext ON posts USING GIN (to_tsvector('english', title || ' ' || content));
CREATE TABLE products (
  id SERIAL PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  price NUMERIC(10, 2) NOT NULL CHECK (price >= 0),
  category VARCHAR(100),
  in_stock BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_products_category ON products(category);
CREATE INDEX idx_products_price ON products(price);
CREATE TABLE tasks (
  id SERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'done')),
  priority INTEGER NOT NULL DEFAULT 1,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_tasks_status ON tasks(status);
CREATE INDEX idx_tasks_priority ON tasks(priority);
)sql";

} // namespace

std::optional<std::string> demo_schema_sql(const std::string& backend)
{
  if (backend == "sqlite") {
    return std::string(k_sqlite) + k_rows;
  }
  if (backend == "postgresql") {
    return std::string(k_postgresql) + k_rows;
  }
  return std::nullopt;
}

} // namespace dbmcp::cli
