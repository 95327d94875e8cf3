#include "support/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <poll.h>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace dbmcp::test {
namespace {

struct TempDirs
{
  std::mutex mutex;
  std::vector<std::filesystem::path> paths;
  ~TempDirs()
  {
    for (const auto& path : paths) {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  }
};

TempDirs& temp_dirs()
{
  static TempDirs dirs;
  return dirs;
}

void throw_errno(const std::string& what)
{
  throw std::runtime_error(what + ": " + std::strerror(errno));
}

} // namespace

std::string binary()
{
  return DBMCP_BINARY;
}

std::string source_dir()
{
  return DBMCP_SOURCE_DIR;
}

std::string temp_dir()
{
  std::string pattern = (std::filesystem::temp_directory_path() / "dbmcp-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    throw_errno("mkdtemp");
  }
  std::lock_guard lock(temp_dirs().mutex);
  temp_dirs().paths.emplace_back(pattern);
  return pattern;
}

struct Process::Impl
{
  pid_t pid = -1;
  int in_fd = -1;
  int out_fd = -1;
  int err_fd = -1;
  std::string out_buffer; // read from stdout; lines before out_start are already returned
  size_t out_start = 0;
  bool out_eof = false;
  mutable std::mutex err_mutex;
  std::string err_text;
  std::thread err_reader;
  std::optional<int> exit_code;
};

Process::Process(std::vector<std::string> argv, std::map<std::string, std::string> env)
  : m_impl(std::make_unique<Impl>())
{
  int in_pipe[2];
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw_errno("pipe");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);

  std::vector<std::string> environment;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (!env.count(name)) {
      environment.push_back(entry);
    }
  }
  for (const auto& [name, value] : env) {
    environment.push_back(name + "=" + value);
  }
  std::vector<char*> argv_ptrs;
  for (auto& arg : argv) {
    argv_ptrs.push_back(arg.data());
  }
  argv_ptrs.push_back(nullptr);
  std::vector<char*> env_ptrs;
  for (auto& entry : environment) {
    env_ptrs.push_back(entry.data());
  }
  env_ptrs.push_back(nullptr);

  const int rc = posix_spawn(&m_impl->pid, argv_ptrs[0], &actions, nullptr, argv_ptrs.data(), env_ptrs.data());
  posix_spawn_file_actions_destroy(&actions);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    errno = rc;
    throw_errno("posix_spawn " + argv[0]);
  }
  m_impl->in_fd = in_pipe[1];
  m_impl->out_fd = out_pipe[0];
  m_impl->err_fd = err_pipe[0];
  m_impl->err_reader = std::thread([impl = m_impl.get()] {
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(impl->err_fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
      if (n > 0) {
        std::lock_guard lock(impl->err_mutex);
        impl->err_text.append(buffer, static_cast<size_t>(n));
      }
    }
  });
  signal(SIGPIPE, SIG_IGN);
}

Process::~Process()
{
  if (!m_impl->exit_code && m_impl->pid > 0) {
    ::kill(m_impl->pid, SIGKILL);
    int status;
    waitpid(m_impl->pid, &status, 0);
  }
  close_stdin();
  if (m_impl->err_reader.joinable()) {
    m_impl->err_reader.join();
  }
  close(m_impl->out_fd);
  close(m_impl->err_fd);
}

void Process::write(std::string_view data)
{
  while (!data.empty()) {
    const ssize_t n = ::write(m_impl->in_fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw_errno("write to child stdin");
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

void Process::send_line(std::string_view line)
{
  write(std::string(line) + "\n");
}

void Process::send(const Json& message)
{
  send_line(message.dump());
}

void Process::close_stdin()
{
  if (m_impl->in_fd >= 0) {
    close(m_impl->in_fd);
    m_impl->in_fd = -1;
  }
}

std::optional<std::string> Process::read_line(std::chrono::milliseconds timeout)
{
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::string& buffer = m_impl->out_buffer;
    size_t& start = m_impl->out_start;
    const auto newline = buffer.find('\n', start);
    if (newline != std::string::npos) {
      std::string line = buffer.substr(start, newline - start);
      start = newline + 1;
      if (start == buffer.size() || start > 65536) { // drop returned lines now and then, not per line
        buffer.erase(0, start);
        start = 0;
      }
      return line;
    }
    if (m_impl->out_eof) {
      if (start == buffer.size()) {
        return std::nullopt;
      }
      std::string rest = buffer.substr(start);
      buffer.clear();
      start = 0;
      return rest;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw std::runtime_error("timed out waiting for a line on stdout; stderr: " + stderr_text());
    }
    pollfd fd{m_impl->out_fd, POLLIN, 0};
    const int ready = poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) {
      throw_errno("poll");
    }
    if (ready > 0) {
      char chunk[65536];
      const ssize_t n = ::read(m_impl->out_fd, chunk, sizeof chunk);
      if (n > 0) {
        buffer.append(chunk, static_cast<size_t>(n));
      } else if (n == 0) {
        m_impl->out_eof = true;
      } else if (errno != EINTR) {
        throw_errno("read child stdout");
      }
    }
  }
}

Json Process::read_json(std::chrono::milliseconds timeout)
{
  const auto line = read_line(timeout);
  if (!line) {
    throw std::runtime_error("end of output while waiting for a message; stderr: " + stderr_text());
  }
  return Json::parse(*line);
}

Json Process::read_response(const Json& id, std::vector<Json>* others, std::chrono::milliseconds timeout)
{
  for (;;) {
    Json message = read_json(timeout);
    if (message.contains("id") && message["id"] == id && !message.contains("method")) {
      return message;
    }
    if (others) {
      others->push_back(std::move(message));
    }
  }
}

std::vector<std::string> Process::read_remaining_lines(std::chrono::milliseconds timeout)
{
  std::vector<std::string> lines;
  while (auto line = read_line(timeout)) {
    lines.push_back(std::move(*line));
  }
  return lines;
}

std::string Process::stderr_text() const
{
  std::lock_guard lock(m_impl->err_mutex);
  return m_impl->err_text;
}

int Process::wait(std::chrono::milliseconds timeout)
{
  if (m_impl->exit_code) {
    return *m_impl->exit_code;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(m_impl->pid, &status, WNOHANG);
    if (done == m_impl->pid) {
      m_impl->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      if (m_impl->err_reader.joinable()) {
        m_impl->err_reader.join(); // the child's stderr is complete once it has exited
      }
      return *m_impl->exit_code;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("timed out waiting for the child to exit; stderr: " + stderr_text());
    }
    std::this_thread::sleep_for(2ms); // polling a bounded wait, not sleeping for readiness
  }
}

void Process::kill(int signal)
{
  ::kill(m_impl->pid, signal);
}

int Process::pid() const
{
  return m_impl->pid;
}

Completed run(std::vector<std::string> argv, std::string_view input, std::map<std::string, std::string> env,
              std::chrono::milliseconds timeout)
{
  Process process(std::move(argv), std::move(env));
  std::thread writer([&] {
    try {
      process.write(input);
    } catch (const std::exception&) {
      // The child exited before reading everything; its exit code tells the story.
    }
    process.close_stdin();
  });
  Completed result;
  try {
    for (const auto& line : process.read_remaining_lines(timeout)) {
      result.out += line + "\n";
    }
  } catch (...) {
    writer.join();
    throw;
  }
  writer.join();
  result.exit_code = process.wait(timeout);
  result.err = process.stderr_text();
  return result;
}

Completed run_dbmcp(std::vector<std::string> args, std::string_view input, std::map<std::string, std::string> env)
{
  args.insert(args.begin(), binary());
  return run(std::move(args), input, std::move(env));
}

} // namespace dbmcp::test
