#include "backends/factory.hpp"

#include "backends/info/backend_info.hpp"
#include "backends/module_loader.hpp"
#ifdef DBMCP_HAVE_SQLITE
#include "backends/sqlite/sqlite_connection.hpp"
#include "backends/sqlite/sqlite_store.hpp"
#endif

#include "config/database_url.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace dbmcp::backends {
namespace {

// The backend of `url`'s scheme, built into this dbmcp; throws invalid_argument when there is none.
const info::BackendInfo& backend_of(const std::string& url)
{
  const std::string scheme = config::url_scheme(url);
  const info::BackendInfo* backend = info::find_by_scheme(scheme);
  if (backend && backend->built) {
    return *backend;
  }
  // Schemes dbmcp will know but that no backend describes yet.
  static const std::vector<std::string> k_planned = {"mongodb"};
  const bool known = backend || std::find(k_planned.begin(), k_planned.end(), scheme) != k_planned.end();
  throw store::invalid_argument(
      known ? fmt::format("the {} backend is not built into this dbmcp (built in: {})", scheme,
                          fmt::join(supported_schemes(), ", "))
            : fmt::format("unknown database URL scheme '{}:' (supported: {})", scheme,
                          fmt::join(supported_schemes(), ", ")));
}

// Opens a backend whose engine is linked into the executable; its descriptor says built_in.
std::unique_ptr<store::Store> open_built_in(const info::BackendInfo& backend, const store::StoreOptions& options)
{
#ifdef DBMCP_HAVE_SQLITE
  if (backend.name == "sqlite") {
    return sqlite::open_sqlite_store(options);
  }
#endif
  (void)options;
  throw store::invalid_argument(fmt::format("the {} backend is not built into this dbmcp", backend.name));
}

} // namespace

std::unique_ptr<store::Store> open_store(const store::StoreOptions& options)
{
  const info::BackendInfo& backend = backend_of(options.url);
  if (backend.delivery == info::Delivery::module) {
    return open_with_module(std::string(backend.module), options);
  }
  return open_built_in(backend, options);
}

std::string backend_for(const std::string& url)
{
  const info::BackendInfo& backend = backend_of(url);
#ifdef DBMCP_HAVE_SQLITE
  if (backend.name == "sqlite") {
    sqlite::parse_url(url);
  }
#endif
  return std::string(backend.name);
}

std::vector<std::string> supported_schemes()
{
  return info::built_schemes();
}

} // namespace dbmcp::backends
