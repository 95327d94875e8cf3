#pragma once

// The access policy (--policy, issue 16) as a client sees it, black-box, on any relational database: the schema,
// the policy (TOML and JSON) and a sweep over every tool and argument shape that must never reveal a hidden table,
// a hidden column, a masked value or a row outside the row filter, while the row filter confines every read and
// write, dry_run writes nothing and max_affected_rows (global and per table) rolls back. Shared by the SQLite and
// PostgreSQL e2e tests, which only say how to make a fresh database and run SQL on it; policy_sweep_probes.hpp
// holds the narrower scenarios.
//
// Written from the policy's specification (helper-notes/policy.md, issue 16), not from its code: refusals are
// checked by their `code` and by what they must not say, never by their wording.
#include "support/json_lines.hpp"
#include "support/policy_sweep_client.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace dbmcp::test::policy_sweep {

// A fresh database of the engine under test.
struct Database
{
  std::string url;                                    // for --db
  std::function<std::string(const std::string&)> sql; // runs SQL beside dbmcp; rows as "a|b\n"
};

// The schema, portable between SQLite and PostgreSQL (every id is given explicitly).
//   accounts   visible; row filter tenant_id = 42; hidden password_hash (NOT NULL DEFAULT, in a CHECK
//              and an index); masked email (email), phone (fixed), national_id (hash)
//   vault_keys hidden; it refers to accounts, and notes.key_id refers to it (account 1007: only it)
//   notes      visible; row filter tenant_id = 42; max_affected_rows 5 (above the global 1); note 3009 is
//              tenant 42's but its account is tenant 7's
//   plans      read-only ("read"); archive: not named, so default_access ("read")
//   badges     read + insert only; hidden secret_pin NOT NULL without default (so inserts fail)
//   tags       write, under the global --max-affected-rows 1
inline const char* k_schema = R"sql(
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  phone TEXT,
  national_id TEXT,
  password_hash TEXT NOT NULL DEFAULT 'unset-pw',
  age INTEGER,
  CHECK (age IS NULL OR age >= 0 OR password_hash = 'override')
);
CREATE INDEX accounts_by_password_hash ON accounts (password_hash);
CREATE TABLE vault_keys (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  token TEXT NOT NULL
);
CREATE TABLE notes (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  key_id INTEGER REFERENCES vault_keys (id),
  body TEXT NOT NULL
);
CREATE TABLE plans (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INTEGER NOT NULL);
CREATE TABLE archive (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE badges (id INTEGER PRIMARY KEY, label TEXT NOT NULL, secret_pin TEXT NOT NULL);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO accounts (id, tenant_id, name, email, phone, national_id, password_hash, age) VALUES
  (1001, 42, 'Zoe', 'zoe@hidden.example', '+1-555-0199-77', 'NID-9931-zoe', 'secret-hash-7f3a', 34),
  (1002, 42, 'Yann', 'yann@hidden.example', '+1-555-0142-77', 'NID-9932-yann', 'secret-hash-8b2c', 51),
  (1003, 42, 'Xena', 'xena@hidden.example', NULL, NULL, 'secret-hash-9d4e', 28),
  (1007, 42, 'Vic', 'vic@hidden.example', NULL, NULL, 'secret-hash-1c1c', NULL),
  (2001, 7, 'Mallory-of-tenant-7', 'mallory@other.example', '+1-555-0666-77', 'NID-6666-mal', 'secret-hash-0a0a', 40),
  (2002, 7, 'Trent-of-tenant-7', 'trent@other.example', NULL, NULL, 'secret-hash-0b0b', 45);
INSERT INTO vault_keys (id, account_id, token) VALUES
  (1, 1001, 'vault-token-91c2'), (2, 2001, 'vault-token-a7e0'), (3, 1007, 'vault-token-3e3e');
INSERT INTO notes (id, tenant_id, account_id, key_id, body) VALUES
  (3001, 42, 1001, NULL, 'note one'), (3002, 42, 1001, 1, 'note two'), (3003, 42, 1002, NULL, 'note three'),
  (3004, 42, 1002, NULL, 'note four'), (3005, 42, 1003, NULL, 'note five'), (3006, 42, 1003, NULL, 'note six'),
  (3007, 7, 1001, NULL, 'other-tenant-note-55d1'), (3008, 7, 2001, 2, 'mallory-note-e3f9'),
  (3009, 42, 2001, NULL, 'a note on a foreign account');
INSERT INTO plans (id, name, price) VALUES (1, 'basic', 10), (2, 'pro', 20);
INSERT INTO archive (id, label) VALUES (1, 'old');
INSERT INTO badges (id, label, secret_pin) VALUES (1, 'gold', 'pin-4421-secret');
INSERT INTO tags (id, name) VALUES (1, 'red'), (2, 'red'), (3, 'blue');
)sql";

// The policy above, as TOML and as JSON (the same keys).
inline const char* k_policy_toml = R"toml(
default_access = "read"

[tables.vault_keys]
access = "hidden"

[tables.accounts]
access = "write"
hidden_columns = ["password_hash"]
masked_columns = { email = "email", phone = "fixed", national_id = "hash" }
row_filter = { tenant_id = 42 }
max_affected_rows = 100

[tables.notes]
access = "write"
row_filter = { tenant_id = 42 }
max_affected_rows = 5

[tables.plans]
access = "read"

[tables.badges]
access = ["read", "insert"]
hidden_columns = ["secret_pin"]

[tables.tags]
access = "write"
)toml";

inline const char* k_policy_json = R"json({
  "default_access": "read",
  "tables": {
    "vault_keys": {"access": "hidden"},
    "accounts": {"access": "write", "hidden_columns": ["password_hash"],
                 "masked_columns": {"email": "email", "phone": "fixed", "national_id": "hash"},
                 "row_filter": {"tenant_id": 42}, "max_affected_rows": 100},
    "notes": {"access": "write", "row_filter": {"tenant_id": 42}, "max_affected_rows": 5},
    "plans": {"access": "read"},
    "badges": {"access": ["read", "insert"], "hidden_columns": ["secret_pin"]},
    "tags": {"access": "write"}
  }
})json";

// Names the model must never see (compared case-insensitively).
inline const std::vector<std::string> k_hidden_names = {"vault_keys", "password_hash", "secret_pin"};

// Values that must never leave the server unmasked: hidden columns' values, masked columns' values, the hidden
// table's values and every value of tenant 7's rows.
inline const std::vector<std::string> k_secret_values = {"secret-hash-",
                                                         "unset-pw",
                                                         "zoe@hidden",
                                                         "yann@hidden",
                                                         "xena@hidden",
                                                         "vic@hidden",
                                                         "0199-77",
                                                         "0142-77",
                                                         "NID-99",
                                                         "vault-token-",
                                                         "pin-4421",
                                                         "Mallory",
                                                         "Trent",
                                                         "@other.example",
                                                         "0666-77",
                                                         "NID-6666",
                                                         "other-tenant-note-55d1",
                                                         "mallory-note-e3f9"};

// The sha256 mask of `value` as the policy defines it: "sha256:" + the first 16 hex digits.
inline std::string hash_mask(const std::string& value)
{
  const auto digest = run({"/usr/bin/env", "sh", "-c", "printf %s \"$1\" | sha256sum", "sh", value});
  REQUIRE(digest.exit_code == 0);
  return "sha256:" + digest.out.substr(0, 16);
}

// Writes the schema and the policy file; returns the policy file's path.
inline std::string prepare(const Database& db, bool toml)
{
  db.sql(k_schema);
  static int files = 0;
  const std::string path = temp_dir() + "/policy" + std::to_string(++files) + (toml ? ".toml" : ".json");
  std::ofstream(path) << (toml ? k_policy_toml : k_policy_json);
  return path;
}

// The code of a failing call's result.
inline std::string code_of(const Json& error)
{
  return error.value("code", std::string("(no code)"));
}

inline void check_no_leak(const std::string& what, const std::string& bytes, const std::vector<std::string>& words)
{
  const std::string haystack = lowercase(bytes);
  for (const auto& word : words) {
    const auto at = haystack.find(lowercase(word));
    const size_t from = at == std::string::npos ? 0 : (at > 160 ? at - 160 : 0);
    CHECK_MESSAGE(at == std::string::npos, what << " reveals '" << word << "' in: …"
                                                << (at == std::string::npos ? "" : bytes.substr(from, 360)) << "…");
  }
}

// The payloads of every next_cursor / nextCursor in `transcript` (base64url before the '.'), decoded, one
// a line: a cursor is opaque to the client but must not carry what the policy hides either.
inline std::string decoded_cursors(const std::string& transcript)
{
  static const std::string k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string decoded;
  for (const std::string key : {"next_cursor", "nextCursor"}) {
    for (size_t at = transcript.find(key); at != std::string::npos; at = transcript.find(key, at + 1)) {
      size_t begin = at + key.size();
      while (begin < transcript.size() &&
             std::string_view("\\\": ").find(transcript[begin]) != std::string_view::npos) {
        ++begin;
      }
      uint32_t bits = 0;
      int count = 0;
      for (size_t i = begin; i < transcript.size(); ++i) {
        const auto value = k_alphabet.find(transcript[i]);
        if (value == std::string::npos) {
          break;
        }
        bits = (bits << 6) | static_cast<uint32_t>(value);
        count += 6;
        if (count >= 8) {
          count -= 8;
          decoded += static_cast<char>((bits >> count) & 0xFF);
        }
      }
      decoded += '\n';
    }
  }
  return decoded;
}

// Every object in `json` (at any depth) whose "name" is `name`, appended to `found`.
inline void entries_named(const Json& json, const std::string& name, std::vector<Json>& found)
{
  if (json.is_object() && json.contains("name") && json["name"] == name) {
    found.push_back(json);
  }
  if (json.is_structured()) {
    for (const auto& item : json) {
      entries_named(item, name, found);
    }
  }
}

// One row of `sql` (e.g. "Mallory-of-tenant-7|40"), without the newline.
inline std::string one_row(const Database& db, const std::string& sql)
{
  std::string out = db.sql(sql);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

// Follows next_cursor from `first` until the last page; returns every row seen.
inline std::vector<Json> all_pages(SweepClient& client, const std::string& tool, Json arguments)
{
  std::vector<Json> rows;
  for (int page = 0; page < 20; ++page) {
    Json answer = client.call_ok(tool, arguments);
    for (const auto& row : answer["rows"]) {
      rows.push_back(row);
    }
    const Json next = answer.value("next_cursor", Json());
    if (!next.is_string()) {
      return rows;
    }
    arguments["cursor"] = next;
    arguments.erase("offset");
  }
  FAIL("more than 20 pages");
  return rows;
}

// Runs the sweep through one era of the protocol on a fresh `db`, with the policy as TOML or JSON: writes must land
// as the policy says, and no byte of stdout may reveal a hidden name or a secret value (stderr: no secret value; it
// is the operator's log and may name what the policy hides, e.g. in a start-up warning).
inline void sweep_every_tool(const Database& db, Era era, bool toml)
{
  const std::string policy = prepare(db, toml);
  SweepClient client({"--db", db.url, "--policy", policy, "--max-affected-rows", "1"}, era);

  // --- The catalog as the model sees it: tools, resources, completion, diagnostics.
  Json tools = client.request("tools/list", Json::object());
  while (tools["result"].contains("nextCursor") && tools["result"]["nextCursor"].is_string()) {
    tools = client.request("tools/list", {{"cursor", tools["result"]["nextCursor"]}});
  }
  Json resources = client.request("resources/list", Json::object());
  REQUIRE_MESSAGE(resources.contains("result"), resources.dump());
  for (const auto& resource : resources["result"]["resources"]) {
    client.request("resources/read", {{"uri", resource["uri"]}});
  }
  client.request("resources/templates/list", Json::object());
  for (const std::string prefix : {"", "v", "va", "vault", "a", "acc", "n", "b"}) {
    Json done = client.request("completion/complete",
                               {{"ref", {{"type", "ref/resource"}, {"uri", "db://tables/{table}/schema"}}},
                                {"argument", {{"name", "table"}, {"value", prefix}}}});
    if (prefix.empty()) {
      REQUIRE_MESSAGE(done.contains("result"), done.dump());
      const Json values = done["result"]["completion"]["values"];
      CHECK(std::find(values.begin(), values.end(), Json("accounts")) != values.end());
    }
  }
  Json tables = client.call_ok("list_tables", Json::object());
  CHECK(tables.dump().find("\"accounts\"") != std::string::npos);
  client.call("list_tables", {{"pattern", "v*"}});
  client.call("list_tables", {{"pattern", "*keys*"}});
  // Counts say nothing of what is hidden or filtered away: a table's column and index counts are those
  // describe_table shows, and a row-filtered table's row count, where one is given, is the row filter's.
  Json diagnostics = client.call("database_diagnostics", Json::object());
  for (const std::string table : {"accounts", "notes", "plans", "archive", "badges", "tags"}) {
    Json described = client.call_ok("describe_table", {{"table", table}});
    client.request("resources/read", {{"uri", "db://tables/" + table + "/schema"}});
    const Json count = client.call_ok("count_records", {{"table", table}})["count"];
    std::vector<Json> entries;
    entries_named(tables, table, entries);
    entries_named(diagnostics, table, entries);
    CHECK(entries.size() >= 1);
    for (const auto& entry : entries) {
      INFO(table << ": " << entry.dump());
      if (entry.contains("columns") && entry["columns"].is_number()) {
        CHECK(entry["columns"] == described["columns"].size());
      }
      if (entry.contains("indexes") && entry["indexes"].is_number()) {
        CHECK(entry["indexes"] == described["indexes"].size());
      }
      for (const std::string key : {"rows", "row_count", "row_estimate", "estimated_rows"}) {
        const bool filtered = table == "accounts" || table == "notes"; // elsewhere an estimate may lag
        if (filtered && entry.contains(key) && entry[key].is_number()) {
          CHECK(entry[key] == count);
        }
      }
    }
  }

  // --- Reads: get_record with include and columns, masks in place, hidden column absent.
  Json zoe = client.call_ok("get_record", {{"table", "accounts"}, {"id", 1001}, {"include", {"notes"}}});
  CHECK(zoe["record"]["email"] == "z***@hidden.example");
  CHECK(zoe["record"]["phone"] == "***");
  CHECK(zoe["record"]["national_id"] == hash_mask("NID-9931-zoe"));
  CHECK(zoe["record"]["tenant_id"] == 42);
  CHECK(zoe["related"]["notes"]["rows"].size() == 2); // 3007 (tenant 7, same account) confined away
  Json xena = client.call_ok("get_record", {{"table", "accounts"}, {"id", 1003}});
  CHECK(xena["record"]["phone"].is_null()); // NULL stays NULL under a mask
  client.call("get_record", {{"table", "accounts"}, {"id", 1001}, {"columns", {"name", "email", "phone"}}});
  Json with_parent = client.call_ok("get_record", {{"table", "notes"}, {"id", 3002}, {"include", {"accounts"}}});
  // A parent (through the note's foreign key) is included as one row, or null when there is none.
  CHECK(with_parent["related"]["accounts"]["email"] == "z***@hidden.example");
  // The included table's row filter applies too: this note's account is tenant 7's.
  Json foreign = client.call_ok("get_record", {{"table", "notes"}, {"id", 3009}, {"include", {"accounts"}}});
  CHECK(foreign["related"]["accounts"].is_null());
  client.call("get_record", {{"table", "notes"}, {"id", 3002}});
  CHECK(code_of(client.call_error("get_record", {{"table", "accounts"}, {"id", 2001}})) == "not_found");
  CHECK(code_of(client.call_error("get_record", {{"table", "accounts"}, {"key", {{"id", 2002}}}})) == "not_found");
  CHECK(code_of(client.call_error("get_record", {{"table", "notes"}, {"id", 3008}})) == "not_found");
  CHECK(code_of(client.call_error("get_record", {{"table", "accounts"}, {"id", 2001}, {"include", {"notes"}}})) ==
        "not_found");

  // list_records: where, order_by, columns, cursor pages; only tenant 42's rows.
  const auto accounts = all_pages(client, "list_records", {{"table", "accounts"}, {"limit", 1}, {"order_by", "-age"}});
  CHECK(accounts.size() == 4);
  for (const auto& row : accounts) {
    CHECK(row["tenant_id"] == 42);
    CHECK_FALSE(row.contains("password_hash"));
  }
  const auto notes =
      all_pages(client, "list_records", {{"table", "notes"}, {"limit", 2}, {"order_by", {"account_id", "-id"}}});
  CHECK(notes.size() == 7);
  client.call("list_records", {{"table", "accounts"},
                               {"where", {{"age", {{"gte", 0}}}}},
                               {"columns", {"id", "email", "phone", "national_id"}}});
  // An "or" cannot widen the row filter: it is ANDed around the whole where.
  Json widened = client.call_ok(
      "list_records",
      {{"table", "accounts"}, {"where", {{"or", Json::array({Json{{"tenant_id", 7}}, Json{{"age", {{"gt", 39}}}}})}}}});
  CHECK(widened["rows"].size() == 1); // Yann (51); not Mallory (40) nor Trent (45)
  for (const auto& row : widened["rows"]) {
    CHECK(row["tenant_id"] == 42);
  }
  CHECK(client.call_ok("list_records", {{"table", "accounts"}, {"where", {{"tenant_id", 7}}}})["rows"].empty());
  CHECK(
      client.call_ok("list_records", {{"table", "notes"}, {"where", {{"not", {{"tenant_id", 42}}}}}})["rows"].empty());
  client.call("list_records", {{"table", "accounts"}, {"offset", 2}, {"limit", 5}, {"include_total", true}});
  client.call("list_records", {{"table", "badges"}});

  // Masked columns: no filter, sort, search, group or aggregate may recover them.
  const Json on_email = {{"email", {{"like", "z%"}}}};
  CHECK(code_of(client.call_error("list_records", {{"table", "accounts"}, {"where", on_email}})) == "invalid_argument");
  CHECK(code_of(
            client.call_error("count_records", {{"table", "accounts"}, {"where", {{"phone", {{"is_null", true}}}}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("list_records", {{"table", "accounts"}, {"order_by", "email"}})) ==
        "invalid_argument");
  // Nested under or / not: still a filter on the masked column.
  const Json nested = {{"or", Json::array({Json{{"email", {{"like", "z%"}}}}, Json{{"id", 0}}})}};
  CHECK(code_of(client.call_error("list_records", {{"table", "accounts"}, {"where", nested}})) == "invalid_argument");
  CHECK(code_of(client.call_error(
            "count_records", {{"table", "accounts"}, {"where", {{"not", {{"national_id", {{"is_null", true}}}}}}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("aggregate_records",
                                  {{"table", "accounts"}, {"aggregates", {{{"fn", "count"}, {"column", "phone"}}}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("search_records", {{"table", "accounts"}, {"query", "z"}, {"order_by", "-email"}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("list_records", {{"table", "accounts"}, {"order_by", "-national_id"}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("search_records",
                                  {{"table", "accounts"}, {"query", "z"}, {"search_columns", {"email"}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("aggregate_records", {{"table", "accounts"}, {"group_by", {"email"}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("aggregate_records",
                                  {{"table", "accounts"}, {"aggregates", {{{"fn", "min"}, {"column", "email"}}}}})) ==
        "invalid_argument");
  CHECK(code_of(
            client.call_error("update_records", {{"table", "accounts"}, {"where", on_email}, {"set", {{"age", 1}}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("delete_records", {{"table", "accounts"}, {"where", on_email}, {"dry_run", true}})) ==
        "invalid_argument");

  // search_records: no match through a masked column, a hidden column or another tenant's row.
  CHECK(client.call_ok("search_records", {{"table", "accounts"}, {"query", "hidden.example"}})["rows"].empty());
  CHECK(client.call_ok("search_records", {{"table", "accounts"}, {"query", "9931"}})["rows"].empty());
  CHECK(client.call_ok("search_records", {{"table", "accounts"}, {"query", "secret-hash"}})["rows"].empty());
  CHECK(client.call_ok("search_records", {{"table", "accounts"}, {"query", "of-tenant"}})["rows"].empty());
  CHECK(client.call_ok("search_records", {{"table", "accounts"}, {"query", "Zoe"}})["rows"].size() == 1);
  CHECK(client.call_ok("search_records", {{"table", "notes"}, {"query", "note"}, {"limit", 2}})["rows"].size() == 2);
  CHECK(client.call_ok("search_records", {{"table", "notes"}, {"query", "mallory"}})["rows"].empty());
  CHECK(client.call_ok("search_records", {{"table", "notes"}, {"query", "foreign"}})["rows"].size() == 1);
  client.call("search_records", {{"table", "notes"}, {"query", "note"}, {"mode", "fulltext"}});
  client.call("search_records", {{"table", "accounts"}, {"query", "Zoe"}, {"mode", "fulltext"}});
  // Full text over a table with masked columns: refused, or no match through them.
  Json ranked = client.call("search_records", {{"table", "accounts"}, {"query", "hidden"}, {"mode", "fulltext"}});
  if (!ranked.value("isError", false)) {
    CHECK(ranked["structuredContent"]["rows"].empty());
  }
  client.call("search_records",
              {{"table", "notes"}, {"query", "tenant"}, {"search_columns", {"body"}}, {"order_by", "-id"}});

  // count and aggregate, with group_by and aliases.
  CHECK(client.call_ok("count_records", {{"table", "accounts"}})["count"] == 4);
  CHECK(client.call_ok("count_records", {{"table", "notes"}, {"where", {{"account_id", 1001}}}})["count"] == 2);
  Json groups = client.call_ok(
      "aggregate_records",
      {{"table", "accounts"},
       {"group_by", {"tenant_id"}},
       {"aggregates", {{{"fn", "count"}, {"as", "n"}}, {{"fn", "avg"}, {"column", "age"}, {"as", "mean_age"}}}},
       {"order_by", {"-n"}}});
  REQUIRE(groups["rows"].size() == 1);
  CHECK(groups["rows"][0]["tenant_id"] == 42);
  CHECK(groups["rows"][0]["n"] == 4);
  Json note_groups = client.call_ok("aggregate_records", {{"table", "notes"}, {"group_by", {"tenant_id"}}});
  REQUIRE(note_groups["rows"].size() == 1);
  CHECK(note_groups["rows"][0]["tenant_id"] == 42);
  CHECK(note_groups["rows"][0]["count"] == 7);
  client.call("aggregate_records", {{"table", "notes"},
                                    {"group_by", {"account_id"}},
                                    {"aggregates", {{{"fn", "max"}, {"column", "body"}, {"as", "last_body"}}}}});
  client.call("aggregate_records", {{"table", "accounts"}, {"aggregates", {{{"fn", "sum"}, {"column", "age"}}}}});

  // --- Misspelt names: "did you mean" is computed over visible names only.
  client.call("describe_table", {{"table", "vault_key"}});
  client.call("describe_table", {{"table", "vaultkeys"}});
  client.call("list_records", {{"table", "vault_kyes"}});
  client.call("describe_table", {{"table", "acounts"}});
  client.call("list_records", {{"table", "accounts"}, {"where", {{"password_hsh", "x"}}}});
  client.call("list_records", {{"table", "accounts"}, {"columns", {"pasword_hash"}}});
  client.call("list_records", {{"table", "accounts"}, {"order_by", "password_has"}});
  client.call("list_records", {{"table", "badges"}, {"where", {{"secret_pn", 1}}}});
  client.call("search_records", {{"table", "accounts"}, {"query", "x"}, {"search_columns", {"password_hsh"}}});
  client.call("aggregate_records", {{"table", "accounts"}, {"group_by", {"password_hsh"}}});
  client.call("aggregate_records",
              {{"table", "accounts"}, {"aggregates", {{{"fn", "max"}, {"column", "password_hsh"}}}}});
  client.call("get_record", {{"table", "accounts"}, {"id", 1001}, {"include", {"vault_key"}}});
  client.call("get_record", {{"table", "accounts"}, {"id", 1001}, {"include", {"plans"}}});
  client.call("insert_record", {{"table", "accounts"},
                                {"record", {{"id", 1010}, {"name", "Q"}, {"email", "q@new.example"}}},
                                {"related", {{"vault_key", Json::array()}}}});
  client.call("insert_record",
              {{"table", "accounts"},
               {"record", {{"id", 1011}, {"name", "Q"}, {"email", "q2@new.example"}, {"password_hsh", "x"}}}});
  client.call("update_record", {{"table", "accounts"}, {"id", 1001}, {"set", {{"password_hsh", "x"}}}});
  client.request("resources/read", {{"uri", "db://tables/vault_key/schema"}});

  // --- Writes on tables the policy does not let you write: read_only, nothing written.
  const Json read_only_rows = {{"plans", {{"id", 9}, {"name", "x"}, {"price", 1}}},
                               {"archive", {{"id", 9}, {"label", "x"}}}};
  for (const std::string table : {"plans", "archive"}) {
    const Json& row = read_only_rows[table];
    CHECK(code_of(client.call_error("insert_record", {{"table", table}, {"record", row}})) == "read_only");
    CHECK(code_of(client.call_error("insert_records", {{"table", table}, {"records", Json::array({row})}})) ==
          "read_only");
    CHECK(code_of(client.call_error("update_record", {{"table", table}, {"id", 1}, {"set", {{"id", 1}}}})) ==
          "read_only");
    CHECK(code_of(client.call_error("update_records",
                                    {{"table", table}, {"where", {{"id", 1}}}, {"set", {{"id", 1}}}})) == "read_only");
    CHECK(code_of(client.call_error("delete_record", {{"table", table}, {"id", 1}})) == "read_only");
    CHECK(code_of(client.call_error("delete_records", {{"table", table}, {"where", {{"id", 1}}}})) == "read_only");
    CHECK(code_of(client.call_error("delete_records", {{"table", table}, {"where", {{"id", 1}}}, {"dry_run", true}})) ==
          "read_only");
  }
  CHECK(one_row(db, "SELECT count(*) FROM plans") == "2");
  CHECK(one_row(db, "SELECT count(*) FROM archive") == "1");
  CHECK(code_of(client.call_error("update_record", {{"table", "badges"}, {"id", 1}, {"set", {{"label", "x"}}}})) ==
        "read_only");
  CHECK(code_of(client.call_error("delete_record", {{"table", "badges"}, {"id", 1}})) == "read_only");
  CHECK(code_of(client.call_error("delete_records", {{"table", "badges"}, {"where", {{"id", 1}}}})) == "read_only");
  CHECK(one_row(db, "SELECT label FROM badges WHERE id = 1") == "gold");

  // --- Constraint violations that involve a hidden column or table: refused, naming neither.
  client.call_error("insert_record",
                    {{"table", "badges"}, {"record", {{"id", 2}, {"label", "silver"}}}}); // NOT NULL secret_pin
  client.call_error("insert_records", {{"table", "badges"}, {"records", {{{"id", 3}, {"label", "bronze"}}}}});
  client.call_error("update_record",
                    {{"table", "accounts"}, {"id", 1002}, {"set", {{"age", -5}}}}); // CHECK with password_hash
  client.call_error("update_records", {{"table", "accounts"}, {"where", {{"id", 1002}}}, {"set", {{"age", -5}}}});
  client.call_error(
      "insert_record",
      {{"table", "notes"}, {"record", {{"id", 3020}, {"account_id", 1001}, {"key_id", 999}, {"body", "fk"}}}});
  client.call_error("update_record", {{"table", "notes"}, {"id", 3001}, {"set", {{"key_id", 999}}}});
  client.call_error("delete_record", {{"table", "accounts"}, {"id", 1001}}); // vault_keys and notes refer to it
  client.call_error("delete_record", {{"table", "accounts"}, {"id", 1007}}); // vault_keys alone refers to it
  client.call_error("delete_records", {{"table", "accounts"}, {"where", {{"name", "Vic"}}}});
  CHECK(one_row(db, "SELECT count(*) FROM accounts") == "6");

  // --- The row filter confines every write. Other tenants' rows: not found, untouched.
  CHECK(code_of(client.call_error("update_record", {{"table", "accounts"}, {"id", 2001}, {"set", {{"age", 99}}}})) ==
        "not_found");
  CHECK(code_of(client.call_error("delete_record", {{"table", "accounts"}, {"id", 2002}})) == "not_found");
  CHECK(code_of(client.call_error("delete_record", {{"table", "notes"}, {"id", 3007}})) == "not_found");
  CHECK(code_of(client.call_error("update_record", {{"table", "notes"}, {"id", 3008}, {"set", {{"body", "x"}}}})) ==
        "not_found");
  // Into another tenant: refused.
  CHECK(code_of(client.call_error(
            "insert_record",
            {{"table", "accounts"},
             {"record", {{"id", 1013}, {"tenant_id", 7}, {"name", "Out"}, {"email", "out@new.example"}}}})) ==
        "invalid_argument");
  CHECK(
      code_of(client.call_error("update_record", {{"table", "accounts"}, {"id", 1003}, {"set", {{"tenant_id", 7}}}})) ==
      "invalid_argument");
  CHECK(code_of(client.call_error("update_records",
                                  {{"table", "notes"}, {"where", {{"id", 3001}}}, {"set", {{"tenant_id", 7}}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("insert_records",
                                  {{"table", "notes"},
                                   {"records",
                                    {{{"id", 3030}, {"tenant_id", 42}, {"account_id", 1001}, {"body", "in"}},
                                     {{"id", 3031}, {"tenant_id", 7}, {"account_id", 1001}, {"body", "out"}}}}})) ==
        "invalid_argument");
  CHECK(code_of(client.call_error("insert_record",
                                  {{"table", "accounts"},
                                   {"record", {{"id", 1014}, {"name", "Par"}, {"email", "par@new.example"}}},
                                   {"related", {{"notes", {{{"id", 3032}, {"tenant_id", 7}, {"body", "out"}}}}}}})) ==
        "invalid_argument");
  CHECK(one_row(db, "SELECT count(*) FROM accounts") == "6");
  // An or / not in a write's where cannot reach past the row filter either.
  const Json or_other = {{"or", Json::array({Json{{"tenant_id", 7}}, Json{{"id", 1002}}})}};
  CHECK(client.call_ok("update_records",
                       {{"table", "accounts"}, {"where", or_other}, {"set", {{"age", 51}}}})["updated"] == 1);
  CHECK(client.call_ok("delete_records", {{"table", "notes"}, {"where", {{"not", {{"tenant_id", 42}}}}}})["deleted"] ==
        0);
  CHECK(one_row(db, "SELECT age FROM accounts WHERE id = 2001") == "40");
  CHECK(one_row(db, "SELECT count(*) FROM notes") == "9");
  CHECK(one_row(db, "SELECT tenant_id FROM accounts WHERE id = 1003") == "42");
  CHECK(one_row(db, "SELECT tenant_id FROM notes WHERE id = 3001") == "42");
  // Omitted filter column: filled in; the answer masked, without the hidden column.
  Json walt = client.call_ok("insert_record",
                             {{"table", "accounts"},
                              {"record", {{"id", 1004}, {"name", "Walt"}, {"email", "walt@new.example"}, {"age", 40}}},
                              {"related", {{"notes", {{{"id", 3040}, {"body", "walt note"}}}}}}});
  CHECK(walt["record"]["tenant_id"] == 42);
  CHECK(walt["record"]["email"] == "w***@new.example");
  CHECK_FALSE(walt["record"].contains("password_hash"));
  CHECK(one_row(db, "SELECT tenant_id, email FROM accounts WHERE id = 1004") == "42|walt@new.example");
  CHECK(one_row(db, "SELECT tenant_id FROM notes WHERE id = 3040") == "42");
  Json batch =
      client.call_ok("insert_records", {{"table", "notes"},
                                        {"records",
                                         {{{"id", 3041}, {"account_id", 1004}, {"body", "b1"}},
                                          {{"id", 3042}, {"tenant_id", 42}, {"account_id", 1004}, {"body", "b2"}}}}});
  CHECK(batch["inserted"] == 2);
  CHECK(one_row(db, "SELECT count(*) FROM notes WHERE tenant_id = 42 AND id IN "
                    "(3041, 3042)") == "2");
  // Bulk writes reach tenant 42's rows only; their answers are masked.
  Json aged_preview = client.call_ok(
      "update_records",
      {{"table", "accounts"}, {"where", {{"age", {{"gte", 0}}}}}, {"set", {{"age", 30}}}, {"dry_run", true}});
  CHECK(aged_preview["updated"] == 4);
  CHECK(one_row(db, "SELECT count(*) FROM accounts WHERE age = 30") == "0"); // dry_run wrote nothing
  Json aged = client.call_ok("update_records",
                             {{"table", "accounts"}, {"where", {{"age", {{"gte", 0}}}}}, {"set", {{"age", 30}}}});
  CHECK(aged["updated"] == 4);
  CHECK(one_row(db, "SELECT count(*) FROM accounts WHERE age = 30") == "4");
  CHECK(one_row(db, "SELECT age FROM accounts WHERE id = 2001") == "40");
  CHECK(one_row(db, "SELECT age FROM accounts WHERE id = 2002") == "45");
  Json renamed = client.call_ok("update_record", {{"table", "accounts"}, {"id", 1002}, {"set", {{"name", "Yannick"}}}});
  CHECK(renamed["record"]["email"] == "y***@hidden.example");
  // The per-table limit (5) replaces the global one (1): 4 rows pass, 9 roll back.
  Json four = client.call_ok("update_records",
                             {{"table", "notes"}, {"where", {{"id", {{"lte", 3004}}}}}, {"set", {{"body", "edited"}}}});
  CHECK(four["updated"] == 4);
  CHECK(one_row(db, "SELECT body FROM notes WHERE id = 3007") == "other-tenant-note-55d1");
  CHECK(code_of(client.call_error("update_records", {{"table", "notes"},
                                                     {"where", {{"id", {{"gte", 3000}}}}},
                                                     {"set", {{"body", "all"}}}})) == "too_many_rows");
  CHECK(one_row(db, "SELECT count(*) FROM notes WHERE body = 'all'") == "0");
  CHECK(code_of(client.call_error("delete_records", {{"table", "notes"}, {"where", {{"body", {{"like", "%"}}}}}})) ==
        "too_many_rows");
  CHECK(one_row(db, "SELECT count(*) FROM notes") == "12");
  // The global limit (1) where the policy sets none.
  CHECK(code_of(client.call_error("update_records",
                                  {{"table", "tags"}, {"where", {{"name", "red"}}}, {"set", {{"name", "crimson"}}}})) ==
        "too_many_rows");
  CHECK(one_row(db, "SELECT count(*) FROM tags WHERE name = 'red'") == "2");
  CHECK(client.call_ok("update_records",
                       {{"table", "tags"}, {"where", {{"name", "blue"}}}, {"set", {{"name", "navy"}}}})["updated"] ==
        1);
  // Deletes: dry_run counts tenant 42's rows and deletes nothing; the real delete spares tenant 7.
  Json doomed =
      client.call_ok("delete_records", {{"table", "notes"}, {"where", {{"account_id", 1001}}}, {"dry_run", true}});
  CHECK(doomed["deleted"] == 2);
  CHECK(one_row(db, "SELECT count(*) FROM notes WHERE account_id = 1001") == "3");
  CHECK(client.call_ok("delete_records", {{"table", "notes"}, {"where", {{"account_id", 1001}}}})["deleted"] == 2);
  CHECK(one_row(db, "SELECT id FROM notes WHERE account_id = 1001") == "3007");
  Json gone = client.call_ok("delete_records", {{"table", "notes"}, {"where", {{"account_id", 1004}}}});
  CHECK(gone["deleted"] == 3);
  CHECK(one_row(db, "SELECT count(*) FROM notes WHERE id = 3007") == "1");
  CHECK(one_row(db, "SELECT count(*) FROM notes WHERE id = 3008") == "1");
  CHECK(client.call_ok("delete_record", {{"table", "accounts"}, {"id", 1004}})["deleted"]["email"] ==
        "w***@new.example");
  CHECK(one_row(db, "SELECT count(*) FROM accounts WHERE tenant_id = 7") == "2");

  // --- Every byte written.
  client.finish();
  const std::string said = client.transcript() + decoded_cursors(client.transcript());
  check_no_leak("stdout", said, k_hidden_names);
  check_no_leak("stdout", said, k_secret_values);
  check_no_leak("stderr", client.stderr_text(), k_secret_values);
}

} // namespace dbmcp::test::policy_sweep
