#pragma once

#include "cache/shared_cache.hpp"
#include "store/options.hpp"
#include "store/store.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace dbmcp::backends {

// Opens a store through the backend module dbmcp-<name>.so, loaded on first use and kept for the
// life of the process. The module is looked for in $DBMCP_MODULE_DIR when set, beside the
// executable (a build tree), then in <executable dir>/../<libdir>/dbmcp (an installed package).
// A module from another build (module_abi.hpp) is refused before any of its functions but
// dbmcp_module_abi is called. Throws store::StoreError (unavailable) naming the paths tried when
// the module is missing, and saying why when it cannot be loaded or is refused.
std::unique_ptr<store::Store> open_with_module(const std::string& name, const store::StoreOptions& options);

// Opens the shared result cache at `url` through module dbmcp-<name>.so (found and checked as
// above), which must export dbmcp_open_shared_cache. Throws store::StoreError like
// open_with_module, and invalid_argument when the module has no shared cache.
std::unique_ptr<cache::SharedCache> open_shared_cache_with_module(const std::string& name, const std::string& url);

// Sets, at process start and before any thread, what the libraries the modules load read from the
// environment when they load: GNUTLS_NO_IMPLICIT_INIT=1, unless the environment sets it. GnuTLS,
// which libpq pulls in through libldap (Debian), otherwise starts itself as soon as it is loaded
// (p11-kit, its tables: about 0.8 MiB resident for nothing, issue 14); libldap starts it itself
// before any TLS of its own, so nothing that uses it loses it. dbmcp starts no other program.
void prepare_module_environment();

// One module file as `dbmcp --version` shows it: usable, or why not.
struct ModuleReport
{
  std::string path;
  bool ok = false;
  std::string reason; // empty when ok
};

// Loads the module at `path`, compares its ModuleAbi with this build's and unloads it; never
// calls dbmcp_open_store. Never throws.
ModuleReport check_module(const std::filesystem::path& path);

// Every dbmcp-*.so in the directories open_with_module looks in, each checked, in search order.
std::vector<ModuleReport> find_modules();

} // namespace dbmcp::backends
