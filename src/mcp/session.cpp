#include "mcp/session.hpp"

namespace dbmcp::mcp {

void Session::initialize(std::string version)
{
  std::lock_guard lock(m_mutex);
  m_version = std::move(version);
}

std::optional<std::string> Session::version() const
{
  std::lock_guard lock(m_mutex);
  return m_version;
}

void Session::set_client(Json client)
{
  std::lock_guard lock(m_mutex);
  m_client = std::move(client);
}

Json Session::client() const
{
  std::lock_guard lock(m_mutex);
  return m_client;
}

void Session::set_form_elicitation(bool supported)
{
  std::lock_guard lock(m_mutex);
  m_form_elicitation = supported;
}

bool Session::form_elicitation() const
{
  std::lock_guard lock(m_mutex);
  return m_form_elicitation;
}

void Session::set_log_level(LogLevel level)
{
  std::lock_guard lock(m_mutex);
  m_log_level = level;
}

std::optional<LogLevel> Session::log_level() const
{
  std::lock_guard lock(m_mutex);
  return m_log_level;
}

} // namespace dbmcp::mcp
