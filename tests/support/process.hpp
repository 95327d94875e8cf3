#pragma once

#include "util/json.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Drives a child process through real pipes, as an MCP client or a shell script would.
namespace dbmcp::test {

using namespace std::chrono_literals;

// The dbmcp binary under test and the source tree, as CMake configured them.
std::string binary();
std::string source_dir();
// A fresh empty directory under the system temp directory, removed at exit.
std::string temp_dir();

class Process
{
public:
  // Starts `argv` (argv[0] is a path) with `env` added to the environment.
  explicit Process(std::vector<std::string> argv, std::map<std::string, std::string> env = {});
  ~Process(); // kills the child if it still runs
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Writes raw bytes to the child's stdin.
  void write(std::string_view data);
  // Writes `line` and a newline.
  void send_line(std::string_view line);
  // Writes `message` as one JSON line.
  void send(const Json& message);
  void close_stdin();

  // The next stdout line without its newline; nullopt at end of output. Throws std::runtime_error
  // when nothing arrives within `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 20s);
  // The next stdout line parsed as JSON; throws on end of output, timeout or bad JSON.
  Json read_json(std::chrono::milliseconds timeout = 20s);
  // Reads messages until the response with `id`, collecting everything else in `others`.
  Json read_response(const Json& id, std::vector<Json>* others = nullptr, std::chrono::milliseconds timeout = 20s);
  // Every remaining stdout line until end of output.
  std::vector<std::string> read_remaining_lines(std::chrono::milliseconds timeout = 20s);
  // Everything the child wrote to stderr so far.
  std::string stderr_text() const;

  // Waits for exit: the exit code, or 128 + signal number. Throws after `timeout`.
  int wait(std::chrono::milliseconds timeout = 20s);
  // Sends `signal` to the child.
  void kill(int signal);
  int pid() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

struct Completed
{
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion with `input` on stdin.
Completed run(std::vector<std::string> argv, std::string_view input = "", std::map<std::string, std::string> env = {},
              std::chrono::milliseconds timeout = 60s);

// Convenience for the binary under test: run({binary(), args...}).
Completed run_dbmcp(std::vector<std::string> args, std::string_view input = "",
                    std::map<std::string, std::string> env = {});

} // namespace dbmcp::test
