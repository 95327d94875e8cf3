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

// The backend `url` selects ("sqlite", "postgresql"), without opening anything: what start-up
// checks before it serves. Throws store::StoreError invalid_argument, as open_store would, for an
// unknown scheme, a backend not built in, or a SQLite URL that names no file.
std::string backend_for(const std::string& url);

// The URL schemes this binary was built with, e.g. {"sqlite", "postgresql", "postgres"}.
std::vector<std::string> supported_schemes();

} // namespace dbmcp::backends
