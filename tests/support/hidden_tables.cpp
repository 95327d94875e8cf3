#include "support/hidden_tables.hpp"

#include <doctest/doctest.h>

#include <algorithm>

namespace dbmcp::test {
namespace {

std::string lower(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Whether `text` names a hidden table, in any case.
bool names_hidden(const std::string& text)
{
  const std::string folded = lower(text);
  return folded.find("secrets") != std::string::npos || folded.find("secret_log") != std::string::npos;
}

} // namespace

std::string hidden_tables_sql(const std::string& secrets_name)
{
  return "CREATE TABLE " + secrets_name + " (id INTEGER PRIMARY KEY, token TEXT NOT NULL);\n"
         "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, vault_ref INTEGER REFERENCES " +
         secrets_name + "(id));\n"
         "CREATE TABLE audit (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id));\n"
         "CREATE TABLE secret_log (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES accounts(id));\n"
         "INSERT INTO " + secrets_name + " VALUES (1, 'tok-1');\n"
         "INSERT INTO accounts VALUES (1, 'a', 1), (2, 'b', NULL);\n"
         "INSERT INTO secret_log VALUES (1, 1);\n";
}

void check_hidden_tables_do_not_leak(McpClient& client)
{
  const Json tables = client.call_ok("list_tables", Json::object());
  CHECK_FALSE(names_hidden(tables.dump()));
  const Json described = client.call_ok("describe_table", {{"table", "accounts"}});
  CHECK_FALSE(names_hidden(described.dump()));
  CHECK(described["foreign_keys"].empty());
  CHECK(described["referenced_by"].size() == 1);
  const Json resource = client.request("resources/read", {{"uri", "db://tables/accounts/schema"}});
  CHECK_FALSE(names_hidden(resource.dump()));
  CHECK(resource.dump().find("audit") != std::string::npos);

  // include: a hidden table is neither loaded nor suggested.
  for (const std::string name : {"secrets", "Secrets", "secret_log", "secret_logs"}) {
    CAPTURE(name);
    const Json error = client.call_error("get_record", {{"table", "accounts"}, {"id", 1}, {"include", {name}}});
    CHECK(error["code"] == "invalid_argument");
    std::string message = error["message"].get<std::string>();
    message.erase(message.find("'" + name + "'"), name.size() + 2); // the caller's own word
    CHECK_FALSE(names_hidden(message));
    CHECK(message.find("audit") != std::string::npos);
  }
  const Json unknown = client.call_error("describe_table", {{"table", "secret"}});
  CHECK(unknown["message"].get<std::string>().find("did you mean") == std::string::npos);

  // Foreign-key errors name neither the hidden table nor its key.
  const Json insert =
      client.call_error("insert_record", {{"table", "accounts"}, {"record", {{"id", 3}, {"name", "c"}, {"vault_ref", 99}}}});
  CHECK(insert["code"] == "foreign_key_violation");
  CHECK_FALSE(names_hidden(insert.dump()));
  const Json update = client.call_error("update_record", {{"table", "accounts"}, {"id", 2}, {"set", Json::object({{"vault_ref", 98}})}});
  CHECK(update["code"] == "foreign_key_violation");
  CHECK_FALSE(names_hidden(update.dump()));
  const Json remove = client.call_error("delete_record", {{"table", "accounts"}, {"id", 1}});
  CHECK(remove["code"] == "foreign_key_violation");
  CHECK_FALSE(names_hidden(remove.dump()));
}

std::string excluded_tables_sql(const std::string& trigger_sql)
{
  return "CREATE TABLE vault_keys (id INTEGER PRIMARY KEY);\n"
         "CREATE TABLE wallets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, key_id INTEGER,\n"
         "  CONSTRAINT wallets_vault_keys_fk FOREIGN KEY (key_id) REFERENCES vault_keys(id));\n"
         "CREATE TABLE vault_log (id INTEGER PRIMARY KEY, wallet_id INTEGER,\n"
         "  CONSTRAINT vault_log_wallets_fk FOREIGN KEY (wallet_id) REFERENCES wallets(id));\n"
         "INSERT INTO vault_keys VALUES (1);\n"
         "INSERT INTO wallets VALUES (1, 'a', 1), (2, 'b', NULL);\n"
         "INSERT INTO vault_log VALUES (1, 1);\n" +
         trigger_sql;
}

void check_excluded_tables_not_named_by_errors(McpClient& client)
{
  const auto names_vault = [](const Json& error) {
    const std::string folded = lower(error.dump());
    return folded.find("vault_keys") != std::string::npos || folded.find("vault_log") != std::string::npos;
  };
  const Json tables = client.call_ok("list_tables", Json::object());
  CHECK_FALSE(names_vault(tables));
  CHECK(tables.dump().find("wallets") != std::string::npos);

  // An insert whose key is not in the hidden table it references.
  const Json insert =
      client.call_error("insert_record", {{"table", "wallets"}, {"record", {{"id", 3}, {"name", "c"}, {"key_id", 99}}}});
  CHECK(insert["code"] == "foreign_key_violation");
  CHECK_FALSE(names_vault(insert));
  // A delete of a row a hidden table references.
  const Json remove = client.call_error("delete_record", {{"table", "wallets"}, {"id", 1}});
  CHECK(remove["code"] == "foreign_key_violation");
  CHECK_FALSE(names_vault(remove));
  // A trigger whose message names the hidden table.
  const Json trigger = client.call_error("insert_record", {{"table", "wallets"}, {"record", {{"id", 4}, {"name", "trip"}}}});
  CHECK_FALSE(names_vault(trigger));
  CHECK(trigger["message"].get<std::string>().find("wallets") != std::string::npos);
  // Nothing was written, and the visible rows are intact.
  CHECK(client.call_ok("get_record", {{"table", "wallets"}, {"id", 1}}).dump().find("\"a\"") != std::string::npos);
  CHECK(client.call_error("get_record", {{"table", "wallets"}, {"id", 4}})["code"] == "not_found");
}

} // namespace dbmcp::test
