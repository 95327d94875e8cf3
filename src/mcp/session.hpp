#pragma once

#include "util/json.hpp"
#include "util/log.hpp"

#include <mutex>
#include <optional>
#include <string>

namespace dbmcp::mcp {

// The legacy-era state of one stdio connection: the version initialize negotiated and the
// level logging/setLevel chose. Modern requests never read it. Thread-safe.
class Session
{
public:
  void initialize(std::string version);
  // The negotiated version, or nullopt before initialize.
  std::optional<std::string> version() const;

  // initialize's clientInfo as {"name", "version"} (other members dropped); null before initialize
  // or when the client sent none.
  void set_client(Json client);
  Json client() const;

  // Whether initialize's client capabilities declared form elicitation (mcp/elicitation.hpp).
  void set_form_elicitation(bool supported);
  bool form_elicitation() const;

  void set_log_level(LogLevel level);
  // The client's level, or nullopt when it never set one (then no log notifications are sent).
  std::optional<LogLevel> log_level() const;

private:
  mutable std::mutex m_mutex;
  std::optional<std::string> m_version;
  std::optional<LogLevel> m_log_level;
  Json m_client;
  bool m_form_elicitation = false;
};

} // namespace dbmcp::mcp
