#include "backends/factory.hpp"

#ifdef DBMCP_HAVE_SQLITE
#include "backends/sqlite/sqlite_connection.hpp"
#include "backends/sqlite/sqlite_store.hpp"
#endif
#if defined(DBMCP_HAVE_POSTGRES) || defined(DBMCP_HAVE_MYSQL)
#include "backends/module_loader.hpp"
#endif

#include "config/database_url.hpp"

#include <fmt/format.h>

#include <functional>
#include <map>

namespace dbmcp::backends {
namespace {

using Opener = std::function<std::unique_ptr<store::Store>(const store::StoreOptions&)>;

#ifdef DBMCP_HAVE_POSTGRES
std::unique_ptr<store::Store> open_postgres(const store::StoreOptions& options)
{
  return open_with_module("postgres", options);
}
#endif
#ifdef DBMCP_HAVE_MYSQL
std::unique_ptr<store::Store> open_mysql(const store::StoreOptions& options)
{
  return open_with_module("mysql", options);
}
#endif

const std::map<std::string, Opener>& openers()
{
  static const std::map<std::string, Opener> k_openers = {
#ifdef DBMCP_HAVE_SQLITE
    {"sqlite", sqlite::open_sqlite_store},
#endif
#ifdef DBMCP_HAVE_POSTGRES
    {"postgresql", open_postgres},
    {"postgres", open_postgres},
#endif
#ifdef DBMCP_HAVE_MYSQL
    {"mysql", open_mysql},
    {"mariadb", open_mysql},
#endif
  };
  return k_openers;
}

// The opener of `url`'s scheme; throws invalid_argument when there is none.
const Opener& opener_for(const std::string& url)
{
  const std::string scheme = config::url_scheme(url);
  const auto it = openers().find(scheme);
  if (it == openers().end()) {
    static const std::vector<std::string> k_known = {"sqlite", "postgresql", "postgres", "mysql", "mariadb",
                                                     "redis",  "rediss",     "mongodb"};
    const bool known = std::find(k_known.begin(), k_known.end(), scheme) != k_known.end();
    throw store::invalid_argument(
        known ? fmt::format("the {} backend is not built into this dbmcp (built in: {})", scheme,
                            fmt::join(supported_schemes(), ", "))
              : fmt::format("unknown database URL scheme '{}:' (supported: {})", scheme,
                            fmt::join(supported_schemes(), ", ")));
  }
  return it->second;
}

} // namespace

std::unique_ptr<store::Store> open_store(const store::StoreOptions& options)
{
  return opener_for(options.url)(options);
}

std::string backend_for(const std::string& url)
{
  opener_for(url);
  const std::string scheme = config::url_scheme(url);
#ifdef DBMCP_HAVE_SQLITE
  if (scheme == "sqlite") {
    sqlite::parse_url(url);
  }
#endif
  if (scheme == "mariadb") {
    return "mysql";
  }
  return scheme == "postgres" ? "postgresql" : scheme;
}

std::vector<std::string> supported_schemes()
{
  std::vector<std::string> schemes;
  for (const auto& [scheme, opener] : openers()) {
    schemes.push_back(scheme);
  }
  return schemes;
}

} // namespace dbmcp::backends
