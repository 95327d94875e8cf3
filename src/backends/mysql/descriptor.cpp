// The MySQL/MariaDB backend describes itself (backends/info/backend_info.hpp). The engine is the
// module dbmcp-mysql.so; this description is linked in even when the engine is not built, so
// that DB_BACKEND=mysql builds a URL and the factory says plainly the engine is missing.
#include "backends/info/backend_info.hpp"

namespace dbmcp::backends::info {
namespace {

// The seed guide's example schema: users with a unique email and an age CHECK (enforced from
// MySQL 8.0.16 and MariaDB 10.2), posts with a foreign key to users and a FULLTEXT index,
// the guide's own `products` table, tasks. utf8mb4 throughout.
constexpr std::string_view k_mysql_demo_schema = R"sql(
CREATE TABLE users (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(100) NOT NULL UNIQUE,
  age INT CHECK (age >= 0 AND age <= 150),
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  INDEX idx_users_created_at (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE posts (
  id INT AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  content TEXT NOT NULL,
  author_id INT NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  INDEX idx_posts_author_id (author_id),
  FULLTEXT INDEX idx_posts_fulltext (title, content),
  FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE products (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  price DECIMAL(10,2) NOT NULL CHECK (price >= 0),
  category VARCHAR(100),
  in_stock BOOLEAN NOT NULL DEFAULT TRUE,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  INDEX idx_category (category),
  INDEX idx_price (price)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE tasks (
  id INT AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  description TEXT,
  status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_progress', 'done')),
  priority INT NOT NULL DEFAULT 1,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  INDEX idx_tasks_status (status),
  INDEX idx_tasks_priority (priority)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
)sql";

} // namespace

const BackendInfo& describe_mysql()
{
  static const BackendInfo k_info{
      .name = "mysql",
      .schemes = {"mysql", "mariadb"},
      .aliases = {"mariadb"},
      .default_port = 3306,
      // DB_PASSWORD goes into the user info: mysql://user:password@host/db.
      .password_parameter = "",
      // MySQL's --ssl-mode values; MariaDB Connector/C reads the same names.
      .ssl = {.mode = "ssl-mode",
              .modes = {"disabled", "preferred", "required", "verify_ca", "verify_identity"},
              .cert = "ssl-cert",
              .key = "ssl-key",
              .ca = "ssl-ca"},
      .demo_schema = k_mysql_demo_schema,
      .transactional_ddl = false, // each DDL statement commits implicitly
      .delivery = Delivery::module,
      .module = "mysql",
#ifdef DBMCP_HAVE_MYSQL
      .built = true,
#endif
  };
  return k_info;
}

} // namespace dbmcp::backends::info
