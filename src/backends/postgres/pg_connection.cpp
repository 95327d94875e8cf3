#include "backends/postgres/pg_connection.hpp"

#include "store/errors.hpp"
#include "util/log.hpp"

#include <fmt/format.h>
#include <pqxx/except>
#include <pqxx/nontransaction>

#include <algorithm>

namespace dbmcp::backends::postgres {
namespace {

bool has_parameter(const std::string& uri, std::string_view name)
{
  const auto query = uri.find('?');
  if (query == std::string::npos) {
    return false;
  }
  size_t start = query + 1;
  while (start < uri.size()) {
    const auto end = std::min(uri.find('&', start), uri.size());
    const std::string_view pair(uri.data() + start, end - start);
    if (pair.substr(0, pair.find('=')) == name) {
      return true;
    }
    start = end + 1;
  }
  return false;
}

// The first line of a libpq error, without the "FATAL:  " noise.
std::string first_line(std::string text)
{
  text = text.substr(0, text.find('\n'));
  for (const char* prefix : {"FATAL:  ", "ERROR:  "}) {
    if (text.rfind(prefix, 0) == 0) {
      text = text.substr(std::char_traits<char>::length(prefix));
    }
  }
  return text;
}

// Opens a connection to `uri` with the session settings of `options`. Throws unavailable.
std::unique_ptr<PgConnection> open_connection(const std::string& uri, const PoolOptions& options)
{
  try {
    auto connection = std::make_unique<PgConnection>(uri);
    // Session settings through set_variable(), so that libpqxx restores them if it ever
    // reconnects the same object.
    if (options.statement_timeout.count() > 0) {
      connection->set_variable("statement_timeout", std::to_string(options.statement_timeout.count()));
    }
    if (options.read_only) {
      connection->set_variable("default_transaction_read_only", "on");
    }
    return connection;
  } catch (const pqxx::broken_connection& e) {
    throw store::unavailable(fmt::format("cannot connect to PostgreSQL: {}", first_line(e.what())));
  } catch (const pqxx::sql_error& e) {
    throw store::unavailable(fmt::format("cannot set up the PostgreSQL connection: {}", first_line(e.what())));
  }
}

// Whether the connection answers SELECT 1.
bool answers(PgConnection& connection)
{
  try {
    pqxx::nontransaction probe(connection);
    probe.exec("SELECT 1");
    return true;
  } catch (const std::exception& e) {
    log::write(LogLevel::info, fmt::format("postgresql: a connection failed its check: {}", first_line(e.what())));
    return false;
  }
}

sql::PoolSettings settings_of(const PoolOptions& options)
{
  sql::PoolSettings settings;
  settings.min_size = options.min_size;
  settings.max_size = options.max_size;
  settings.acquire_timeout = options.acquire_timeout;
  return settings;
}

sql::PoolHooks<PgConnection> hooks_of(const PoolOptions& options)
{
  const std::string uri = ConnectionPool::effective_uri(options.uri, options.acquire_timeout);
  return {[uri, options] { return open_connection(uri, options); },
          [](PgConnection& connection) { return connection.is_open(); }, &answers};
}

} // namespace

std::string ConnectionPool::effective_uri(const std::string& uri, std::chrono::milliseconds acquire_timeout)
{
  std::string result = uri;
  const auto append = [&](std::string_view name, const std::string& value) {
    if (!has_parameter(result, name)) {
      result += fmt::format("{}{}={}", result.find('?') == std::string::npos ? '?' : '&', name, value);
    }
  };
  append("fallback_application_name", "dbmcp");
  // libpq waits forever for an unreachable host unless told otherwise.
  const auto seconds = std::max<int64_t>(2, (acquire_timeout.count() + 999) / 1000);
  append("connect_timeout", std::to_string(seconds));
  return result;
}

ConnectionPool::ConnectionPool(PoolOptions options)
  : sql::ConnectionPool<PgConnection>(settings_of(options), hooks_of(options)), m_options(std::move(options))
{
}

} // namespace dbmcp::backends::postgres
