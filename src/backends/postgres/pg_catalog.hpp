#pragma once

#include "backends/sql/engine.hpp"
#include "store/schema.hpp"

#include <pqxx/transaction_base>


// Introspection from pg_catalog: what the store knows about the database's tables.
namespace dbmcp::backends::postgres {

// A full-text index in Catalog::fulltext: a GIN index over a to_tsvector expression, reused
// verbatim by the search so that the index serves it: {expression, configuration}, e.g.
// {"to_tsvector('english'::regconfig, …)", "english"}.
enum FulltextPart { fulltext_expression = 0, fulltext_config = 1 };

// Reads the tables and views of the current schema that `visibility` lets through: columns
// (types, nullability, defaults, identity/serial as auto_increment), primary keys, indexes,
// foreign keys in both directions, CHECK constraints, row estimates (pg_class.reltuples), and the
// database's default_text_search_config.
sql::Catalog read_catalog(pqxx::transaction_base& tx, const store::Visibility& visibility);

} // namespace dbmcp::backends::postgres
