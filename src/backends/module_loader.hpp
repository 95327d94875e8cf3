#pragma once

#include "store/options.hpp"
#include "store/store.hpp"

#include <memory>
#include <string>

namespace dbmcp::backends {

// Opens a store through the backend module dbmcp-<name>.so, loaded on first use and kept for the
// life of the process. The module is looked for in $DBMCP_MODULE_DIR when set, beside the
// executable (a build tree), then in <executable dir>/../<libdir>/dbmcp (an installed package).
// Throws store::StoreError (unavailable) naming the paths tried when the module is missing or
// cannot be loaded.
std::unique_ptr<store::Store> open_with_module(const std::string& name, const store::StoreOptions& options);

} // namespace dbmcp::backends
