// `dbmcp --version`: the version, the backends and how each is delivered, the modules found.
#include "cli/version.hpp"

#include <doctest/doctest.h>

using namespace dbmcp;
namespace info = dbmcp::backends::info;

TEST_SUITE("cli: version")
{
  TEST_CASE("version_text lists backends with their schemes and each module with ok or its refusal")
  {
    const info::BackendInfo file{.name = "sqlite", .schemes = {"sqlite"}, .networked = false, .built = true};
    const info::BackendInfo server{.name = "postgresql",
                                   .schemes = {"postgresql", "postgres"},
                                   .delivery = info::Delivery::module,
                                   .module = "postgres",
                                   .built = true};
    const info::BackendInfo absent{.name = "mysql", .schemes = {"mysql", "mariadb"}, .delivery = info::Delivery::module,
                                   .module = "mysql"};
    const std::vector<backends::ModuleReport> modules = {{"/lib/dbmcp/dbmcp-postgres.so", true, ""},
                                                         {"/lib/dbmcp/dbmcp-old.so", false, "it has no dbmcp_module_abi"}};
    CHECK(cli::version_text({&file, &server, &absent}, modules) ==
          "dbmcp " DBMCP_VERSION "\n"
          "backends:\n"
          "  sqlite      built in                  sqlite:\n"
          "  postgresql  module dbmcp-postgres.so  postgresql://, postgres://\n"
          "  mysql       not built                 mysql://, mariadb://\n"
          "modules found:\n"
          "  /lib/dbmcp/dbmcp-postgres.so: ok\n"
          "  /lib/dbmcp/dbmcp-old.so: refused: it has no dbmcp_module_abi");
    CHECK(cli::version_text({&file}, {}).ends_with("modules found:\n  (none)"));
  }
}
