#pragma once

#include "store/sql_builder.hpp"

#include <string>
#include <string_view>

namespace dbmcp::backends::postgres {

// PostgreSQL as the shared SQL builder sees it: "quoted" identifiers, $n placeholders, ILIKE,
// NULLS FIRST/LAST and RETURNING.
inline const store::sql::Dialect& dialect()
{
  static const store::sql::Dialect k_dialect{"postgresql", '"', true, true, true, true};
  return k_dialect;
}

// `name` quoted as a PostgreSQL identifier.
inline std::string quote(std::string_view name)
{
  return store::sql::quote_identifier(dialect(), name);
}

} // namespace dbmcp::backends::postgres
