#pragma once

#include "tools/registry.hpp"
#include "tools/resources.hpp"

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

namespace dbmcp::mcp {

struct ServerOptions
{
  std::string name = "dbmcp";
  std::string title = "dbmcp";
  std::string version;
  std::string instructions;                  // shown to the model (initialize / server/discover)
  size_t max_line_bytes = 64 * 1024 * 1024;  // longer lines get -32600 and are skipped
  // Bytes of lines read but not yet served (queued or running) before the reader stops reading
  // until work finishes; one line larger than this is still served, alone. 0: unbounded.
  size_t max_queued_bytes = 64 * 1024 * 1024;
  unsigned workers = 4;                      // concurrent tool calls
  size_t page_size = 50;                     // items per page of tools/list and resources/list
  int64_t list_ttl_ms = 60'000;              // 2026-07-28 ttlMs of discover and list results
  int64_t read_ttl_ms = 5'000;               // 2026-07-28 ttlMs of resources/read results
};

// An MCP server over newline-delimited JSON-RPC on the given streams, serving both protocol
// eras (DESIGN.md section 1.3). Owns no database: it calls `tools` and `resources`.
class Server
{
public:
  // `resources` may be null (no resources capability).
  Server(const tools::Registry& tools, const tools::Resources* resources, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Reads `in` until end of input or stop(), answering on `out` one whole line per message and
  // writing nothing else there. Finishes the requests in flight before it returns 0.
  int serve(std::istream& in, std::ostream& out);

  // Asks serve() to return promptly (SIGTERM/SIGINT): requests in flight are cancelled (they
  // send nothing more) and serve() returns 0, so `dbmcp` exits 0 on SIGTERM. When `in` is
  // std::cin a blocked read is interrupted at once; another stream is checked between lines.
  // Async-signal-safe.
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace dbmcp::mcp
