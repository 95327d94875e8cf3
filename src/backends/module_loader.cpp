#include "backends/module_loader.hpp"

#include "backends/module_abi.hpp"
#include "store/errors.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace dbmcp::backends {
namespace {

// The directories modules are looked for in, in order (see open_with_module).
std::vector<std::filesystem::path> directories()
{
  std::vector<std::filesystem::path> dirs;
  if (const char* dir = std::getenv("DBMCP_MODULE_DIR"); dir && *dir) {
    dirs.emplace_back(dir);
  }
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    dirs.push_back(exe.parent_path());
    dirs.push_back((exe.parent_path() / ".." / DBMCP_MODULE_SUBDIR).lexically_normal());
  }
  return dirs;
}

bool same(const char* a, const char* b)
{
  return a && b && std::strcmp(a, b) == 0;
}

// Why the module loaded as `handle` must not be used, or nullopt when its ModuleAbi
// is this build's. Calls nothing in the module but dbmcp_module_abi.
std::optional<std::string> refusal(void* handle)
{
  const auto query = reinterpret_cast<ModuleAbiQuery>(dlsym(handle, k_module_abi_entry));
  if (!query) {
    return fmt::format("it has no {} (not a dbmcp module, or one from a dbmcp older than {}); install the module "
                       "that came with this dbmcp",
                       k_module_abi_entry, k_module_abi.dbmcp_version);
  }
  const ModuleAbi* abi = query();
  const ModuleAbi& own = k_module_abi;
  std::string differs;
  if (!abi || abi->abi_version != own.abi_version) {
    differs = fmt::format("module interface {}, this dbmcp has {}", abi ? abi->abi_version : 0, own.abi_version);
  } else if (!same(abi->dbmcp_version, own.dbmcp_version)) {
    differs = fmt::format("built for dbmcp {}, this is dbmcp {}", abi->dbmcp_version ? abi->dbmcp_version : "?",
                          own.dbmcp_version);
  } else if (!same(abi->headers_hash, own.headers_hash)) {
    differs = fmt::format("built from other interface headers ({}, this dbmcp has {})",
                          abi->headers_hash ? abi->headers_hash : "?", own.headers_hash);
  } else if (!same(abi->compiler, own.compiler)) {
    differs = fmt::format("built with {}, this dbmcp with {}", abi->compiler ? abi->compiler : "?", own.compiler);
  } else {
    return std::nullopt;
  }
  return fmt::format("it is from another dbmcp build ({}); install the module that came with this dbmcp", differs);
}

// The handle of module dbmcp-<name>.so, found and checked. Never closed once accepted: what the
// module makes lives until exit.
void* load(const std::string& name)
{
  const std::string file = "dbmcp-" + name + ".so";
  std::string tried;
  for (const auto& dir : directories()) {
    const auto path = dir / file;
    if (!std::filesystem::exists(path)) {
      tried += (tried.empty() ? "" : ", ") + path.lexically_normal().string();
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      throw store::unavailable(fmt::format("cannot load the {} backend from {}: {}", name, path.string(), dlerror()));
    }
    if (const auto reason = refusal(handle)) {
      dlclose(handle);
      throw store::unavailable(fmt::format("refused the {} backend module {}: {}", name, path.string(), *reason));
    }
    if (!dlsym(handle, k_module_entry)) {
      throw store::unavailable(fmt::format("{} is not a dbmcp backend module (no {})", path.string(), k_module_entry));
    }
    return handle;
  }
  throw store::unavailable(
      fmt::format("the {} backend module is not installed (looked for {}); install the dbmcp-{} package", name,
                  tried, name));
}

// load(name), once per process.
void* loaded_module(const std::string& name)
{
  static std::mutex mutex;
  static std::map<std::string, void*> loaded;
  const std::lock_guard lock(mutex);
  auto it = loaded.find(name);
  if (it == loaded.end()) {
    it = loaded.emplace(name, load(name)).first;
  }
  return it->second;
}

} // namespace

std::unique_ptr<store::Store> open_with_module(const std::string& name, const store::StoreOptions& options)
{
  const auto open = reinterpret_cast<ModuleOpen>(dlsym(loaded_module(name), k_module_entry));
  return std::unique_ptr<store::Store>(open(options, log::stderr_level()));
}

std::unique_ptr<cache::SharedCache> open_shared_cache_with_module(const std::string& name, const std::string& url)
{
  const auto open = reinterpret_cast<SharedCacheOpen>(dlsym(loaded_module(name), k_shared_cache_entry));
  if (!open) {
    throw store::invalid_argument(
        fmt::format("the {} module cannot hold a result cache (it has no {})", name, k_shared_cache_entry));
  }
  return std::unique_ptr<cache::SharedCache>(open(url, log::stderr_level()));
}

void prepare_module_environment()
{
  ::setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
}

ModuleReport check_module(const std::filesystem::path& path)
{
  ModuleReport report{path.string(), false, ""};
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* error = dlerror();
    report.reason = fmt::format("cannot be loaded: {}", error ? error : "unknown error");
    return report;
  }
  if (const auto reason = refusal(handle)) {
    report.reason = *reason;
  } else if (!dlsym(handle, k_module_entry)) {
    report.reason = fmt::format("not a dbmcp backend module (no {})", k_module_entry);
  } else {
    report.ok = true;
  }
  dlclose(handle);
  return report;
}

std::vector<ModuleReport> find_modules()
{
  std::vector<ModuleReport> reports;
  std::set<std::filesystem::path> seen;
  for (const auto& dir : directories()) {
    std::error_code error;
    std::set<std::filesystem::path> files; // sorted, for a stable listing
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      const std::string file = entry.path().filename().string();
      if (file.starts_with("dbmcp-") && file.ends_with(".so") && entry.is_regular_file()) {
        files.insert(std::filesystem::weakly_canonical(entry.path(), error));
      }
    }
    for (const auto& file : files) {
      if (seen.insert(file).second) {
        reports.push_back(check_module(file));
      }
    }
  }
  return reports;
}

} // namespace dbmcp::backends
