#pragma once

#include "backends/build_identity.hpp"
#include "cache/shared_cache.hpp"
#include "store/options.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

#include <cstdint>

namespace dbmcp::backends {

// What a backend module (dbmcp-<name>.so) exports, in this order of use:
// 1. `dbmcp_module_abi`, a C function returning the ModuleAbi it was built with. The loader
//    calls it first and refuses the module unless every field equals its own: the store types
//    cross the boundary as C++ objects, so a module from another build (another dbmcp version,
//    other interface headers, another compiler or C++ library) would crash, not fail.
// 2. `dbmcp_open_store`, which opens a store or throws store::StoreError like the built-in
//    openers. The caller owns the returned store. The module links its own copies of the util
//    and store layers; only these symbols are visible.
// 3. `dbmcp_open_shared_cache`, optional: opens the shared result cache (cache::SharedCache) at a
//    --cache URL, without connecting yet; the caller owns it.
// ModuleAbi's layout itself never changes: a version number then C strings.
struct ModuleAbi
{
  uint32_t abi_version;      // k_module_abi_version
  const char* dbmcp_version; // e.g. "0.1.0"
  const char* headers_hash;  // a hash of the headers whose types cross the boundary (CMakeLists.txt)
  const char* compiler;      // compiler and C++ library, e.g. "GCC 14.2.0, libstdc++ 14"
};

// Bumped when the meaning of the two entry points changes.
inline constexpr uint32_t k_module_abi_version = 2;

#define DBMCP_STRINGIFY_(x) #x
#define DBMCP_STRINGIFY(x) DBMCP_STRINGIFY_(x)
#if defined(__clang__)
#define DBMCP_COMPILER_NAME "clang " __clang_version__
#elif defined(__GNUC__)
#define DBMCP_COMPILER_NAME "GCC " __VERSION__
#else
#define DBMCP_COMPILER_NAME "unknown compiler"
#endif
#if defined(_LIBCPP_VERSION)
#define DBMCP_STDLIB_NAME "libc++ " DBMCP_STRINGIFY(_LIBCPP_VERSION)
#elif defined(_GLIBCXX_RELEASE)
#define DBMCP_STDLIB_NAME "libstdc++ " DBMCP_STRINGIFY(_GLIBCXX_RELEASE) " cxx11-abi " DBMCP_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#else
#define DBMCP_STDLIB_NAME "unknown C++ library"
#endif

// The ModuleAbi of the code being compiled: a module returns it from dbmcp_module_abi, the
// loader compares a module's with its own.
inline constexpr ModuleAbi k_module_abi{k_module_abi_version, DBMCP_BUILD_VERSION, DBMCP_ABI_HEADERS_HASH,
                                       DBMCP_COMPILER_NAME ", " DBMCP_STDLIB_NAME};

using ModuleAbiQuery = const ModuleAbi* (*)();
using ModuleOpen = store::Store* (*)(const store::StoreOptions& options, LogLevel stderr_level);
inline constexpr const char* k_module_abi_entry = "dbmcp_module_abi";
inline constexpr const char* k_module_entry = "dbmcp_open_store";
// Exported only by a module that can also hold the shared result cache (the Redis one).
using SharedCacheOpen = cache::SharedCache* (*)(const std::string& url, LogLevel stderr_level);
inline constexpr const char* k_shared_cache_entry = "dbmcp_open_shared_cache";

} // namespace dbmcp::backends

// Defines a module's dbmcp_module_abi. Every module's entry file says DBMCP_MODULE_ABI() once.
#define DBMCP_MODULE_ABI()                                                                                          \
  extern "C" __attribute__((visibility("default"))) const dbmcp::backends::ModuleAbi* dbmcp_module_abi()           \
  {                                                                                                                  \
    return &dbmcp::backends::k_module_abi;                                                                           \
  }
