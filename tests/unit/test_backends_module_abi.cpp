// The module interface's version: a module from another build is refused with a clear message
// before anything in it but dbmcp_module_abi runs (its dbmcp_open_store would abort).
#include "backends/build_identity.hpp"
#include "backends/module_loader.hpp"
#include "store/errors.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

using namespace dbmcp;

namespace {

std::filesystem::path foreign(const std::string& kind)
{
  return std::filesystem::path(DBMCP_FOREIGN_MODULE_DIR) / ("dbmcp-" + kind + ".so");
}

} // namespace

TEST_SUITE("backends: module ABI")
{
  TEST_CASE("check_module refuses a module from another build and says why")
  {
    const auto version = backends::check_module(foreign("foreign-version"));
    CHECK_FALSE(version.ok);
    CHECK(version.reason ==
          "it is from another dbmcp build (built for dbmcp 0.0.1-elsewhere, this is dbmcp " DBMCP_BUILD_VERSION
          "); install the module that came with this dbmcp");
    const auto headers = backends::check_module(foreign("foreign-headers"));
    CHECK_FALSE(headers.ok);
    CHECK(headers.reason.find("built from other interface headers (0000000000000000, this dbmcp has") !=
          std::string::npos);
    const auto old = backends::check_module(foreign("foreign-no-abi"));
    CHECK_FALSE(old.ok);
    CHECK(old.reason.find("it has no dbmcp_module_abi") == 0);
    const auto missing = backends::check_module(foreign("absent"));
    CHECK_FALSE(missing.ok);
    CHECK(missing.reason.find("cannot be loaded") == 0);
  }

  TEST_CASE("open_with_module refuses a foreign module instead of opening it")
  {
    ::setenv("DBMCP_MODULE_DIR", DBMCP_FOREIGN_MODULE_DIR, 1);
    for (const std::string kind : {"foreign-version", "foreign-headers", "foreign-no-abi"}) {
      CAPTURE(kind);
      try {
        backends::open_with_module(kind, store::StoreOptions{});
        FAIL("a foreign module was opened");
      } catch (const store::StoreError& e) {
        CHECK(e.code() == store::ErrorCode::unavailable);
        CHECK(std::string(e.what()).find("refused the " + kind + " backend module " + foreign(kind).string() + ": ") ==
              0);
      }
    }
  }

  TEST_CASE("find_modules lists every dbmcp-*.so of the search path with its verdict")
  {
    ::setenv("DBMCP_MODULE_DIR", DBMCP_FOREIGN_MODULE_DIR, 1);
    int foreign_found = 0;
    for (const auto& report : backends::find_modules()) {
      if (report.path.find("foreign-") != std::string::npos) {
        ++foreign_found;
        CHECK_FALSE(report.ok);
      }
      if (report.path.ends_with("/dbmcp-postgres.so")) {
        CHECK_MESSAGE(report.ok, report.reason); // the module built with this test is accepted
      }
    }
    CHECK(foreign_found == 3);
  }
}
