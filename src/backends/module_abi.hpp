#pragma once

#include "store/options.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

namespace dbmcp::backends {

// What a backend module (dbmcp-<name>.so, built from the same sources by the same compiler)
// exports: one function, `dbmcp_open_store`, that opens a store or throws store::StoreError like
// the built-in openers. The caller owns the returned store. The module links its own copies of
// the util and store layers; only this symbol is visible.
using ModuleOpen = store::Store* (*)(const store::StoreOptions& options, LogLevel stderr_level);
inline constexpr const char* k_module_entry = "dbmcp_open_store";

} // namespace dbmcp::backends
