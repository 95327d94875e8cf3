#include "contract/contract_support.hpp"

#include "backends/factory.hpp"
#include "support/process.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <unistd.h>

namespace dbmcp::test {
namespace {

// The same tables on every backend, in each engine's own types; the seed rows are shared SQL.
constexpr const char* k_sqlite_schema = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  score REAL,
  status TEXT NOT NULL DEFAULT 'new'
);
CREATE TABLE posts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  author_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE TABLE tags (
  post_id INTEGER NOT NULL REFERENCES posts(id),
  tag TEXT NOT NULL,
  PRIMARY KEY (post_id, tag)
);
)sql";

constexpr const char* k_postgres_schema = R"sql(
CREATE TABLE users (
  id SERIAL PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  age INTEGER CHECK (age >= 0 AND age <= 150),
  score DOUBLE PRECISION,
  status TEXT NOT NULL DEFAULT 'new'
);
CREATE TABLE posts (
  id SERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  author_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE TABLE tags (
  post_id INTEGER NOT NULL REFERENCES posts(id),
  tag TEXT NOT NULL,
  PRIMARY KEY (post_id, tag)
);
)sql";

// MySQL/MariaDB: InnoDB, utf8mb4, foreign keys as table constraints (an inline REFERENCES on a
// column is parsed and ignored there).
constexpr const char* k_mysql_schema = R"sql(
CREATE TABLE users (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  email VARCHAR(200) NOT NULL UNIQUE,
  age INT CHECK (age >= 0 AND age <= 150),
  score DOUBLE,
  status VARCHAR(50) NOT NULL DEFAULT 'new'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE posts (
  id INT AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  author_id INT NOT NULL,
  FOREIGN KEY (author_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE INDEX idx_posts_author ON posts(author_id);
CREATE TABLE tags (
  post_id INT NOT NULL,
  tag VARCHAR(100) NOT NULL,
  PRIMARY KEY (post_id, tag),
  FOREIGN KEY (post_id) REFERENCES posts(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
)sql";

constexpr const char* k_seed_rows = R"sql(
INSERT INTO users (name, email, age, score) VALUES
  ('Ada', 'ada@example.com', 36, 9.5),
  ('Alan', 'alan@example.com', 41, NULL),
  ('Grace', 'grace@example.com', NULL, 7.25),
  ('Edsger', 'edsger@example.com', 72, 8.0);
INSERT INTO posts (title, body, author_id) VALUES
  ('Engines', 'The Analytical Engine weaves patterns', 1),
  ('Thinking machines', 'Can machines think?', 2),
  ('Bugs', 'A moth in relay 70, 100% real', 3);
INSERT INTO tags (post_id, tag) VALUES (1, 'math'), (1, 'history'), (2, 'ai');
)sql";

store::StoreOptions options_for(const std::string& url, bool read_only)
{
  store::StoreOptions options;
  options.url = url;
  options.read_only = read_only;
  options.pool_min = 1;
  options.pool_max = 4;
  return options;
}

class SqliteDatabase final : public ContractBackend::Database
{
public:
  SqliteDatabase() : m_path(temp_dir() + "/contract.db")
  {
    CallContext ctx;
    open(false)->execute_script(std::string(k_sqlite_schema) + k_seed_rows, ctx);
  }
  std::unique_ptr<store::Store> open(bool read_only) override
  {
    return backends::open_store(options_for(m_path, read_only));
  }

private:
  std::string m_path;
};

// A private PostgreSQL schema per test, selected through search_path and dropped afterwards.
class PostgresDatabase final : public ContractBackend::Database
{
public:
  PostgresDatabase() : m_admin(backends::open_store(options_for(postgres_url(), false)))
  {
    static std::atomic<int> counter{0};
    m_schema = fmt::format("contract_{}_{}", ::getpid(), counter++);
    CallContext ctx;
    m_admin->execute_script(fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0};", m_schema), ctx);
    open(false)->execute_script(std::string(k_postgres_schema) + k_seed_rows, ctx);
  }
  ~PostgresDatabase() override
  {
    try {
      CallContext ctx;
      m_admin->execute_script(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", m_schema), ctx);
    } catch (...) { // a failed clean-up must not hide the test's own outcome
    }
  }
  std::unique_ptr<store::Store> open(bool read_only) override
  {
    return backends::open_store(
        options_for(fmt::format("{}?options=-csearch_path%3D{}", postgres_url(), m_schema), read_only));
  }

private:
  std::unique_ptr<store::Store> m_admin;
  std::string m_schema;
};

// A private MySQL database per test on the server of DBMCP_TEST_MYSQL_URL, dropped afterwards.
class MysqlDatabase final : public ContractBackend::Database
{
public:
  MysqlDatabase() : m_admin(backends::open_store(options_for(mysql_url(), false)))
  {
    static std::atomic<int> counter{0};
    m_database = fmt::format("contract_{}_{}", ::getpid(), counter++);
    CallContext ctx;
    m_admin->execute_script(fmt::format("DROP DATABASE IF EXISTS {0}; CREATE DATABASE {0} CHARACTER SET utf8mb4", m_database),
                            ctx);
    open(false)->execute_script(std::string(k_mysql_schema) + k_seed_rows, ctx);
  }
  ~MysqlDatabase() override
  {
    try {
      CallContext ctx;
      m_admin->execute_script(fmt::format("DROP DATABASE IF EXISTS {}", m_database), ctx);
    } catch (...) { // a failed clean-up must not hide the test's own outcome
    }
  }
  std::unique_ptr<store::Store> open(bool read_only) override
  {
    const std::string url = mysql_url();
    return backends::open_store(options_for(url.substr(0, url.rfind('/') + 1) + m_database, read_only));
  }

private:
  std::unique_ptr<store::Store> m_admin;
  std::string m_database;
};

bool built_in(const std::string& scheme)
{
  const auto schemes = backends::supported_schemes();
  return std::find(schemes.begin(), schemes.end(), scheme) != schemes.end();
}

} // namespace

std::vector<ContractBackend> contract_backends()
{
  std::vector<ContractBackend> backends;
  if (built_in("sqlite")) {
    backends.push_back({"sqlite", [] { return std::make_unique<SqliteDatabase>(); }});
  }
  if (built_in("postgresql")) {
    backends.push_back({"postgresql", [] { return std::make_unique<PostgresDatabase>(); }});
  }
  if (built_in("mysql")) {
    backends.push_back({"mysql", [] { return std::make_unique<MysqlDatabase>(); }});
  }
  return backends;
}

void for_each_backend(const std::function<void(ContractBackend::Database&)>& body)
{
  const auto backends = contract_backends();
  REQUIRE_FALSE(backends.empty());
  for (const auto& backend : backends) {
    SUBCASE(backend.name.c_str())
    {
      auto database = backend.create();
      body(*database);
    }
  }
}

} // namespace dbmcp::test
