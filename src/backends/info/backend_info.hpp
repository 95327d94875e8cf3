#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What each backend says about itself, in one place (src/backends/<folder>/descriptor.cpp): its
// URL schemes, how a URL is built from DB_HOST DB_PORT DB_USER DB_PASSWORD DB_NAME, its SSL
// parameter names, its demo schema, and how its engine is delivered. config/ and cli/ read these
// descriptions instead of naming a driver. The descriptions need no driver library: they are
// linked into every dbmcp, whether or not the engine is built.
namespace dbmcp::backends::info {

// How the engine reaches the process: linked into the executable, or a dbmcp-<module>.so
// dlopen()ed on first use (module_loader.hpp).
enum class Delivery { built_in, module };

// The URL query parameters that carry a backend's SSL settings, and the modes it accepts.
struct SslParameters
{
  std::string_view mode;            // e.g. "sslmode"; DB_SSL_MODE
  std::vector<std::string_view> modes; // the values DB_SSL_MODE may take, as the backend spells them
  std::string_view cert;            // DB_SSL_CERT
  std::string_view key;             // DB_SSL_KEY
  std::string_view ca;              // DB_SSL_CA
};

struct BackendInfo
{
  std::string_view name;                // canonical, as Store::backend() says it: "postgresql"
  std::vector<std::string_view> schemes; // URL schemes, canonical first: {"postgresql", "postgres"}
  // What DB_BACKEND also accepts besides `name`, e.g. {"postgres"}. Each alias is one of `schemes`,
  // the scheme the DB_* parts are written as.
  std::vector<std::string_view> aliases;
  bool networked = true;                // host/port/user URLs; false: a file path (sqlite:PATH)
  int default_port = 0;                 // what the engine uses when the URL has none; 0 for none
  bool default_for_parts = false;       // the backend DB_HOST... make a URL for when DB_BACKEND is unset
  // Where DB_PASSWORD goes: this query parameter ("password" for libpq), or the URL's user info
  // (user:password@) when empty.
  std::string_view password_parameter;
  SslParameters ssl;                    // empty `mode` when the backend has no SSL settings
  std::string_view demo_schema;         // the DDL of `dbmcp init --demo` (the rows are shared)
  bool transactional_ddl = true;        // CREATE/ALTER/DROP roll back with their transaction (not MySQL)
  bool key_values = false;              // keys with values (store::Capability::key_values), not tables
  Delivery delivery = Delivery::built_in;
  std::string_view module;              // for Delivery::module: the NAME of dbmcp-NAME.so
  bool built = false;                   // whether this dbmcp has the engine (built in or its module)
};

// Every described backend, in registration order (CMakeLists.txt DBMCP_DESCRIBED_BACKENDS).
const std::vector<const BackendInfo*>& all();

// The backend with URL scheme `scheme` (also accepted as a DB_BACKEND value); nullptr when none.
const BackendInfo* find_by_scheme(std::string_view scheme);

// The backend named `name` (Store::backend()); nullptr when none.
const BackendInfo* find_by_name(std::string_view name);

// The URL schemes of the backends this dbmcp has, sorted: {"postgres", "postgresql", "sqlite"}.
std::vector<std::string> built_schemes();

// Every described scheme, in registration order.
std::vector<std::string> described_schemes();

// The backend DB_BACKEND=`name` selects: `name` is its name or one of its aliases; nullptr when none.
const BackendInfo* find_by_backend_name(std::string_view name);

// What DB_BACKEND accepts, in registration order: each backend's name, then its aliases.
std::vector<std::string> backend_names();

// The seed guide's example schema and rows for `backend` (its demo_schema then the shared rows);
// nullopt when the backend has no demo schema.
std::optional<std::string> demo_script(const BackendInfo& backend);

} // namespace dbmcp::backends::info
