#pragma once

#include "store/sql_builder.hpp"

#include <string>
#include <string_view>

namespace dbmcp::backends::sqlite {

// SQLite as the shared SQL builder sees it: "quoted" identifiers, ? placeholders, LIKE folding
// case (so `like` is built with GLOB), NULLS FIRST/LAST and RETURNING.
inline const store::sql::Dialect& dialect()
{
  static const store::sql::Dialect k_dialect{"sqlite", '"', false, false, true, true, true};
  return k_dialect;
}

// `name` quoted as a SQLite identifier.
inline std::string quote(std::string_view name)
{
  return store::sql::quote_identifier(dialect(), name);
}

} // namespace dbmcp::backends::sqlite
