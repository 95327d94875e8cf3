// A backend module from "another build", for the refusal tests of module_loader
// (test_backends_module_abi.cpp). Compiled three ways: DBMCP_FOREIGN_VERSION (another dbmcp
// version), DBMCP_FOREIGN_HEADERS (other interface headers), DBMCP_FOREIGN_NO_ABI (a module from
// before module versions). dbmcp_open_store aborts: a refused module must never be opened.
#include "backends/module_abi.hpp"

#include <cstdlib>

#ifndef DBMCP_FOREIGN_NO_ABI
extern "C" __attribute__((visibility("default"))) const dbmcp::backends::ModuleAbi* dbmcp_module_abi()
{
  static dbmcp::backends::ModuleAbi abi = dbmcp::backends::k_module_abi;
#ifdef DBMCP_FOREIGN_VERSION
  abi.dbmcp_version = "0.0.1-elsewhere";
#endif
#ifdef DBMCP_FOREIGN_HEADERS
  abi.headers_hash = "0000000000000000";
#endif
  return &abi;
}
#endif

extern "C" __attribute__((visibility("default"))) dbmcp::store::Store*
dbmcp_open_store(const dbmcp::store::StoreOptions&, dbmcp::LogLevel)
{
  std::abort();
}
