// dbmcp benchmark, run on demand (bench/run.sh), never in CI. Measures, through the built binary:
// cold start to the first response, sequential and pipelined get_record calls per second, and
// insert_records rows/s for a large batch against the floor: the same rows inserted directly
// through the engine (SQLite: one prepared statement in one transaction; PostgreSQL: COPY).
#include "support/process.hpp"

#include <libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using namespace dbmcp;
using namespace dbmcp::test;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* k_table_sql =
    "CREATE TABLE bench_users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL UNIQUE, "
    "age INTEGER CHECK (age >= 0 AND age <= 150))";

struct Options
{
  std::string backend = "sqlite"; // or postgresql
  std::string pg_url;
  int rows = 100000;
  int reads = 20000;
  int starts = 30;
};

double seconds_since(Clock::time_point start)
{
  return std::chrono::duration<double>(Clock::now() - start).count();
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

struct ServerFigures
{
  double insert_rows_per_s = 0;
  double sequential_reads_per_s = 0;
  double pipelined_reads_per_s = 0;
  double wide_line_ms = 0; // a 2.3 MB line of 200,000 keys, read, parsed and answered
};

ServerFigures measure_server(const std::string& db, const Options& options)
{
  ServerFigures figures;
  Process process({binary(), "--db", db, "--max-rows", "1000"});
  const std::string batch = call_request(1, "insert_records", {{"table", "bench_users"}, {"records", bench_rows(options.rows)},
                                                               {"batch_size", 10000}}).dump();
  auto start = Clock::now();
  process.send_line(batch);
  expect_result(process, 1);
  figures.insert_rows_per_s = options.rows / seconds_since(start);

  auto read = [&](int id) { return call_request(id, "get_record", {{"table", "bench_users"}, {"id", 1 + id % options.rows}}).dump(); };
  start = Clock::now();
  for (int i = 0; i < options.reads; ++i) {
    process.send_line(read(100 + i));
    expect_result(process, 100 + i);
  }
  figures.sequential_reads_per_s = options.reads / seconds_since(start);

  const int base = 100 + options.reads;
  start = Clock::now();
  std::thread writer([&] {
    std::string lines;
    for (int i = 0; i < options.reads; ++i) {
      lines += read(base + i) + "\n";
    }
    process.write(lines);
  });
  for (int i = 0; i < options.reads; ++i) {
    const auto line = process.read_line(std::chrono::minutes(1));
    if (!line || line->find("\"isError\":true") != std::string::npos || line->find("\"error\"") != std::string::npos) {
      writer.join();
      throw std::runtime_error("pipelined read failed: " + line.value_or("end of output"));
    }
  }
  figures.pipelined_reads_per_s = options.reads / seconds_since(start);
  writer.join();

  // The speed guard of the linear JSON parser (issue 15 #10; the unit tests check only that it
  // parses): the arguments are refused, after the whole line was parsed.
  Json wide = Json::object();
  for (int i = 0; i < 200'000; ++i) {
    wide["column_" + std::to_string(i)] = i;
  }
  const std::string wide_line = call_request(2, "count_records", wide).dump();
  start = Clock::now();
  process.send_line(wide_line);
  process.read_response(2, nullptr, std::chrono::minutes(10));
  figures.wide_line_ms = 1000 * seconds_since(start);
  process.close_stdin();
  process.wait();
  return figures;
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
  const auto start = Clock::now();
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
  const double rate = rows / seconds_since(start);
  sqlite3_close(db);
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
  const auto start = Clock::now();
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
  const double rate = rows / seconds_since(start);
  pg_exec(conn, "DROP TABLE bench_floor");
  PQfinish(conn);
  return rate;
}

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

} // namespace

int main(int argc, char** argv)
try {
  const Options options = parse(argc, argv);
  const std::string dir = temp_dir();
  std::printf("| backend | measure | value |\n| --- | --- | --- |\n");
  if (options.backend == "sqlite") {
    const std::string db = dir + "/bench.db";
    sqlite3* handle = nullptr;
    sqlite3_open(db.c_str(), &handle);
    sqlite3_exec(handle, k_table_sql, nullptr, nullptr, nullptr);
    sqlite3_close(handle);
    std::printf("| sqlite | cold start to first response (median of %d) | %.2f ms |\n", options.starts,
                cold_start_ms(db, options.starts));
    const double floor = sqlite_floor_rows_per_s(dir + "/floor.db", options.rows);
    const ServerFigures figures = measure_server(db, options);
    std::printf("| sqlite | get_record, sequential | %.0f calls/s |\n", figures.sequential_reads_per_s);
    std::printf("| sqlite | get_record, pipelined | %.0f calls/s |\n", figures.pipelined_reads_per_s);
    std::printf("| sqlite | insert_records, %d rows | %.0f rows/s |\n", options.rows, figures.insert_rows_per_s);
    std::printf("| sqlite | one 2.3 MB line of 200,000 keys, answered | %.0f ms |\n", figures.wide_line_ms);
    std::printf("| sqlite | floor: one prepared statement, one transaction | %.0f rows/s |\n", floor);
    std::printf("| sqlite | insert_records / floor | %.0f%% |\n", 100 * figures.insert_rows_per_s / floor);
  } else {
    if (options.pg_url.empty()) {
      throw std::runtime_error("--pg-url is required for --backend postgresql");
    }
    PGconn* conn = PQconnectdb(options.pg_url.c_str());
    pg_exec(conn, "DROP TABLE IF EXISTS bench_users");
    pg_exec(conn, k_table_sql);
    PQfinish(conn);
    std::printf("| postgresql | cold start to first response (median of %d) | %.2f ms |\n", options.starts,
                cold_start_ms(options.pg_url, options.starts));
    const double floor = postgres_floor_rows_per_s(options.pg_url, options.rows);
    const ServerFigures figures = measure_server(options.pg_url, options);
    std::printf("| postgresql | get_record, sequential | %.0f calls/s |\n", figures.sequential_reads_per_s);
    std::printf("| postgresql | get_record, pipelined | %.0f calls/s |\n", figures.pipelined_reads_per_s);
    std::printf("| postgresql | insert_records, %d rows | %.0f rows/s |\n", options.rows, figures.insert_rows_per_s);
    std::printf("| postgresql | one 2.3 MB line of 200,000 keys, answered | %.0f ms |\n", figures.wide_line_ms);
    std::printf("| postgresql | floor: COPY, one transaction | %.0f rows/s |\n", floor);
    std::printf("| postgresql | insert_records / floor | %.0f%% |\n", 100 * figures.insert_rows_per_s / floor);
  }
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench: %s\n", e.what());
  return 1;
}
