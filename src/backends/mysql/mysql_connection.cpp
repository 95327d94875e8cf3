#include "backends/mysql/mysql_connection.hpp"

#include "backends/mysql/mysql_values.hpp"
#include "backends/mysql/openssl_lean_start.hpp"

#include <errmsg.h>
#include <fmt/format.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>

namespace dbmcp::backends::mysql {
namespace {

// The sql_mode every session runs with: errors instead of silent truncation, and a backslash
// that is an ordinary character in string literals (the shared builder writes ESCAPE '\').
constexpr const char* k_sql_mode = "STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                                   "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

struct StatementCloser
{
  void operator()(MYSQL_STMT* statement) const { mysql_stmt_close(statement); }
};
using StatementPtr = std::unique_ptr<MYSQL_STMT, StatementCloser>;

struct ResultFreer
{
  void operator()(MYSQL_RES* result) const { mysql_free_result(result); }
};
using ResultPtr = std::unique_ptr<MYSQL_RES, ResultFreer>;

// The parameters' MYSQL_BINDs, pointing into `values` (which outlive the statement's execution)
// and into the storage kept here.
class ParamBinds
{
public:
  explicit ParamBinds(const std::vector<Json>& values) : m_binds(values.size())
  {
    for (size_t i = 0; i < values.size(); ++i) {
      bind(m_binds[i], values[i]);
    }
  }
  MYSQL_BIND* data() { return m_binds.data(); }

private:
  void bind(MYSQL_BIND& bind, const Json& value)
  {
    std::memset(&bind, 0, sizeof bind);
    switch (value.type()) {
    case Json::value_t::null:
    case Json::value_t::discarded: bind.buffer_type = MYSQL_TYPE_NULL; break;
    case Json::value_t::boolean:
      m_integers.push_back(value.get<bool>() ? 1 : 0);
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &m_integers.back();
      break;
    case Json::value_t::number_integer:
      m_integers.push_back(value.get<int64_t>());
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &m_integers.back();
      break;
    case Json::value_t::number_unsigned:
      m_integers.push_back(static_cast<int64_t>(value.get<uint64_t>()));
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &m_integers.back();
      bind.is_unsigned = 1;
      break;
    case Json::value_t::number_float:
      m_doubles.push_back(value.get<double>());
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &m_doubles.back();
      break;
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      bind.buffer_type = MYSQL_TYPE_STRING;
      bind.buffer = const_cast<char*>(text.data());
      bind.buffer_length = text.size();
      break;
    }
    case Json::value_t::binary: {
      const auto& bytes = value.get_binary();
      bind.buffer_type = MYSQL_TYPE_BLOB;
      bind.buffer = const_cast<uint8_t*>(bytes.data());
      bind.buffer_length = bytes.size();
      break;
    }
    case Json::value_t::object:
    case Json::value_t::array:
      m_texts.push_back(value.dump());
      bind.buffer_type = MYSQL_TYPE_STRING;
      bind.buffer = m_texts.back().data();
      bind.buffer_length = m_texts.back().size();
      break;
    }
  }

  std::vector<MYSQL_BIND> m_binds;
  std::deque<int64_t> m_integers;
  std::deque<double> m_doubles;
  std::deque<std::string> m_texts;
};

// One result column's fetch buffer: integers and doubles in binary, everything else as text.
struct ResultColumn
{
  const MYSQL_FIELD* field = nullptr;
  int64_t integer = 0;
  double real = 0;
  std::string text;
  unsigned long length = 0;
  my_bool null = 0;
  my_bool error = 0;
  enum class As { integer, real, text } as = As::text;
};

ResultColumn::As fetch_as(const MYSQL_FIELD& field)
{
  switch (field.type) {
  case MYSQL_TYPE_TINY:
  case MYSQL_TYPE_SHORT:
  case MYSQL_TYPE_INT24:
  case MYSQL_TYPE_LONG:
  case MYSQL_TYPE_LONGLONG:
  case MYSQL_TYPE_YEAR: return ResultColumn::As::integer;
  case MYSQL_TYPE_FLOAT:
  case MYSQL_TYPE_DOUBLE: return ResultColumn::As::real;
  default: return ResultColumn::As::text;
  }
}

Json column_value(const ResultColumn& column)
{
  if (column.null) {
    return nullptr;
  }
  switch (column.as) {
  case ResultColumn::As::integer:
    if (column.field->flags & UNSIGNED_FLAG) {
      return static_cast<uint64_t>(column.integer);
    }
    return column.integer;
  case ResultColumn::As::real: return column.real;
  case ResultColumn::As::text: break;
  }
  return decode_text(*column.field, std::string_view(column.text.data(), column.length));
}

// Every row of `statement`'s stored result as a JSON object; `fail` throws the statement's error.
template<typename Fail>
std::vector<store::Row> fetch_rows(MYSQL_STMT* statement, MYSQL_RES* metadata, const Fail& fail)
{
  const unsigned count = mysql_num_fields(metadata);
  const MYSQL_FIELD* fields = mysql_fetch_fields(metadata);
  std::vector<ResultColumn> columns(count);
  std::vector<MYSQL_BIND> binds(count);
  for (unsigned i = 0; i < count; ++i) {
    ResultColumn& column = columns[i];
    MYSQL_BIND& bind = binds[i];
    std::memset(&bind, 0, sizeof bind);
    column.field = &fields[i];
    column.as = fetch_as(fields[i]);
    bind.is_null = &column.null;
    bind.length = &column.length;
    bind.error = &column.error;
    if (column.as == ResultColumn::As::integer) {
      bind.buffer_type = MYSQL_TYPE_LONGLONG;
      bind.buffer = &column.integer;
      bind.is_unsigned = (fields[i].flags & UNSIGNED_FLAG) ? 1 : 0;
    } else if (column.as == ResultColumn::As::real) {
      bind.buffer_type = MYSQL_TYPE_DOUBLE;
      bind.buffer = &column.real;
    } else {
      column.text.resize(std::max<size_t>(fields[i].max_length, 64) + 1);
      bind.buffer_type = MYSQL_TYPE_STRING;
      bind.buffer = column.text.data();
      bind.buffer_length = column.text.size();
    }
  }
  if (mysql_stmt_bind_result(statement, binds.data()) != 0) {
    fail();
  }
  std::vector<store::Row> rows;
  for (;;) {
    const int status = mysql_stmt_fetch(statement);
    if (status == MYSQL_NO_DATA) {
      break;
    }
    if (status == 1) {
      fail();
    }
    if (status == MYSQL_DATA_TRUNCATED) {
      throw MysqlError(0, "HY000", "internal: a result value did not fit its measured buffer", false);
    }
    Json row = Json::object();
    for (unsigned i = 0; i < count; ++i) {
      row[fields[i].name] = column_value(columns[i]);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Whether the result `statement` has just produced names its columns otherwise than the
// statement's metadata says. Connector/C refreshes a reused statement's column types, lengths and
// flags from each execution's result, but its names only when their number changes (another
// connection dropped a column and added one, or renamed one): the result's own metadata, which
// the connection holds (sent by the server when it changed), has the names of now.
bool columns_renamed(const MYSQL_STMT* statement)
{
  const MYSQL* mysql = statement->mysql;
  if (!mysql || !mysql->fields || !statement->fields || mysql->field_count != statement->field_count) {
    return false;
  }
  for (unsigned i = 0; i < statement->field_count; ++i) {
    const char* now = mysql->fields[i].name;
    const char* prepared = statement->fields[i].name;
    if (!now || !prepared || std::strcmp(now, prepared) != 0) {
      return true;
    }
  }
  return false;
}

} // namespace

bool connection_lost(unsigned number)
{
  return number == CR_SERVER_GONE_ERROR || number == CR_SERVER_LOST || number == CR_CONNECTION_ERROR ||
         number == CR_CONN_HOST_ERROR || number == 2055 /* lost at reading */ || number == 4031 /* idle timeout */ ||
         number == 1927 /* connection killed */ || number == 1053 /* server shutdown */ || number == CR_COMMANDS_OUT_OF_SYNC;
}

Connection::Connection(const ConnectParams& params)
{
  const bool enforce_tls = !params.ssl_mode.empty() && params.ssl_mode != "disabled" && params.ssl_mode != "preferred";
  const bool tls_files = !params.ssl_ca.empty() || !params.ssl_cert.empty() || !params.ssl_key.empty();
  if (!enforce_tls && !tls_files) {
    start_openssl_without_tls_extras(); // before mysql_init(), which starts OpenSSL in full
  }
  m_mysql = mysql_init(nullptr);
  if (!m_mysql) {
    throw MysqlError(CR_OUT_OF_MEMORY, "HY000", "out of memory", true);
  }
  mysql_optionsv(m_mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  const unsigned connect_timeout = 10;
  mysql_optionsv(m_mysql, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  if (enforce_tls) {
    const my_bool enforce = 1;
    mysql_optionsv(m_mysql, MYSQL_OPT_SSL_ENFORCE, &enforce);
    const my_bool verify = params.ssl_mode == "verify_ca" || params.ssl_mode == "verify_identity";
    mysql_optionsv(m_mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (!params.ssl_ca.empty()) {
    mysql_optionsv(m_mysql, MYSQL_OPT_SSL_CA, params.ssl_ca.c_str());
  }
  if (!params.ssl_cert.empty()) {
    mysql_optionsv(m_mysql, MYSQL_OPT_SSL_CERT, params.ssl_cert.c_str());
  }
  if (!params.ssl_key.empty()) {
    mysql_optionsv(m_mysql, MYSQL_OPT_SSL_KEY, params.ssl_key.c_str());
  }
  const char* host = params.host.empty() ? nullptr : params.host.c_str();
  if (!mysql_real_connect(m_mysql, host, params.user.c_str(), params.password.c_str(),
                          params.database.empty() ? nullptr : params.database.c_str(), params.port, nullptr,
                          CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS)) {
    const MysqlError error(mysql_errno(m_mysql), mysql_sqlstate(m_mysql), mysql_error(m_mysql), true);
    mysql_close(m_mysql);
    m_mysql = nullptr;
    throw error;
  }
  m_mariadb = std::string_view(mysql_get_server_info(m_mysql)).find("MariaDB") != std::string_view::npos;
  std::string setup = fmt::format("SET SESSION sql_mode = '{}'", k_sql_mode);
  if (params.statement_timeout.count() > 0) {
    if (m_mariadb) {
      setup += fmt::format(", SESSION max_statement_time = {:.3f}", params.statement_timeout.count() / 1000.0);
    } else {
      setup += fmt::format(", SESSION max_execution_time = {}", params.statement_timeout.count());
    }
  }
  query(setup);
  if (params.read_only) {
    query("SET SESSION TRANSACTION READ ONLY");
  }
}

Connection::~Connection()
{
  m_statements.clear();
  if (m_mysql) {
    mysql_close(m_mysql);
  }
}

void Connection::fail()
{
  const unsigned number = mysql_errno(m_mysql);
  const bool lost = connection_lost(number);
  m_broken = m_broken || lost;
  throw MysqlError(number, mysql_sqlstate(m_mysql), mysql_error(m_mysql), lost);
}

sql::Result Connection::execute(const std::string& text, const std::vector<Json>& params)
{
  for (int attempt = 1;; ++attempt) {
    StatementPtr unkept; // a statement too big to keep, closed after this run
    MYSQL_STMT* statement = m_statements.find(text);
    if (!statement) {
      StatementPtr fresh;
      try {
        fresh.reset(prepare(text));
      } catch (const MysqlError& error) {
        // The server's max_prepared_stmt_count is shared by every client: give this connection's
        // statements back and prepare once more.
        if (error.number() != ER_MAX_PREPARED_STMT_COUNT_REACHED || m_statements.size() == 0) {
          throw;
        }
        m_statements.clear();
        fresh.reset(prepare(text));
      }
      if (params.size() <= k_max_kept_params) {
        m_statements.keep(text, fresh.get());
        statement = fresh.release();
      } else {
        statement = fresh.get();
        unkept = std::move(fresh);
      }
    }
    try {
      return run_prepared(statement, params);
    } catch (const MysqlError& error) {
      // Whatever state the failure left it in, the statement is not reused.
      m_statements.forget(text);
      const bool stale = error.number() == ER_NEED_REPREPARE || error.number() == CR_NEW_STMT_METADATA;
      if (!stale || attempt > 1 || m_broken) {
        throw;
      }
    }
  }
}

MYSQL_STMT* Connection::prepare(const std::string& text)
{
  StatementPtr statement(mysql_stmt_init(m_mysql));
  if (!statement) {
    fail();
  }
  if (mysql_stmt_prepare(statement.get(), text.data(), text.size()) != 0) {
    fail_statement(statement.get());
  }
  // Results are read whole into the client, which measures each column's longest value, so that
  // every fetch buffer fits its column and no value is ever truncated.
  const my_bool update_max_length = 1;
  mysql_stmt_attr_set(statement.get(), STMT_ATTR_UPDATE_MAX_LENGTH, &update_max_length);
  return statement.release();
}

void Connection::fail_statement(st_mysql_stmt* statement)
{
  const unsigned number = mysql_stmt_errno(statement);
  const bool lost = connection_lost(number);
  m_broken = m_broken || lost;
  throw MysqlError(number, mysql_stmt_sqlstate(statement), mysql_stmt_error(statement), lost);
}

sql::Result Connection::run_prepared(st_mysql_stmt* statement, const std::vector<Json>& params)
{
  if (mysql_stmt_param_count(statement) != params.size()) {
    throw MysqlError(0, "HY000",
                     fmt::format("internal: {} placeholders for {} values", mysql_stmt_param_count(statement),
                                 params.size()),
                     false);
  }
  ParamBinds binds(params);
  if (!params.empty() && mysql_stmt_bind_param(statement, binds.data()) != 0) {
    fail_statement(statement);
  }
  if (mysql_stmt_execute(statement) != 0) {
    fail_statement(statement);
  }
  if (mysql_stmt_field_count(statement) > 0 && columns_renamed(statement)) {
    // As Connector/C reports a changed number of columns (execute() prepares it again).
    throw MysqlError(CR_NEW_STMT_METADATA, "HY000", "the result's columns changed since the statement was prepared",
                     false);
  }
  sql::Result result;
  if (mysql_stmt_field_count(statement) > 0 && mysql_stmt_store_result(statement) != 0) {
    fail_statement(statement);
  }
  ResultPtr metadata(mysql_stmt_result_metadata(statement));
  if (metadata) {
    result.rows = fetch_rows(statement, metadata.get(), [&] { fail_statement(statement); });
    // The stored rows go now rather than at the statement's next execution: a cached statement
    // holds no result between calls.
    mysql_stmt_free_result(statement);
  } else {
    result.affected = static_cast<int64_t>(mysql_stmt_affected_rows(statement));
    const auto id = mysql_stmt_insert_id(statement);
    if (id > 0) {
      result.last_insert_id = static_cast<int64_t>(id);
    }
  }
  return result;
}

void Connection::query(const std::string& text, size_t* completed)
{
  size_t finished = 0;
  if (completed) {
    *completed = 0;
  }
  if (mysql_real_query(m_mysql, text.data(), text.size()) != 0) {
    fail();
  }
  for (;;) {
    ResultPtr result(mysql_store_result(m_mysql));
    if (!result && mysql_field_count(m_mysql) != 0) {
      fail();
    }
    if (completed) {
      *completed = ++finished;
    }
    const int next = mysql_next_result(m_mysql);
    if (next > 0) {
      fail();
    }
    if (next < 0) {
      break;
    }
  }
}

std::vector<std::vector<std::optional<std::string>>> Connection::query_rows(const std::string& text)
{
  if (mysql_real_query(m_mysql, text.data(), text.size()) != 0) {
    fail();
  }
  ResultPtr result(mysql_store_result(m_mysql));
  if (!result) {
    if (mysql_field_count(m_mysql) != 0) {
      fail();
    }
    return {};
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  const unsigned count = mysql_num_fields(result.get());
  while (MYSQL_ROW row = mysql_fetch_row(result.get())) {
    const unsigned long* lengths = mysql_fetch_lengths(result.get());
    auto& out = rows.emplace_back();
    for (unsigned i = 0; i < count; ++i) {
      out.push_back(row[i] ? std::optional<std::string>(std::string(row[i], lengths[i])) : std::nullopt);
    }
  }
  return rows;
}

unsigned long Connection::thread_id() const
{
  return mysql_thread_id(m_mysql);
}

bool Connection::ping()
{
  if (mysql_ping(m_mysql) != 0) {
    m_broken = true;
    return false;
  }
  return true;
}

std::string Connection::server_version() const
{
  return mysql_get_server_info(m_mysql);
}

} // namespace dbmcp::backends::mysql
