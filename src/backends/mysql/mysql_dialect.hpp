#pragma once

#include "store/sql_builder.hpp"

#include <string>
#include <string_view>

namespace dbmcp::backends::mysql {

// MySQL and MariaDB as the shared SQL builder sees them: `quoted` identifiers, ? placeholders,
// case-sensitive `like` through a binary collation, ON DUPLICATE KEY UPDATE, no RETURNING.
inline const store::sql::Dialect& dialect()
{
  static const store::sql::Dialect k_dialect{.name = "mysql",
                                             .quote = '`',
                                             .numbered_placeholders = false,
                                             .native_ilike = false,
                                             .nulls_ordering = false,
                                             .returning = false,
                                             .like_ignores_case = false,
                                             .like_binary_collation = "utf8mb4_bin",
                                             .text_type = "CHAR",
                                             .default_values = "() VALUES ()",
                                             .upsert = store::sql::Dialect::Upsert::on_duplicate_key,
                                             .locking_reads = true};
  return k_dialect;
}

// `name` quoted as a MySQL identifier.
inline std::string quote(std::string_view name)
{
  return store::sql::quote_identifier(dialect(), name);
}

} // namespace dbmcp::backends::mysql
