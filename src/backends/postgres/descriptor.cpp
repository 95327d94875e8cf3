// The PostgreSQL backend describes itself (backends/info/backend_info.hpp).
#include "backends/info/backend_info.hpp"

namespace dbmcp::backends::info {
namespace {

// The seed guide's example schema: users with a unique email and an age CHECK, posts with a
// foreign key to users (and a GIN full-text index), products, tasks.
constexpr std::string_view k_postgres_demo_schema = R"sql(
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

const BackendInfo& describe_postgres()
{
  static const BackendInfo k_info{
      .name = "postgresql",
      .schemes = {"postgresql", "postgres"},
      .aliases = {"postgres"},
      .default_port = 5432,
      .default_for_parts = true, // DB_HOST... meant PostgreSQL before DB_BACKEND existed
      .password_parameter = "password",
      .ssl = {.mode = "sslmode",
              .modes = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"},
              .cert = "sslcert",
              .key = "sslkey",
              .ca = "sslrootcert"},
      .demo_schema = k_postgres_demo_schema,
      .delivery = Delivery::module,
      .module = "postgres",
#ifdef DBMCP_HAVE_POSTGRES
      .built = true,
#endif
  };
  return k_info;
}

} // namespace dbmcp::backends::info
