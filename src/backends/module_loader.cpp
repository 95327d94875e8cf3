#include "backends/module_loader.hpp"

#include "backends/module_abi.hpp"
#include "store/errors.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

namespace dbmcp::backends {
namespace {

std::vector<std::filesystem::path> candidates(const std::string& name)
{
  const std::string file = "dbmcp-" + name + ".so";
  std::vector<std::filesystem::path> paths;
  if (const char* dir = std::getenv("DBMCP_MODULE_DIR"); dir && *dir) {
    paths.push_back(std::filesystem::path(dir) / file);
  }
  std::error_code error;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    paths.push_back(exe.parent_path() / file);
    paths.push_back(exe.parent_path() / ".." / DBMCP_MODULE_SUBDIR / file);
  }
  return paths;
}

ModuleOpen load(const std::string& name)
{
  std::string tried;
  for (const auto& path : candidates(name)) {
    if (!std::filesystem::exists(path)) {
      tried += (tried.empty() ? "" : ", ") + path.lexically_normal().string();
      continue;
    }
    // Never closed: stores made by the module live until exit.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      throw store::unavailable(fmt::format("cannot load the {} backend from {}: {}", name, path.string(), dlerror()));
    }
    if (void* entry = dlsym(handle, k_module_entry)) {
      return reinterpret_cast<ModuleOpen>(entry);
    }
    throw store::unavailable(fmt::format("{} is not a dbmcp backend module (no {})", path.string(), k_module_entry));
  }
  throw store::unavailable(
      fmt::format("the {} backend module is not installed (looked for {}); install the dbmcp-{} package", name,
                  tried, name));
}

} // namespace

std::unique_ptr<store::Store> open_with_module(const std::string& name, const store::StoreOptions& options)
{
  static std::mutex mutex;
  static std::map<std::string, ModuleOpen> loaded;
  ModuleOpen open = nullptr;
  {
    const std::lock_guard lock(mutex);
    auto it = loaded.find(name);
    if (it == loaded.end()) {
      it = loaded.emplace(name, load(name)).first;
    }
    open = it->second;
  }
  return std::unique_ptr<store::Store>(open(options, log::stderr_level()));
}

} // namespace dbmcp::backends
