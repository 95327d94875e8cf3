// libFuzzer target: configuration text. The input is parsed as a .env file;
// what it sets (any of DATABASE_URL and the DB_* settings) is resolved into
// store options as the environment would be, and every URL seen goes through
// redact_url. Fatal (exit code 2, a clear line) is the only failure allowed.
#include "config/config.hpp"
#include "config/sources.hpp"
#include "util/fatal.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace dbmcp;

namespace {

// An empty secrets directory and .env file, and a data directory for the
// default database, so that nothing outside a temporary directory is read or
// created.
struct Sandbox {
  Sandbox() {
    char pattern[] = "/tmp/dbmcp-fuzz-url-XXXXXX";
    root = ::mkdtemp(pattern);
    std::filesystem::create_directory(root + "/secrets");
    std::ofstream(root + "/empty.env");
    ::setenv("XDG_DATA_HOME", (root + "/data").c_str(), 1);
  }
  std::string root;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const Sandbox sandbox;
  const std::string text(reinterpret_cast<const char *>(data), size);
  (void)config::redact_url(text);
  config::Values values;
  try {
    values = config::parse_env_file(text, "fuzz.env");
  } catch (const Fatal &) {
    return 0;
  }
  for (const auto &[name, value] : values) {
    (void)config::redact_url(value);
  }
  try {
    const auto resolved =
        config::resolve({.flags = {},
                         .environment = values,
                         .env_file = sandbox.root + "/empty.env",
                         .secrets_dir = sandbox.root + "/secrets"});
    (void)config::redact_url(resolved.options.url);
  } catch (const Fatal &) {
  }
  return 0;
}
