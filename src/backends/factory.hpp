#pragma once

#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>
#include <string>
#include <vector>

namespace dbmcp::backends {

// Opens the backend that `options.url`'s scheme selects (DESIGN.md section 1.1): sqlite:, a bare
// path, postgresql:// or postgres://. Throws store::StoreError: invalid_argument for an unknown
// scheme or a backend not built in, unavailable when the database cannot be reached.
std::unique_ptr<store::Store> open_store(const store::StoreOptions& options);

// The URL schemes this binary was built with, e.g. {"sqlite", "postgresql", "postgres"}.
std::vector<std::string> supported_schemes();

} // namespace dbmcp::backends
