#include "backends/sqlite/sqlite_connection.hpp"

#include "config/database_url.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <filesystem>

#include <sys/stat.h>

namespace dbmcp::backends::sqlite {
namespace {

bool starts_with(const std::string& text, std::string_view prefix)
{
  return text.rfind(prefix, 0) == 0;
}

// `path` with a leading ~/ replaced by $HOME (a client's JSON config passes it unexpanded),
// made absolute so that every message names the file exactly.
std::string absolute_path(std::string path)
{
  if (const char* home = std::getenv("HOME"); home && *home && (path == "~" || starts_with(path, "~/"))) {
    path = std::string(home) + path.substr(1);
  }
  std::error_code error;
  const auto absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

constexpr std::string_view k_sqlite_header{"SQLite format 3\0", 16};

// Throws unavailable unless `path` is an existing regular file that is empty (SQLite treats it as
// a new database) or starts with the SQLite header. Reads 16 bytes; never writes.
void check_is_sqlite(const std::string& path)
{
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw store::unavailable(fmt::format("{} is a directory, not a SQLite database file", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw store::unavailable(fmt::format("cannot read the database file {} (check its permissions)", path));
  }
  std::string header(k_sqlite_header.size(), '\0');
  in.read(header.data(), static_cast<std::streamsize>(header.size()));
  const auto got = static_cast<size_t>(in.gcount());
  if (got != 0 && header != k_sqlite_header) {
    throw store::unavailable(
        fmt::format("{} is not a SQLite database (it does not start with the SQLite header); refusing to open it", path));
  }
}

// True when the header of the SQLite file `path` says WAL mode (bytes 18 and 19 are 2).
bool is_wal_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  char header[20] = {};
  in.read(header, sizeof header);
  return in.gcount() == sizeof header && header[18] == 2 && header[19] == 2;
}

// The SQLite URI that opens `path` immutable and read-only: SQLite then reads the main file
// alone, with no -shm or -wal and no locks. '%', '?' and '#' in the path are escaped.
std::string immutable_uri(const std::string& path)
{
  std::string uri = "file:";
  for (char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      uri += c;
    }
  }
  return uri + "?mode=ro&immutable=1";
}

// Throws unavailable, naming the absolute path, when the file is missing and may not be
// created, or when its directory is missing.
void check_missing(const std::string& path, const store::StoreOptions& options)
{
  const auto dir = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!dir.empty() && !std::filesystem::is_directory(dir, error)) {
    throw store::unavailable(
        fmt::format("cannot open the database file {}: the directory {} does not exist", path, dir.string()));
  }
  if (options.read_only) {
    throw store::unavailable(
        fmt::format("the database file {} does not exist (opened read-only, so it is not created)", path));
  }
  if (!options.create) {
    throw store::unavailable(fmt::format("the database file {} does not exist; check the path, or pass --create "
                                         "(or run dbmcp init) to create a new database there",
                                         path));
  }
}

} // namespace

Target parse_url(const std::string& url)
{
  std::string path;
  try {
    path = config::parse_database_url(url).sqlite_path;
  } catch (const config::UrlError& e) {
    throw store::invalid_argument(e.what());
  }
  if (path.empty()) {
    throw store::invalid_argument(fmt::format("the SQLite URL '{}' names no file; use sqlite:///abs/path.db, "
                                              "sqlite:rel.db or sqlite::memory:",
                                              url));
  }
  if (path == ":memory:") {
    return {path, true};
  }
  return {absolute_path(path), false};
}

Connections::Connections(Target target, const store::StoreOptions& options)
  : m_target(std::move(target)), m_options(options)
{
  if (!m_target.memory) {
    std::error_code error;
    if (std::filesystem::exists(m_target.path, error)) {
      check_is_sqlite(m_target.path);
    } else {
      check_missing(m_target.path, m_options);
      m_created = true;
    }
  }
  if (m_target.memory || !m_options.read_only) {
    m_writer = make_pool(true, 1, 1);
  }
  if (!m_target.memory) {
    // Open a reader now, so that an unreadable file fails here rather than on first use.
    const int readers = std::max(1, m_options.pool_max - 1);
    m_readers = make_pool(false, std::clamp(m_options.pool_min, 1, readers), readers);
  }
  m_started = true;
  if (struct stat info{}; !m_target.memory && ::stat(m_target.path.c_str(), &info) == 0) {
    m_identity.emplace(info.st_dev, info.st_ino);
  }
}

std::unique_ptr<Connections::Pool> Connections::make_pool(bool writer, int min_size, int max_size)
{
  sql::PoolSettings settings;
  settings.what = writer ? "SQLite writer connection" : "SQLite reader connection";
  settings.min_size = min_size;
  settings.max_size = max_size;
  settings.acquire_timeout = m_options.pool_timeout;
  sql::PoolHooks<Connection> hooks;
  // A local file needs no check before reuse: nothing on the other side restarts.
  hooks.open = [this, writer] { return writer || m_started ? open(writer) : open_first_reader(); };
  return std::make_unique<Pool>(std::move(settings), std::move(hooks));
}

void Connections::check_file_still_there() const
{
  if (!m_identity) {
    return;
  }
  struct stat info{};
  if (::stat(m_target.path.c_str(), &info) != 0 || info.st_dev != m_identity->first || info.st_ino != m_identity->second) {
    throw store::unavailable(fmt::format("the database file {} was deleted or replaced after dbmcp opened it; writes "
                                         "are refused, since they would be lost. Restart dbmcp to open the file now "
                                         "at that path",
                                         m_target.path));
  }
}

bool Connections::open_immutable_instead(const SQLite::Exception& failure)
{
  const int code = failure.getErrorCode() & 0xff;
  if (!m_options.read_only || m_target.memory || (code != SQLITE_READONLY && code != SQLITE_CANTOPEN)
      || !is_wal_file(m_target.path)) {
    return false;
  }
  m_immutable = true;
  std::error_code error;
  const bool pending_wal = std::filesystem::file_size(m_target.path + "-wal", error) > 0 && !error;
  log::write(LogLevel::warning,
             fmt::format("sqlite: {} is in WAL mode and its directory is not writable, so SQLite cannot create its "
                         "-shm/-wal files; opened immutable instead: changes made by other processes while dbmcp "
                         "runs will not be seen{}",
                         m_target.path,
                         pending_wal ? ", nor will the transactions still in its -wal file (checkpoint it, or make "
                                       "the directory writable)"
                                     : ""));
  return true;
}

std::unique_ptr<Connection> Connections::open(bool writer) const
{
  try {
    return open_unchecked(writer);
  } catch (const SQLite::Exception& e) {
    throw store::unavailable(fmt::format("cannot open SQLite database '{}': {}", m_target.path, e.getErrorStr()));
  }
}

std::unique_ptr<Connection> Connections::open_first_reader()
{
  try {
    std::unique_ptr<Connection> reader;
    try {
      reader = open_unchecked(false);
      reader->exec("SELECT count(*) FROM sqlite_schema");
    } catch (const SQLite::Exception& e) {
      if (!open_immutable_instead(e)) {
        throw;
      }
      reader = open_unchecked(false);
      reader->exec("SELECT count(*) FROM sqlite_schema");
    }
    return reader;
  } catch (const SQLite::Exception& e) {
    throw store::unavailable(fmt::format("cannot open SQLite database '{}': {}", m_target.path, e.getErrorStr()));
  }
}

std::unique_ptr<Connection> Connections::open_unchecked(bool writer) const
{
  // SQLITE_OPEN_NOMUTEX: a connection is used by one thread at a time, the one holding its pool
  // lease, so SQLite's per-connection mutex (taken by every sqlite3_step, bind and column call)
  // is not needed. The one call from another thread, sqlite3_interrupt of a cancellation, takes
  // no mutex and is safe while the connection is open (CallGuard unregisters it before the
  // lease ends). Shared-cache and process-wide state keep SQLite's own mutexes.
  if (m_immutable) {
    auto db = std::make_unique<Connection>(immutable_uri(m_target.path),
                                           SQLite::OPEN_READONLY | SQLite::OPEN_URI | SQLite::OPEN_NOMUTEX, 0,
                                           m_schema_generation);
    sqlite3_extended_result_codes(db->getHandle(), 1);
    return db;
  }
  int flags = SQLite::OPEN_NOMUTEX;
  if (m_target.memory || (writer && !m_options.read_only)) {
    flags |= SQLite::OPEN_READWRITE | (m_options.create || m_target.memory ? SQLite::OPEN_CREATE : 0);
  } else {
    flags |= SQLite::OPEN_READONLY;
  }
  const int busy_ms = static_cast<int>(std::max<int64_t>(m_options.pool_timeout.count(), 1000));
  auto db = std::make_unique<Connection>(m_target.path, flags, busy_ms, m_schema_generation);
  sqlite3_extended_result_codes(db->getHandle(), 1);
  db->exec("PRAGMA foreign_keys = ON");
  if (writer && !m_target.memory && !m_options.read_only) {
    // WAL persists in the file: only for a file created here, or when asked (--wal).
    if (m_created || m_options.wal) {
      db->exec("PRAGMA journal_mode = WAL");
      db->exec("PRAGMA synchronous = NORMAL");
    }
  }
  return db;
}

Connections::Lease Connections::writer()
{
  if (!m_writer) {
    throw store::read_only("writes are refused: the database is open read-only (--read-only)");
  }
  check_file_still_there();
  return m_writer->acquire();
}

Connections::Lease Connections::reader()
{
  return m_readers ? m_readers->acquire() : writer();
}

Json Connections::stats() const
{
  return {{"writer", m_writer ? m_writer->stats().to_json() : Json(nullptr)},
          {"readers", m_readers ? m_readers->stats().to_json() : Json(nullptr)}};
}

CallGuard::CallGuard(SQLite::Database& db, CallContext& ctx, std::chrono::milliseconds timeout)
  : m_db(db), m_ctx(ctx), m_interrupt(ctx.on_cancel([handle = db.getHandle()] { sqlite3_interrupt(handle); }))
{
  if (timeout.count() > 0) {
    m_deadline = std::chrono::steady_clock::now() + timeout;
    m_has_deadline = true;
  }
  sqlite3_progress_handler(m_db.getHandle(), 1000, &CallGuard::on_progress, this);
}

CallGuard::~CallGuard()
{
  sqlite3_progress_handler(m_db.getHandle(), 0, nullptr, nullptr);
}

int CallGuard::on_progress(void* self)
{
  auto* guard = static_cast<CallGuard*>(self);
  if (guard->m_ctx.cancelled()) {
    return 1;
  }
  if (guard->m_has_deadline && std::chrono::steady_clock::now() > guard->m_deadline) {
    guard->m_timed_out = true;
    return 1;
  }
  return 0;
}

} // namespace dbmcp::backends::sqlite
