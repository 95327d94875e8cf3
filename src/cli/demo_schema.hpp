#pragma once

#include <optional>
#include <string>

namespace dbmcp::cli {

// The seed guide's example schema (users with a unique email and an age CHECK, posts with a
// foreign key to users, products, tasks) and a few rows, as a script for `backend`
// ("sqlite", "postgresql"); nullopt when there is no script for that backend.
std::optional<std::string> demo_schema_sql(const std::string& backend);

} // namespace dbmcp::cli
