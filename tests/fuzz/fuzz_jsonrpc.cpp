// libFuzzer target: bytes on stdin as a client sends them, through the line
// reader, JSON-RPC decoding, the connection and the dispatcher of a real
// mcp::Server (both protocol eras, batches, cancellation), with small fake
// tools instead of a database. Every line the server writes must be one valid
// JSON message.
#include "mcp/server.hpp"
#include "tools/registry.hpp"
#include "util/json_parse.hpp"
#include "util/log.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

using namespace dbmcp;

namespace {

tools::Registry make_tools() {
  tools::Registry registry;
  const Json object_schema = {{"type", "object"}};
  registry.add({"echo", "Echo", "Returns its arguments", object_schema,
                object_schema, true, false, true,
                [](const Json &args, CallContext &) {
                  return Json{{"echo", args}};
                }});
  registry.add({"fail", "Fail", "Always fails", object_schema, nullptr, true,
                false, true, [](const Json &, CallContext &) -> Json {
                  throw tools::ToolError("invalid_argument", "boom");
                }});
  registry.add({"steps", "Steps", "Reports progress and logs", object_schema,
                nullptr, false, false, false,
                [](const Json &args, CallContext &ctx) {
                  const int n = args.value("n", 0) % 8;
                  ctx.log(LogLevel::warning, "steps: a warning");
                  for (int i = 1; i <= n; ++i) {
                    ctx.progress(i, n, "step");
                  }
                  return Json{{"steps", n}};
                }});
  return registry;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const tools::Registry registry = [] {
    log::set_stderr_level(LogLevel::critical);
    return make_tools();
  }();
  mcp::Server server(
      registry, nullptr,
      {.max_line_bytes = 64 * 1024, .workers = 1, .page_size = 2});
  std::istringstream in(
      std::string(reinterpret_cast<const char *>(data), size));
  std::ostringstream out;
  server.serve(in, out);
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) {
    if (!parse_json_bounded(line)) {
      std::abort(); // stdout must only ever carry whole, valid JSON messages
    }
  }
  return 0;
}
