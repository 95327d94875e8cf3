#pragma once

#include "backends/info/backend_info.hpp"
#include "backends/module_loader.hpp"

#include <string>
#include <vector>

namespace dbmcp::cli {

// What `dbmcp --version` prints (as `ccache --version` lists its storage backends): the version,
// every described backend with its URL schemes and whether it is built in, a module or not built,
// then each module file found with "ok" or why it is refused.
std::string version_text(const std::vector<const backends::info::BackendInfo*>& described,
                         const std::vector<backends::ModuleReport>& modules);

// version_text() of this dbmcp: its descriptors and the modules in its search path.
std::string version_text();

} // namespace dbmcp::cli
