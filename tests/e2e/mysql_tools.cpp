// The database tools through the built binary on MariaDB (scripts/with-mariadb.sh), as a desktop
// client uses them with --db mysql://…: list, read, search, page with a cursor, insert 10,000 rows,
// a batch with one bad row that writes nothing, update, delete.
#include "support/demo_users.hpp"
#include "support/mcp_client.hpp"
#include "support/proc_status.hpp"
#include "support/servers.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <unistd.h>

using namespace dbmcp;
using namespace dbmcp::test;

namespace {

constexpr const char* k_schema = R"sql(
CREATE TABLE users (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  email VARCHAR(200) NOT NULL UNIQUE,
  age INT CHECK (age >= 0 AND age <= 150),
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE posts (
  id INT AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  content TEXT NOT NULL,
  author_id INT NOT NULL,
  FOREIGN KEY (author_id) REFERENCES users(id) ON DELETE CASCADE,
  FULLTEXT KEY ft_posts (title, content)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE products (
  id INT AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  category VARCHAR(50) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO users (name, email, age) VALUES
  ('Ada Lovelace', 'ada@example.com', 36), ('Alan Turing', 'alan@example.com', 41),
  ('Grace Hopper', 'grace@example.com', NULL), ('Edsger Dijkstra', 'edsger@example.com', 72),
  ('Barbara Liskov', 'barbara@example.com', 84);
INSERT INTO posts (title, content, author_id) VALUES
  ('Notes on the Analytical Engine', 'The engine weaves algebraic patterns', 1),
  ('Computing Machinery and Intelligence', 'Can machines think?', 2),
  ('Go To Statement Considered Harmful', 'The go to statement should be abolished', 4);
INSERT INTO products (name, price, category) VALUES
  ('Chair', 89.90, 'furniture'), ('Desk', 249.00, 'furniture'), ('Lamp', 19.99, 'lighting');
)sql";

// A database of its own per test, filled through `dbmcp init --schema`; dropped afterwards.
class MysqlDatabase
{
public:
  MysqlDatabase()
  {
    static std::atomic<int> counter{0};
    m_name = "e2e_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    admin("DROP DATABASE IF EXISTS " + m_name + "; CREATE DATABASE " + m_name + " CHARACTER SET utf8mb4");
    const std::string file = temp_dir() + "/schema.sql";
    std::ofstream(file) << k_schema;
    const auto init = run_dbmcp({"--db", url(), "init", "--schema", file});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
  }
  ~MysqlDatabase() { admin("DROP DATABASE IF EXISTS " + m_name); }
  MysqlDatabase(const MysqlDatabase&) = delete;
  MysqlDatabase& operator=(const MysqlDatabase&) = delete;

  std::string url() const
  {
    const std::string base = mysql_url();
    return base.substr(0, base.rfind('/') + 1) + m_name;
  }

private:
  // Runs a script on the server's test database through the binary itself.
  static void admin(const std::string& sql)
  {
    const std::string file = temp_dir() + "/admin.sql";
    std::ofstream(file) << sql;
    run_dbmcp({"--db", mysql_url(), "init", "--schema", file});
  }

  std::string m_name;
};

} // namespace

TEST_SUITE("e2e: tools on MySQL/MariaDB")
{
  TEST_CASE("--db mysql://: list, read, search, page with a cursor, insert 10,000 rows, a bad batch writes "
            "nothing, update, delete")
  {
    MysqlDatabase db;
    McpClient client({"--db", db.url(), "--max-rows", "1000"});

    const Json tables = client.call_ok("list_tables", Json::object())["tables"];
    std::set<std::string> names;
    for (const auto& table : tables) {
      names.insert(table["name"].get<std::string>());
    }
    CHECK(names == std::set<std::string>{"posts", "products", "users"});
    const Json described = client.call_ok("describe_table", {{"table", "users"}});
    CHECK(described["primary_key"] == Json::array({"id"}));
    CHECK(described["checks"][0] == "age >= 0 AND age <= 150");

    const Json ada = client.call_ok("get_record", {{"table", "users"}, {"id", 1}, {"include", {"posts"}}});
    CHECK(ada["record"]["name"] == "Ada Lovelace");
    CHECK(ada["record"]["created_at"].is_string());
    CHECK(ada["related"]["posts"]["rows"].size() == 1);
    CHECK(client.call_ok("get_record", {{"table", "products"}, {"id", 1}})["record"]["price"] == 89.9);
    // An exact DECIMAL sent as text, in a filter and a write (as a client keeps money).
    const Json priced = client.call_ok("list_records", {{"table", "products"}, {"where", {{"price", {{"gte", "89.90"}}}}}});
    CHECK(priced["rows"].size() == 2);
    CHECK(client.call_ok("update_record", {{"table", "products"}, {"id", 3}, {"set", {{"price", "21.05"}}}})["record"]["price"]
          == 21.05);
    const Json adults = client.call_ok(
        "list_records", {{"table", "users"}, {"where", {{"age", {{"gte", 40}}}}}, {"order_by", "-age"}, {"columns", {"name"}}});
    REQUIRE(adults["rows"].size() == 3);
    CHECK(adults["rows"][0]["name"] == "Barbara Liskov");

    const Json found = client.call_ok("search_records", {{"table", "posts"}, {"query", "MACHINES"}});
    REQUIRE(found["rows"].size() == 1);
    CHECK(found["rows"][0]["author_id"] == 2);
    const Json ranked = client.call_ok("search_records", {{"table", "posts"}, {"query", "statement"}, {"mode", "fulltext"}});
    REQUIRE(ranked["rows"].size() == 1);
    CHECK(ranked["rows"][0]["title"] == "Go To Statement Considered Harmful");
    CHECK(ranked["rows"][0]["_rank"].is_number());
    // `like` in a full-text search's filter compares case as everywhere else on MySQL (the filter
    // once had a dialect of its own, without the binary collation).
    const auto ranked_like = [&](const std::string& pattern) {
      return client.call_ok("search_records", {{"table", "posts"}, {"query", "statement"}, {"mode", "fulltext"},
                                               {"where", {{"title", {{"like", pattern}}}}}})["rows"].size();
    };
    CHECK(ranked_like("Go To%") == 1);
    CHECK(ranked_like("go to%") == 0);

    const Json bad = client.call_error("insert_records", {{"table", "users"}, {"records", users(100, 10000, 5100)}});
    CHECK(bad["code"] == "check_violation");
    CHECK(bad["row"] == 5000);
    CHECK(count(client, "users") == 5);
    const Json done = client.call_ok("insert_records", {{"table", "users"}, {"records", users(100, 10000)}, {"batch_size", 2500}});
    CHECK(done["inserted"] == 10000);
    CHECK(count(client, "users") == 10005);

    std::set<int64_t> seen;
    Json arguments = {{"table", "users"}, {"order_by", Json::array({"-age", "name"})}, {"limit", 1000}, {"columns", {"id"}}};
    for (int pages = 0; pages < 20; ++pages) {
      const Json page = client.call_ok("list_records", arguments);
      for (const auto& row : page["rows"]) {
        CHECK_MESSAGE(seen.insert(row["id"].get<int64_t>()).second, "repeated id ", row["id"]);
      }
      if (!page["has_more"].get<bool>()) {
        break;
      }
      arguments["cursor"] = page["next_cursor"];
    }
    CHECK(seen.size() == 10005);

    const Json created = client.call_ok("insert_record",
                                        {{"table", "users"},
                                         {"record", {{"name", "Katherine Johnson"}, {"email", "kj@example.com"}, {"age", 101}}},
                                         {"related", {{"posts", {{{"title", "Orbits"}, {"content", "Trajectories"}}}}}}});
    const int64_t id = created["record"]["id"].get<int64_t>();
    CHECK(created["record"]["created_at"].is_string());
    CHECK(created["related"]["posts"][0]["author_id"] == id);
    CHECK(client.call_ok("update_record", {{"table", "users"}, {"id", id}, {"set", {{"age", 102}}}})["record"]["age"] == 102);
    CHECK(client.call_ok("delete_record", {{"table", "users"}, {"id", id}})["deleted"]["email"] == "kj@example.com");
    CHECK(count(client, "posts") == 3); // ON DELETE CASCADE
    CHECK(client.call_ok("delete_records", {{"table", "products"}, {"where", {{"category", "furniture"}}}})["deleted"] == 2);
    const Json unique = client.call_error("insert_record", {{"table", "users"}, {"record", {{"name", "X"}, {"email", "ada@example.com"}}}});
    CHECK(unique["message"] == "email 'ada@example.com' already exists in users (unique)");
  }

  TEST_CASE("insert_records: 100,000 rows streamed from the request; a bad last row changes nothing, named as before")
  {
    MysqlDatabase db;
    McpClient client({"--db", db.url()});
    check_streamed_insert(client);
  }

  TEST_CASE("admin and options: diagnostics redact the password, maintenance, --read-only, mariadb://, "
            "--statement-timeout")
  {
    MysqlDatabase db;
    const std::string url = db.url();
    const std::string password = url.substr(url.find(':', 8) + 1, url.find('@') - url.find(':', 8) - 1);
    const auto diagnostics = run_dbmcp({"--db", url, "call", "database_diagnostics"});
    REQUIRE_MESSAGE(diagnostics.exit_code == 0, diagnostics.err);
    CHECK(diagnostics.out.find(password) == std::string::npos);
    const Json info = Json::parse(diagnostics.out);
    CHECK(info["engine"] == "mariadb");
    CHECK(info["connection"].get<std::string>().find(":****@") != std::string::npos);
    CHECK(info["tables"].size() == 3);
    CHECK(info["pool"].contains("in_use"));
    for (const char* operation : {"vacuum", "analyze", "reindex"}) {
      const auto done = run_dbmcp({"--db", url, "--allow-admin", "call", "run_maintenance",
                                   std::string(R"({"operation":")") + operation + R"(","table":"users"})"});
      CHECK_MESSAGE(done.exit_code == 0, operation, ": ", done.err);
    }
    const auto whole = run_dbmcp({"--db", url, "--allow-admin", "call", "run_maintenance", R"({"operation":"analyze"})"});
    CHECK_MESSAGE(whole.exit_code == 0, whole.err);

    McpClient read_only({"--db", "mariadb" + url.substr(url.find(':')), "--read-only"});
    const Json refused =
        read_only.request("tools/call", {{"name", "delete_record"}, {"arguments", {{"table", "products"}, {"id", 1}}}});
    CHECK(refused.contains("error")); // write tools are not offered on a read-only store
    CHECK(count(read_only, "products") == 3);

    McpClient slow({"--db", url, "--statement-timeout", "2"});
    CHECK(count(slow, "users") == 5);
  }

  TEST_CASE("init on MySQL: --demo creates the guide's schema with products; a failing script names its statement "
            "and says that the DDL before it stays done")
  {
    MysqlDatabase db;
    const std::string url = db.url();
    const std::string file = temp_dir() + "/failing.sql";
    std::ofstream(file) << "CREATE TABLE first_table (id INT PRIMARY KEY);\n"
                           "CREATE TABLE second_table (id INT PRIMARY KEY);\n"
                           "CREATE TABLE users (id INT PRIMARY KEY);\n";
    const auto failed = run_dbmcp({"--db", url, "init", "--schema", file});
    CHECK(failed.exit_code == 1);
    CHECK_MESSAGE(failed.err.find("statement 3 of the script failed") != std::string::npos, failed.err);
    CHECK_MESSAGE(failed.err.find("commits each CREATE, ALTER or DROP as it runs") != std::string::npos, failed.err);
    CHECK(failed.err.find("nothing changed") == std::string::npos);
    const auto tables = run_dbmcp({"--db", url, "call", "list_tables", R"({"pattern": "*_table"})"});
    REQUIRE_MESSAGE(tables.exit_code == 0, tables.err);
    CHECK(Json::parse(tables.out)["tables"].size() == 2);

    const std::string demo_url = url + "_demo";
    const std::string admin_file = temp_dir() + "/demo_admin.sql";
    std::ofstream(admin_file) << "DROP DATABASE IF EXISTS " << demo_url.substr(demo_url.rfind('/') + 1)
                              << "; CREATE DATABASE " << demo_url.substr(demo_url.rfind('/') + 1)
                              << " CHARACTER SET utf8mb4";
    REQUIRE(run_dbmcp({"--db", mysql_url(), "init", "--schema", admin_file}).exit_code == 0);
    const auto demo = run_dbmcp({"--db", demo_url, "init", "--demo"});
    CHECK_MESSAGE(demo.exit_code == 0, demo.err);
    const auto products = run_dbmcp({"--db", demo_url, "call", "count_records", R"({"table": "products"})"});
    CHECK_MESSAGE(products.exit_code == 0, products.err);
    CHECK(Json::parse(products.out)["count"].get<int64_t>() > 0);
    std::ofstream(admin_file) << "DROP DATABASE IF EXISTS " << demo_url.substr(demo_url.rfind('/') + 1);
    run_dbmcp({"--db", mysql_url(), "init", "--schema", admin_file});
  }

  // Issue 14: OpenSSL, which Connector/C starts in full, is started without its error texts and
  // cipher tables when the URL asks for no TLS (about 1 MiB). The aim is 10 MiB; measured 9.8-10.0
  // (bench/run.sh), 10.8 without the lean start: the bound keeps that gain and leaves half a MiB
  // for a machine that touches a few more library pages. Sizes mean nothing under a sanitizer.
  TEST_CASE("memory: an idle server on MariaDB stays near 10 MiB after its first call")
  {
    MysqlDatabase db;
    McpClient client({"--db", db.url()});
    CHECK(count(client, "users") == 5);
    const int pid = client.process().pid();
    if (!k_sanitized) {
      CHECK_MESSAGE(status_field(pid, "VmRSS") <= 10 * 1024 + 512,
                    "idle RSS " << status_field(pid, "VmRSS") << " kB (RssAnon " << status_field(pid, "RssAnon") << " kB)");
    }
  }

  // Issue 14: the records stay in the request line and only the next INSERT's rows (1,000 values
  // at most, whatever batch_size) are parsed and bound at a time. Measured here: 8.1 MiB over idle
  // for a 6.0 MiB line (1.35x; 3.1x when a batch of 10,000 rows was held and bound at once), about
  // what reading the line costs (LineReader's string doubles from 4 to 8 MiB, both alive during
  // the copy). The peak as a whole, about 18 MiB, is 3.0x this line with MariaDB's 10 MiB idle process
  // (bench/run.sh's 6.7 MiB line: 18.x MiB, aim 20.2): the growth is the bound checked.
  TEST_CASE("memory: a 100,000-row insert_records in batches of 10,000 on MariaDB grows the process by under 2x "
            "its line")
  {
    MysqlDatabase db;
    McpClient client({"--db", db.url()});
    CHECK(count(client, "users") == 5);
    const int pid = client.process().pid();
    const long idle = status_field(pid, "VmRSS");
    const Json arguments{{"table", "users"}, {"records", users(100, 100'000)}, {"batch_size", 10'000}};
    const long line_kib = static_cast<long>(arguments.dump().size() / 1024);
    const Json done = client.call_ok("insert_records", arguments);
    CHECK(done["inserted"] == 100'000);
    CHECK(done["batches"] == 10);
    CHECK(count(client, "users") == 100'005);
    if (k_sanitized) {
      return;
    }
    const long peak = status_field(pid, "VmHWM");
    INFO("peak " << peak << " kB, idle " << idle << " kB, line " << line_kib << " kB");
    CHECK(peak - idle <= 2 * line_kib);
  }

  // scripts/with-mariadb.sh starts the server with TLS on and an account x509user that it admits
  // only with a client certificate signed by its CA (REQUIRE X509).
  TEST_CASE("TLS: a client certificate (ssl-cert and ssl-key, or DB_SSL_CERT and DB_SSL_KEY) admits an account "
            "that requires one; without it the call fails saying what may be missing; ssl-mode=required uses TLS")
  {
    MysqlDatabase db;
    const std::string name = db.url().substr(db.url().rfind('/') + 1);
    const std::string tls_url = mysql_tls_url();
    const std::string x509_url = tls_url.substr(0, tls_url.rfind('/') + 1) + name;
    const std::string dir = mysql_tls_dir();
    const std::string ca = dir + "/ca.pem";
    const std::string cert = dir + "/client-cert.pem";
    const std::string key = dir + "/client-key.pem";

    McpClient with_certificate(
        {"--db", x509_url + "?ssl-mode=verify_ca&ssl-ca=" + ca + "&ssl-cert=" + cert + "&ssl-key=" + key});
    CHECK(with_certificate.call_ok("list_tables", Json::object())["tables"].size() == 3);
    CHECK(count(with_certificate, "users") == 5);

    McpClient from_environment({"--db", x509_url}, {{"DB_SSL_MODE", "verify_identity"},
                                                    {"DB_SSL_CA", ca},
                                                    {"DB_SSL_CERT", cert},
                                                    {"DB_SSL_KEY", key}});
    CHECK(count(from_environment, "products") == 3);

    McpClient without_certificate({"--db", x509_url + "?ssl-mode=verify_ca&ssl-ca=" + ca});
    const Json refused = without_certificate.call_error("list_tables", Json::object());
    CHECK(refused["code"] == "unavailable");
    const std::string message = refused["message"];
    CHECK_MESSAGE(message.find("Access denied for user 'x509user'") != std::string::npos, message);
    CHECK_MESSAGE(message.find("give ssl-cert and ssl-key") != std::string::npos, message);

    const auto half = run_dbmcp({"--db", x509_url + "?ssl-cert=" + cert, "call", "list_tables"});
    CHECK(half.exit_code != 0);
    CHECK_MESSAGE(half.err.find("ssl-cert needs ssl-key") != std::string::npos, half.err);

    // The session's own Ssl_cipher, read through a view: empty without TLS, a cipher with it.
    const std::string file = temp_dir() + "/tls_view.sql";
    std::ofstream(file) << "CREATE VIEW session_tls AS SELECT VARIABLE_VALUE AS cipher "
                           "FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_cipher';";
    const auto view = run_dbmcp({"--db", db.url(), "init", "--schema", file});
    REQUIRE_MESSAGE(view.exit_code == 0, view.err);
    McpClient plain({"--db", db.url()});
    const Json plain_rows = plain.call_ok("list_records", {{"table", "session_tls"}})["rows"];
    REQUIRE(plain_rows.size() == 1);
    CHECK(plain_rows[0]["cipher"] == "");
    McpClient required({"--db", db.url() + "?ssl-mode=required"});
    const Json required_rows = required.call_ok("list_records", {{"table", "session_tls"}})["rows"];
    REQUIRE(required_rows.size() == 1);
    CHECK(required_rows[0]["cipher"] != "");
  }

  TEST_CASE("a SQLite start never loads the MySQL module")
  {
    const std::string file = temp_dir() + "/plain.db";
    McpClient client({"--db", file, "--create"});
    client.call_ok("list_tables", Json::object());
    std::ifstream maps("/proc/" + std::to_string(client.process().pid()) + "/maps");
    const std::string mapped((std::istreambuf_iterator<char>(maps)), std::istreambuf_iterator<char>());
    CHECK(mapped.find("dbmcp-mysql") == std::string::npos);
    CHECK(mapped.find("libmariadb") == std::string::npos);
  }
}
