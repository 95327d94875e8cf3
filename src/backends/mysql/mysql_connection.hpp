#pragma once

#include "backends/mysql/mysql_statement_cache.hpp"
#include "backends/sql/engine.hpp"

#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

struct st_mysql;

// One connection to a MySQL or MariaDB server through MariaDB Connector/C.
namespace dbmcp::backends::mysql {

// Where and how to connect, from a mysql:// or mariadb:// URL (mysql_url.hpp).
struct ConnectParams
{
  std::string host = "localhost";
  unsigned port = 3306;
  std::string user;
  std::string password;
  std::string database;
  std::string ssl_mode; // "", disabled, preferred, required, verify_ca, verify_identity
  std::string ssl_ca;   // the CA file the server's certificate is checked against
  std::string ssl_cert; // the client certificate file; given with ssl_key or not at all
  std::string ssl_key;  // the client certificate's private key file
  std::chrono::milliseconds statement_timeout{0};
  bool read_only = false;
};

// A failure reported by the client library or the server: its error number, SQLSTATE and
// message. `broken` when the connection cannot be used any more (lost, gone, killed).
class MysqlError : public std::runtime_error
{
public:
  MysqlError(unsigned number, std::string sqlstate, const std::string& message, bool broken)
    : std::runtime_error(message), m_number(number), m_sqlstate(std::move(sqlstate)), m_broken(broken)
  {
  }
  unsigned number() const { return m_number; }
  const std::string& sqlstate() const { return m_sqlstate; }
  bool broken() const { return m_broken; }

private:
  unsigned m_number;
  std::string m_sqlstate;
  bool m_broken;
};

class Connection
{
public:
  // Connects with utf8mb4, a strict sql_mode with NO_BACKSLASH_ESCAPES (so that '\' in the SQL
  // text is one character on every engine), the statement timeout and read-only sessions as
  // `params` ask. Throws MysqlError.
  explicit Connection(const ConnectParams& params);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `text` as a server-side prepared statement, prepared on its first use on this
  // connection and kept in its statement cache, with `params` bound (MYSQL_BIND, never spliced);
  // returns its rows, affected rows and generated key. A statement that failed is closed (the
  // next use prepares it again); one made stale by a table changed under it (ER_NEED_REPREPARE,
  // CR_NEW_STMT_METADATA, or its result's columns renamed at an unchanged count) is prepared again
  // and run once more, which never runs a write twice (none of these follows a done write: only
  // SELECTs return columns on MySQL, which has no RETURNING). When the
  // server refuses a new statement (its max_prepared_stmt_count, shared by every client, is
  // reached), this connection's kept statements are closed and the prepare tried once more.
  // Throws MysqlError.
  sql::Result execute(const std::string& text, const std::vector<Json>& params);
  // Statements with more parameters than this are closed after their run rather than kept: their
  // bindings weigh megabytes on both sides. The SQL core's multi-row INSERTs bind no more
  // (sql/batch_insert.cpp, k_max_statement_params), so that a batch's are prepared once.
  static constexpr size_t k_max_kept_params = 1000;
  // At the start of a lease: closes every cached statement when `generation` (the engine's
  // schema generation, moved by each catalog reload) differs from the one they were kept under.
  void sync_statements(uint64_t generation) { m_statements.sync(generation); }
  size_t cached_statements() const { return m_statements.size(); }
  // Runs SQL text of one or more statements without parameters, draining every result.
  // `completed`, when given, receives the number of statements that finished before a failure.
  void query(const std::string& text, size_t* completed = nullptr);
  // Rows of a parameterless text query, every value as text or null (catalog queries).
  std::vector<std::vector<std::optional<std::string>>> query_rows(const std::string& text);

  // The server thread of this connection, for KILL QUERY from another one.
  unsigned long thread_id() const;
  // Whether the server answers; false marks the connection broken.
  bool ping();
  bool broken() const { return m_broken; }
  bool mariadb() const { return m_mariadb; }
  std::string server_version() const;

private:
  [[noreturn]] void fail();
  // A new statement prepared from `text`, owned by the caller. Throws MysqlError.
  st_mysql_stmt* prepare(const std::string& text);
  // Binds `params`, executes `statement` and reads its whole result. Throws MysqlError.
  sql::Result run_prepared(st_mysql_stmt* statement, const std::vector<Json>& params);
  [[noreturn]] void fail_statement(st_mysql_stmt* statement);

  st_mysql* m_mysql = nullptr;
  bool m_broken = false;
  bool m_mariadb = true;
  StatementCache m_statements; // emptied before m_mysql is closed
};

// Whether client error `number` means the connection is unusable.
bool connection_lost(unsigned number);

} // namespace dbmcp::backends::mysql
