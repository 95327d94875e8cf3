#pragma once

#include "store/sql_builder.hpp"

namespace dbmcp::backends::postgres {

// PostgreSQL as the shared SQL builder sees it: "quoted" identifiers, $n placeholders, ILIKE,
// NULLS FIRST/LAST and RETURNING.
inline const store::sql::Dialect& dialect()
{
  static const store::sql::Dialect k_dialect{"postgresql", '"', true, true, true, true};
  return k_dialect;
}

} // namespace dbmcp::backends::postgres
