// dbmcp benchmark, run on demand (bench/run.sh), never in CI. Measures, through the built binary:
// cold start to the first response, sequential and pipelined get_record calls per second,
// insert_records rows/s for a large batch and the process's RSS (idle, the peak of that batch, after
// it: beside the aims of issue 14), each beside the engine's floor measured in the same run:
// SQLite in process (one prepared statement; one transaction for the inserts), PostgreSQL with
// pgbench (prepared, one connection; pipelined) and COPY, MySQL/MariaDB through Connector/C (a
// prepared statement loop; multi-row INSERTs in one transaction). Prints one Markdown table.
#include "support/process.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>
#ifdef BENCH_HAVE_MARIADB
#include <mysql.h>
#endif

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace dbmcp;
using namespace dbmcp::test;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* k_table_sql =
    "CREATE TABLE bench_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, "
    "age INTEGER CHECK (age >= 0 AND age <= 150))";

// The table for MySQL: a UNIQUE TEXT column needs a prefix length there.
std::string mysql_table_sql()
{
  return std::regex_replace(std::string(k_table_sql), std::regex("TEXT"), "VARCHAR(255)");
}

struct Options
{
  std::string backend = "sqlite"; // sqlite, postgresql, mysql, or a comma-separated list of them
  std::string pg_url;
  std::string mysql_url;
  int rows = 100000;
  int reads = 20000;
  int starts = 30;
};

double seconds_since(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The wall time `work()` takes, in seconds.
template <typename Work>
double seconds_of(Work&& work)
{
  const auto start = Clock::now();
  work();
  return seconds_since(start);
}

// `count` things per second, when `work()` does them: every figure and floor of the table.
template <typename Work>
double per_second(int count, Work&& work)
{
  return count / seconds_of(std::forward<Work>(work));
}

// Point reads per second of `read_one(id)` called `reads` times, on ids cycling through 1..`rows`.
template <typename ReadOne>
double point_reads_per_s(int reads, int rows, ReadOne&& read_one)
{
  return per_second(reads, [&] {
    for (int i = 0; i < reads; ++i) {
      read_one(static_cast<int64_t>(1 + i % rows));
    }
  });
}

Json meta()
{
  return {{"io.modelcontextprotocol/protocolVersion", "2026-07-28"}, {"io.modelcontextprotocol/clientCapabilities", Json::object()}};
}

Json call_request(int id, const std::string& tool, Json arguments)
{
  return {{"jsonrpc", "2.0"}, {"id", id}, {"method", "tools/call"},
          {"params", {{"name", tool}, {"arguments", std::move(arguments)}, {"_meta", meta()}}}};
}

// `count` get_record request lines, ids from `first_id`, each reading one of `rows` rows.
std::vector<std::string> get_record_lines(int first_id, int count, int rows)
{
  std::vector<std::string> lines;
  lines.reserve(static_cast<size_t>(count));
  for (int id = first_id; id < first_id + count; ++id) {
    lines.push_back(call_request(id, "get_record", {{"table", "bench_users"}, {"id", 1 + id % rows}}).dump());
  }
  return lines;
}

Json bench_rows(int count)
{
  Json rows = Json::array();
  for (int i = 0; i < count; ++i) {
    rows.push_back({{"id", i + 1}, {"name", "user " + std::to_string(i)}, {"email", "u" + std::to_string(i) + "@example.com"},
                    {"age", i % 100}});
  }
  return rows;
}

// The median wall time from spawning dbmcp to reading its server/discover answer.
double cold_start_ms(const std::string& db, int runs)
{
  std::vector<double> times;
  const std::string discover = Json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "server/discover"}, {"params", {{"_meta", meta()}}}}.dump();
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    Process process({binary(), "--db", db});
    process.send_line(discover);
    if (!process.read_line()) {
      throw std::runtime_error("no answer to server/discover: " + process.stderr_text());
    }
    times.push_back(seconds_since(start) * 1000);
    process.close_stdin();
    process.wait();
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

Json expect_result(Process& process, int id)
{
  Json response = process.read_response(id, nullptr, std::chrono::minutes(10));
  if (!response.contains("result") || response["result"].value("isError", false)) {
    throw std::runtime_error("call failed: " + response.dump().substr(0, 400));
  }
  return response["result"];
}

// A figure of /proc/`pid`/status in MiB: `field` is VmRSS (resident now) or VmHWM (the peak).
double status_mib(int pid, const std::string& field)
{
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::stod(line.substr(field.size() + 1)) / 1024; // the kernel counts in kB
    }
  }
  throw std::runtime_error("no " + field + " for process " + std::to_string(pid));
}

struct ServerFigures
{
  double idle_rss_mib = 0;         // after start and one call
  double request_mib = 0;          // the insert_records line
  double insert_peak_rss_mib = 0;  // the process's peak, the insert included
  double insert_after_rss_mib = 0; // once the insert is answered and its memory given back
  double insert_rows_per_s = 0;
  double sequential_reads_per_s = 0;
  double pipelined_reads_per_s = 0;
  double wide_line_ms = 0; // a 2.3 MB line of 200,000 keys, read, parsed and answered
};

ServerFigures measure_server(const std::string& db, const Options& options)
{
  ServerFigures figures;
  Process process({binary(), "--db", db, "--max-rows", "1000"});
  process.send_line(call_request(3, "list_tables", Json::object()).dump());
  expect_result(process, 3);
  figures.idle_rss_mib = status_mib(process.pid(), "VmRSS");
  const std::string batch = call_request(1, "insert_records", {{"table", "bench_users"}, {"records", bench_rows(options.rows)},
                                                               {"batch_size", 10000}}).dump();
  figures.request_mib = static_cast<double>(batch.size()) / (1 << 20);
  figures.insert_rows_per_s = per_second(options.rows, [&] {
    process.send_line(batch);
    expect_result(process, 1);
  });
  figures.insert_peak_rss_mib = status_mib(process.pid(), "VmHWM");
  // The memory goes back when the job ends, just after its answer is written: give it a moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  figures.insert_after_rss_mib = status_mib(process.pid(), "VmRSS");

  // Every request line is built before its clock starts, and an answer is checked by a text
  // search, not parsed: the figures are dbmcp's, not the harness's JSON work (pgbench, the floor,
  // parses its script once too). The pipelined lines go out from a second thread while the
  // answers are read.
  const auto expect_answer = [&](const std::optional<std::string>& line) {
    if (!line || line->find("\"isError\":true") != std::string::npos || line->find("\"error\"") != std::string::npos) {
      throw std::runtime_error("get_record failed: " + line.value_or("end of output").substr(0, 400));
    }
  };
  const std::vector<std::string> sequential = get_record_lines(100, options.reads, options.rows);
  figures.sequential_reads_per_s = per_second(options.reads, [&] {
    for (const auto& line : sequential) {
      process.send_line(line);
      expect_answer(process.read_line(std::chrono::minutes(1)));
    }
  });

  std::string pipelined;
  for (const auto& line : get_record_lines(100 + options.reads, options.reads, options.rows)) {
    pipelined += line + "\n";
  }
  std::thread writer;
  figures.pipelined_reads_per_s = per_second(options.reads, [&] {
    writer = std::thread([&] { process.write(pipelined); });
    try {
      for (int i = 0; i < options.reads; ++i) {
        expect_answer(process.read_line(std::chrono::minutes(1)));
      }
    } catch (...) {
      writer.join();
      throw;
    }
  });
  writer.join();

  // The speed guard of the linear JSON parser (issue 15 #10; the unit tests check only that it
  // parses): the arguments are refused, after the whole line was parsed.
  Json wide = Json::object();
  for (int i = 0; i < 200'000; ++i) {
    wide["column_" + std::to_string(i)] = i;
  }
  const std::string wide_line = call_request(2, "count_records", wide).dump();
  figures.wide_line_ms = 1000 * seconds_of([&] {
    process.send_line(wide_line);
    process.read_response(2, nullptr, std::chrono::minutes(10));
  });
  process.close_stdin();
  process.wait();
  return figures;
}


// One line of the table: dbmcp's figure beside the floor's, and their ratio.
void print_row(const std::string& backend, const std::string& measure, double value, double floor,
               const std::string& unit, const std::string& floor_label)
{
  if (floor > 0) {
    std::printf("| %s | %s | %.0f %s | %.0f %s (%s) | %.2f |\n", backend.c_str(), measure.c_str(), value, unit.c_str(),
                floor, unit.c_str(), floor_label.c_str(), value / floor);
  } else {
    std::printf("| %s | %s | %.0f %s | — | — |\n", backend.c_str(), measure.c_str(), value, unit.c_str());
  }
  std::fflush(stdout);
}

struct Floors
{
  double insert_rows_per_s = 0;
  std::string insert_label;
  double sequential_reads_per_s = 0;
  std::string sequential_label;
  double pipelined_reads_per_s = 0;
  std::string pipelined_label;
};

void print_figures(const std::string& backend, const Options& options, double cold_start, const ServerFigures& figures,
                   const Floors& floors)
{
  std::printf("| %s | cold start to first response (median of %d) | %.2f ms | — | — |\n", backend.c_str(),
              options.starts, cold_start);
  print_row(backend, "get_record, sequential", figures.sequential_reads_per_s, floors.sequential_reads_per_s, "calls/s",
            floors.sequential_label);
  print_row(backend, "get_record, pipelined", figures.pipelined_reads_per_s, floors.pipelined_reads_per_s, "calls/s",
            floors.pipelined_label);
  print_row(backend, "insert_records, " + std::to_string(options.rows) + " rows", figures.insert_rows_per_s,
            floors.insert_rows_per_s, "rows/s", floors.insert_label);
  std::printf("| %s | one 2.3 MB line of 200,000 keys, answered | %.0f ms | — | — |\n", backend.c_str(),
              figures.wide_line_ms);
  std::printf("| %s | idle RSS (start and one call) | %.1f MiB | 10 MiB (aim) | %.2f |\n", backend.c_str(),
              figures.idle_rss_mib, figures.idle_rss_mib / 10);
  std::printf("| %s | peak RSS, insert_records of %d rows (a %.1f MiB line) | %.1f MiB | %.1f MiB (aim: 3x the line) "
              "| %.2f |\n",
              backend.c_str(), options.rows, figures.request_mib, figures.insert_peak_rss_mib, 3 * figures.request_mib,
              figures.insert_peak_rss_mib / (3 * figures.request_mib));
  std::printf("| %s | RSS after that insert | %.1f MiB | 30 MiB (aim) | %.2f |\n", backend.c_str(),
              figures.insert_after_rss_mib, figures.insert_after_rss_mib / 30);
  std::fflush(stdout);
}

// The transport's own floor for a sequential call: request lines of get_record's size written to
// `cat` and read back one at a time through the same pipes, so two processes and four pipe
// hand-offs a call, no parsing. A stdio server's sequential call costs at least this on top of
// its engine's round trip.
double stdio_echo_per_s(const Options& options)
{
  Process process({"/bin/cat"});
  const std::vector<std::string> lines = get_record_lines(100, options.reads, options.rows);
  const double rate = per_second(options.reads, [&] {
    for (const auto& line : lines) {
      process.send_line(line);
      if (!process.read_line(std::chrono::minutes(1))) {
        throw std::runtime_error("cat ended early");
      }
    }
  });
  process.close_stdin();
  process.wait();
  return rate;
}

void check_sqlite(int rc, sqlite3* db, const char* what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
  }
}

// The floor: the same rows through one prepared statement in one transaction.
double sqlite_floor_rows_per_s(const std::string& path, int rows)
{
  sqlite3* db = nullptr;
  check_sqlite(sqlite3_open(path.c_str(), &db), db, "open");
  check_sqlite(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON", nullptr, nullptr, nullptr), db, "pragma");
  check_sqlite(sqlite3_exec(db, k_table_sql, nullptr, nullptr, nullptr), db, "create");
  const Json data = bench_rows(rows); // built before the clock starts, as dbmcp's input is parsed JSON
  const double rate = per_second(rows, [&] {
    check_sqlite(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), db, "begin");
    sqlite3_stmt* insert = nullptr;
    check_sqlite(sqlite3_prepare_v2(db, "INSERT INTO bench_users (id, name, email, age) VALUES (?, ?, ?, ?)", -1, &insert, nullptr), db, "prepare");
    for (const auto& row : data) {
      sqlite3_bind_int64(insert, 1, row["id"].get<int64_t>());
      const auto& name = row["name"].get_ref<const std::string&>();
      const auto& email = row["email"].get_ref<const std::string&>();
      sqlite3_bind_text(insert, 2, name.c_str(), static_cast<int>(name.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 3, email.c_str(), static_cast<int>(email.size()), SQLITE_STATIC);
      sqlite3_bind_int64(insert, 4, row["age"].get<int64_t>());
      check_sqlite(sqlite3_step(insert), db, "insert");
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    check_sqlite(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
  });
  sqlite3_close(db);
  return rate;
}


// The read floor: `reads` point reads through one prepared statement, in process, on the table
// dbmcp filled (read after dbmcp's own reads, so both find it equally warm).
double sqlite_floor_reads_per_s(const std::string& path, int reads, int rows)
{
  sqlite3* db = nullptr;
  check_sqlite(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
  sqlite3_stmt* select = nullptr;
  check_sqlite(sqlite3_prepare_v2(db, "SELECT id, name, email, age FROM bench_users WHERE id = ?", -1, &select, nullptr),
               db, "prepare");
  size_t bytes = 0;
  const double rate = point_reads_per_s(reads, rows, [&](int64_t id) {
    sqlite3_bind_int64(select, 1, id);
    if (sqlite3_step(select) == SQLITE_ROW) {
      bytes += static_cast<size_t>(sqlite3_column_bytes(select, 1) + sqlite3_column_bytes(select, 2));
    }
    sqlite3_reset(select);
  });
  sqlite3_finalize(select);
  sqlite3_close(db);
  if (bytes == 0) {
    throw std::runtime_error("the SQLite read floor found no rows");
  }
  return rate;
}

void pg_exec(PGconn* conn, const std::string& sql)
{
  PGresult* result = PQexec(conn, sql.c_str());
  const auto status = PQresultStatus(result);
  const std::string error = PQresultErrorMessage(result);
  PQclear(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
    throw std::runtime_error(sql.substr(0, 60) + ": " + error);
  }
}

// The floor: the same rows loaded with COPY in one transaction.
double postgres_floor_rows_per_s(const std::string& url, int rows)
{
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn));
  }
  pg_exec(conn, "DROP TABLE IF EXISTS bench_floor");
  pg_exec(conn, std::string(k_table_sql).replace(13, 11, "bench_floor"));
  const Json data = bench_rows(rows);
  const double rate = per_second(rows, [&] {
    pg_exec(conn, "BEGIN");
    pg_exec(conn, "COPY bench_floor (id, name, email, age) FROM STDIN");
    std::string buffer;
    for (const auto& row : data) {
      buffer += std::to_string(row["id"].get<int64_t>()) + '\t' + row["name"].get<std::string>() + '\t' +
                row["email"].get<std::string>() + '\t' + std::to_string(row["age"].get<int64_t>()) + '\n';
    }
    if (PQputCopyData(conn, buffer.data(), static_cast<int>(buffer.size())) != 1 || PQputCopyEnd(conn, nullptr) != 1) {
      throw std::runtime_error(std::string("copy: ") + PQerrorMessage(conn));
    }
    while (PGresult* result = PQgetResult(conn)) {
      PQclear(result);
    }
    pg_exec(conn, "COMMIT");
  });
  pg_exec(conn, "DROP TABLE bench_floor");
  PQfinish(conn);
  return rate;
}


// The output of `command`; throws when it fails.
std::string run_command(const std::string& command)
{
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) {
    throw std::runtime_error("cannot run " + command);
  }
  std::string out;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) {
    out.append(buffer, n);
  }
  if (::pclose(pipe) != 0) {
    throw std::runtime_error(command + " failed:\n" + out);
  }
  return out;
}

// pgbench's transactions per second for the script `script` over one connection, prepared.
double pgbench_tps(const std::string& url, const std::string& script, int transactions)
{
  const std::string file = temp_dir() + "/pgbench.sql";
  std::ofstream(file) << script;
  const std::string out = run_command("pgbench -n -M prepared -c 1 -j 1 -t " + std::to_string(transactions) + " -f '" +
                                      file + "' '" + url + "' 2>&1");
  std::smatch match;
  if (!std::regex_search(out, match, std::regex(R"(tps = ([0-9.]+))"))) {
    throw std::runtime_error("no tps in pgbench's output:\n" + out);
  }
  return std::stod(match[1]);
}

// The read floors on PostgreSQL: pgbench point reads of bench_users, one prepared statement per
// transaction (sequential), and 50 per pipeline (pipelined, counted per statement).
void postgres_read_floors(const std::string& url, const Options& options, Floors& floors)
{
  const std::string pick = "\\set id random(1, " + std::to_string(options.rows) + ")\n";
  const std::string select = "SELECT id, name, email, age FROM bench_users WHERE id = :id;\n";
  floors.sequential_reads_per_s = pgbench_tps(url, pick + select, options.reads);
  floors.sequential_label = "pgbench, prepared, 1 connection";
  constexpr int k_depth = 50;
  std::string pipeline = pick + "\\startpipeline\n";
  for (int i = 0; i < k_depth; ++i) {
    pipeline += select;
  }
  pipeline += "\\endpipeline\n";
  floors.pipelined_reads_per_s = k_depth * pgbench_tps(url, pipeline, std::max(1, options.reads / k_depth));
  floors.pipelined_label = "pgbench pipeline of 50, 1 connection";
}

#ifdef BENCH_HAVE_MARIADB
// mysql://user:password@host:port/database, without escapes (as scripts/with-mariadb.sh makes it).
struct MysqlTarget
{
  std::string user, password, host, database;
  unsigned port = 3306;
};

MysqlTarget parse_mysql_url(const std::string& url)
{
  std::smatch m;
  if (!std::regex_match(url, m, std::regex(R"((?:mysql|mariadb)://([^:@/]*)(?::([^@/]*))?@([^:/]+)(?::(\d+))?/([^?]+).*)"))) {
    throw std::runtime_error("cannot read the MySQL URL " + url);
  }
  return {m[1], m[2], m[3], m[5], m[4].matched ? static_cast<unsigned>(std::stoul(m[4])) : 3306u};
}

MYSQL* mysql_open(const std::string& url)
{
  const MysqlTarget target = parse_mysql_url(url);
  MYSQL* conn = mysql_init(nullptr);
  if (!mysql_real_connect(conn, target.host.c_str(), target.user.c_str(), target.password.c_str(),
                          target.database.c_str(), target.port, nullptr, 0)) {
    throw std::runtime_error(std::string("MySQL connect: ") + mysql_error(conn));
  }
  return conn;
}

void mysql_exec(MYSQL* conn, const std::string& sql)
{
  if (mysql_real_query(conn, sql.data(), sql.size()) != 0) {
    throw std::runtime_error(sql.substr(0, 60) + ": " + mysql_error(conn));
  }
  if (MYSQL_RES* result = mysql_store_result(conn)) {
    mysql_free_result(result);
  }
}

// The insert floor: the same rows as multi-row INSERTs of 1,000 rows, in one transaction.
double mysql_floor_rows_per_s(const std::string& url, int rows)
{
  MYSQL* conn = mysql_open(url);
  mysql_exec(conn, "DROP TABLE IF EXISTS bench_floor");
  mysql_exec(conn, std::regex_replace(mysql_table_sql(), std::regex("bench_users"), "bench_floor"));
  const Json data = bench_rows(rows);
  const double rate = per_second(rows, [&] {
    mysql_exec(conn, "START TRANSACTION");
    std::string insert;
    for (size_t i = 0; i < data.size(); ++i) {
      const Json& row = data[i];
      insert += insert.empty() ? "INSERT INTO bench_floor (id, name, email, age) VALUES " : ",";
      insert += "(" + std::to_string(row["id"].get<int64_t>()) + ",'" + row["name"].get<std::string>() + "','" +
                row["email"].get<std::string>() + "'," + std::to_string(row["age"].get<int64_t>()) + ")";
      if ((i + 1) % 1000 == 0 || i + 1 == data.size()) {
        mysql_exec(conn, insert);
        insert.clear();
      }
    }
    mysql_exec(conn, "COMMIT");
  });
  mysql_exec(conn, "DROP TABLE bench_floor");
  mysql_close(conn);
  return rate;
}

// The read floor: `reads` point reads through one server-side prepared statement, one connection.
double mysql_floor_reads_per_s(const std::string& url, int reads, int rows)
{
  MYSQL* conn = mysql_open(url);
  MYSQL_STMT* stmt = mysql_stmt_init(conn);
  const std::string sql = "SELECT id, name, email, age FROM bench_users WHERE id = ?";
  if (mysql_stmt_prepare(stmt, sql.c_str(), sql.size()) != 0) {
    throw std::runtime_error(std::string("prepare: ") + mysql_stmt_error(stmt));
  }
  long long id = 0;
  MYSQL_BIND param{};
  param.buffer_type = MYSQL_TYPE_LONGLONG;
  param.buffer = &id;
  mysql_stmt_bind_param(stmt, &param);
  long long out_id = 0, age = 0;
  char name[256], email[256];
  unsigned long name_length = 0, email_length = 0;
  MYSQL_BIND result[4]{};
  result[0].buffer_type = MYSQL_TYPE_LONGLONG;
  result[0].buffer = &out_id;
  result[1].buffer_type = MYSQL_TYPE_STRING;
  result[1].buffer = name;
  result[1].buffer_length = sizeof name;
  result[1].length = &name_length;
  result[2].buffer_type = MYSQL_TYPE_STRING;
  result[2].buffer = email;
  result[2].buffer_length = sizeof email;
  result[2].length = &email_length;
  result[3].buffer_type = MYSQL_TYPE_LONGLONG;
  result[3].buffer = &age;
  mysql_stmt_bind_result(stmt, result);
  int found = 0;
  const double rate = point_reads_per_s(reads, rows, [&](int64_t next) {
    id = next;
    if (mysql_stmt_execute(stmt) != 0) {
      throw std::runtime_error(std::string("execute: ") + mysql_stmt_error(stmt));
    }
    while (mysql_stmt_fetch(stmt) == 0) {
      ++found;
    }
    mysql_stmt_free_result(stmt);
  });
  mysql_stmt_close(stmt);
  mysql_close(conn);
  if (found == 0) {
    throw std::runtime_error("the MySQL read floor found no rows");
  }
  return rate;
}
#endif

Options parse(int argc, char** argv)
{
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--backend") {
      options.backend = value;
    } else if (flag == "--pg-url") {
      options.pg_url = value;
    } else if (flag == "--mysql-url") {
      options.mysql_url = value;
    } else if (flag == "--rows") {
      options.rows = std::stoi(value);
    } else if (flag == "--reads") {
      options.reads = std::stoi(value);
    } else if (flag == "--starts") {
      options.starts = std::stoi(value);
    } else {
      throw std::runtime_error("unknown flag " + flag);
    }
  }
  return options;
}

void bench_sqlite(const Options& options, const std::string& dir)
{
  const std::string db = dir + "/bench.db";
  sqlite3* handle = nullptr;
  sqlite3_open(db.c_str(), &handle);
  sqlite3_exec(handle, k_table_sql, nullptr, nullptr, nullptr);
  sqlite3_close(handle);
  const double cold_start = cold_start_ms(db, options.starts);
  Floors floors;
  floors.insert_rows_per_s = sqlite_floor_rows_per_s(dir + "/floor.db", options.rows);
  floors.insert_label = "one prepared statement, one transaction";
  const ServerFigures figures = measure_server(db, options);
  floors.sequential_reads_per_s = sqlite_floor_reads_per_s(db, options.reads, options.rows);
  floors.sequential_label = "in process, one prepared statement";
  floors.pipelined_reads_per_s = floors.sequential_reads_per_s;
  floors.pipelined_label = floors.sequential_label;
  print_figures("sqlite", options, cold_start, figures, floors);
}

void bench_postgres(const Options& options)
{
  if (options.pg_url.empty()) {
    throw std::runtime_error("--pg-url is required for postgresql");
  }
  PGconn* conn = PQconnectdb(options.pg_url.c_str());
  pg_exec(conn, "DROP TABLE IF EXISTS bench_users");
  pg_exec(conn, k_table_sql);
  PQfinish(conn);
  const double cold_start = cold_start_ms(options.pg_url, options.starts);
  Floors floors;
  floors.insert_rows_per_s = postgres_floor_rows_per_s(options.pg_url, options.rows);
  floors.insert_label = "COPY, one transaction";
  const ServerFigures figures = measure_server(options.pg_url, options);
  postgres_read_floors(options.pg_url, options, floors);
  print_figures("postgresql", options, cold_start, figures, floors);
}

void bench_mysql(const Options& options)
{
#ifdef BENCH_HAVE_MARIADB
  if (options.mysql_url.empty()) {
    throw std::runtime_error("--mysql-url is required for mysql");
  }
  MYSQL* conn = mysql_open(options.mysql_url);
  mysql_exec(conn, "DROP TABLE IF EXISTS bench_users");
  mysql_exec(conn, mysql_table_sql());
  mysql_close(conn);
  const double cold_start = cold_start_ms(options.mysql_url, options.starts);
  Floors floors;
  floors.insert_rows_per_s = mysql_floor_rows_per_s(options.mysql_url, options.rows);
  floors.insert_label = "multi-row INSERTs of 1,000, one transaction";
  const ServerFigures figures = measure_server(options.mysql_url, options);
  floors.sequential_reads_per_s = mysql_floor_reads_per_s(options.mysql_url, options.reads, options.rows);
  floors.sequential_label = "Connector/C prepared statement loop, 1 connection";
  floors.pipelined_reads_per_s = floors.sequential_reads_per_s;
  floors.pipelined_label = floors.sequential_label;
  print_figures("mysql", options, cold_start, figures, floors);
#else
  (void)options;
  throw std::runtime_error("this dbmcp_bench was built without Connector/C (libmariadb)");
#endif
}

} // namespace

int main(int argc, char** argv)
try {
  const Options options = parse(argc, argv);
  const std::string dir = temp_dir();
  std::printf("| backend | measure | dbmcp | floor | dbmcp / floor |\n| --- | --- | --- | --- | --- |\n");
  std::printf("| stdio | a get_record line echoed back by cat, sequential | — | %.0f round trips/s | — |\n",
              stdio_echo_per_s(options));
  std::string rest = options.backend + ",";
  for (size_t comma; (comma = rest.find(',')) != std::string::npos; rest.erase(0, comma + 1)) {
    const std::string backend = rest.substr(0, comma);
    if (backend == "sqlite") {
      bench_sqlite(options, dir);
    } else if (backend == "postgresql") {
      bench_postgres(options);
    } else if (backend == "mysql") {
      bench_mysql(options);
    } else if (!backend.empty()) {
      throw std::runtime_error("unknown backend " + backend + " (sqlite, postgresql, mysql)");
    }
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench: %s\n", e.what());
  return 1;
}
