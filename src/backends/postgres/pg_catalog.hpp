#pragma once

#include "backends/postgres/pg_errors.hpp"
#include "store/schema.hpp"

#include <pqxx/transaction_base>

#include <map>
#include <memory>
#include <string>

// Introspection from pg_catalog: what the store knows about the database's tables.
namespace dbmcp::backends::postgres {

// A GIN index over a to_tsvector expression, reused verbatim by fulltext search so that the
// index serves it.
struct FulltextIndex
{
  std::string expression; // "to_tsvector('english'::regconfig, …)"
  std::string config;     // "english"
};

// One consistent snapshot, replaced whole by refresh_schema().
struct Catalog
{
  std::string database;    // current_database()
  std::string schema_name; // current_schema(): "public" unless the search_path says otherwise
  std::shared_ptr<const store::Schema> schema;
  ConstraintMap constraints;                        // unique, check and foreign keys, by name
  std::map<std::string, FulltextIndex> fulltext;    // by table
};

// Reads the tables and views of the current schema that `visibility` lets through: columns
// (types, nullability, defaults, identity/serial as auto_increment), primary keys, indexes,
// foreign keys in both directions, CHECK constraints and row estimates (pg_class.reltuples).
Catalog read_catalog(pqxx::transaction_base& tx, const store::Visibility& visibility);

} // namespace dbmcp::backends::postgres
