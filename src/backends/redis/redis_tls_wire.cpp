// rediss://: Debian 12's hiredis (0.14) has no TLS, so the socket and TLS are ours (OpenSSL) and
// hiredis only formats commands (redisFormatCommandArgv) and parses replies (redisReader).
#include "backends/redis/redis_tls_wire.hpp"

#include "store/errors.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

namespace dbmcp::backends::redis {
namespace {

using Clock = std::chrono::steady_clock;

// The oldest error OpenSSL queued (and the queue cleared), or `fallback` when there is none.
std::string openssl_error(const char* fallback)
{
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) {
    return errno != 0 ? std::strerror(errno) : fallback;
  }
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// Blocks SIGPIPE in this thread while it lives, and swallows one raised meanwhile: a write to a
// server that has gone away then fails with EPIPE instead of ending the process.
class SigpipeBlocked
{
public:
  SigpipeBlocked()
  {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    m_was_pending = sigismember(&pending, SIGPIPE) == 1;
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    m_blocked = pthread_sigmask(SIG_BLOCK, &block, &m_old) == 0;
  }
  ~SigpipeBlocked()
  {
    if (!m_blocked) {
      return;
    }
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    if (!m_was_pending && sigismember(&pending, SIGPIPE) == 1) {
      sigset_t pipe;
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      const timespec zero{};
      while (sigtimedwait(&pipe, nullptr, &zero) == -1 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;

private:
  sigset_t m_old{};
  bool m_was_pending = false;
  bool m_blocked = false;
};

bool is_ip_address(const std::string& host)
{
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
}

// Waits until `fd` is ready for `events` or `deadline` passes (nullopt: no deadline); false on timeout.
bool wait_for(int fd, short events, std::optional<Clock::time_point> deadline)
{
  while (true) {
    int timeout_ms = -1;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) {
        return false;
      }
      timeout_ms = static_cast<int>(std::min<int64_t>(left, 1 << 30));
    }
    pollfd entry{fd, events, 0};
    const int ready = poll(&entry, 1, timeout_ms);
    if (ready > 0) {
      return true;
    }
    if (ready == 0) {
      return false;
    }
    if (errno != EINTR) {
      return true; // the next call on the socket reports the error
    }
  }
}

// A non-blocking TCP socket connected to host:port within `deadline`; throws unavailable.
int connect_tcp(const RedisTarget& target, Clock::time_point deadline)
{
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(target.port);
  if (const int code = getaddrinfo(target.host.c_str(), port.c_str(), &hints, &found); code != 0) {
    throw store::unavailable(
        fmt::format("cannot connect to Redis at {}: cannot resolve the host: {}", where(target), gai_strerror(code)));
  }
  std::string reason = "no address";
  int fd = -1;
  for (const addrinfo* address = found; address != nullptr && fd < 0; address = address->ai_next) {
    fd = socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) {
      reason = std::strerror(errno);
      continue;
    }
    int error = 0;
    if (connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
      error = errno;
      if (error == EINPROGRESS) {
        socklen_t size = sizeof error;
        if (!wait_for(fd, POLLOUT, deadline)) {
          error = ETIMEDOUT;
        } else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
          error = errno;
        }
      }
    }
    if (error != 0) {
      reason = error == ETIMEDOUT ? "connection timed out" : std::strerror(error);
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    throw store::unavailable(fmt::format("cannot connect to Redis at {}: {}", where(target), reason));
  }
  const int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

class TlsWire final : public Wire
{
public:
  TlsWire(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
          std::chrono::milliseconds command_timeout)
    : m_command_timeout(command_timeout)
  {
    const auto deadline = Clock::now() + connect_timeout;
    m_context = SSL_CTX_new(TLS_client_method());
    m_reader = redisReaderCreate();
    if (m_context == nullptr || m_reader == nullptr) {
      release();
      throw store::unavailable("cannot allocate a TLS connection to Redis: " + openssl_error("out of memory"));
    }
    SSL_CTX_set_min_proto_version(m_context, TLS1_2_VERSION);
    if (!target.tls_insecure) {
      SSL_CTX_set_verify(m_context, SSL_VERIFY_PEER, nullptr);
      const bool loaded = target.tls_ca.empty()
                              ? SSL_CTX_set_default_verify_paths(m_context) == 1
                              : SSL_CTX_load_verify_locations(m_context, target.tls_ca.c_str(), nullptr) == 1;
      if (!loaded) {
        const std::string reason = openssl_error("unreadable");
        release();
        throw store::invalid_argument(
            target.tls_ca.empty()
                ? fmt::format("cannot load the system's CA certificates for rediss://: {}", reason)
                : fmt::format("cannot load the CA file '{}' of the rediss:// URL (?ca=): {}", target.tls_ca, reason));
      }
    }
    try {
      m_fd = connect_tcp(target, deadline);
      handshake(target, deadline);
    } catch (...) {
      release();
      throw;
    }
  }
  ~TlsWire() override { release(); }
  TlsWire(const TlsWire&) = delete;
  TlsWire& operator=(const TlsWire&) = delete;

  void send(const std::vector<Command>& commands) override
  {
    std::string out;
    for (const auto& command : commands) {
      CommandArgv parts(command); // hiredis 0.14 takes a non-const argv
      char* formatted = nullptr;
      const int size = redisFormatCommandArgv(&formatted, parts.size(), parts.argv.data(), parts.lengths.data());
      if (size < 0 || formatted == nullptr) {
        throw WireError("sending a command: out of memory");
      }
      out.append(formatted, static_cast<size_t>(size));
      redisFreeCommand(formatted);
    }
    const SigpipeBlocked blocked;
    const auto deadline = io_deadline();
    size_t sent = 0;
    while (sent < out.size()) {
      const int chunk = static_cast<int>(std::min<size_t>(out.size() - sent, 1 << 20));
      ERR_clear_error();
      errno = 0;
      const int written = SSL_write(m_ssl, out.data() + sent, chunk);
      if (written > 0) {
        sent += static_cast<size_t>(written);
        continue;
      }
      wait_or_fail(SSL_get_error(m_ssl, written), deadline, "sending a command");
    }
  }

  Reply receive() override
  {
    const auto deadline = io_deadline();
    while (true) {
      void* raw = nullptr;
      if (redisReaderGetReply(m_reader, &raw) != REDIS_OK) {
        throw WireError(fmt::format("reading a reply: {}", m_reader->errstr));
      }
      if (raw != nullptr) {
        return Reply(static_cast<redisReply*>(raw));
      }
      char buffer[16384];
      ERR_clear_error();
      errno = 0;
      const int got = SSL_read(m_ssl, buffer, sizeof buffer);
      if (got > 0) {
        redisReaderFeed(m_reader, buffer, static_cast<size_t>(got));
        continue;
      }
      const SigpipeBlocked blocked; // a renegotiation may write
      wait_or_fail(SSL_get_error(m_ssl, got), deadline, "reading a reply");
    }
  }

private:
  std::optional<Clock::time_point> io_deadline() const
  {
    if (m_command_timeout.count() <= 0) {
      return std::nullopt;
    }
    return Clock::now() + m_command_timeout;
  }

  // After an SSL call that did not complete: waits for the socket when OpenSSL asks to, else throws.
  void wait_or_fail(int error, std::optional<Clock::time_point> deadline, const char* doing)
  {
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
      if (!wait_for(m_fd, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
        throw WireError(fmt::format("{}: timed out after {} ms", doing, m_command_timeout.count()));
      }
      return;
    }
    if (error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && errno == 0)) {
      throw WireError(fmt::format("{}: the server closed the connection", doing));
    }
    throw WireError(fmt::format("{}: {}", doing, openssl_error("connection lost")));
  }

  void handshake(const RedisTarget& target, Clock::time_point deadline)
  {
    m_ssl = SSL_new(m_context);
    if (m_ssl == nullptr || SSL_set_fd(m_ssl, m_fd) != 1) {
      throw store::unavailable("cannot set up TLS to Redis: " + openssl_error("out of memory"));
    }
    if (!target.tls_insecure) {
      const bool named = is_ip_address(target.host)
                             ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(m_ssl), target.host.c_str()) == 1
                             : SSL_set1_host(m_ssl, target.host.c_str()) == 1;
      if (!named) {
        throw store::unavailable(fmt::format("cannot check the Redis server's name '{}' in TLS", target.host));
      }
    }
    if (!is_ip_address(target.host)) {
      SSL_set_tlsext_host_name(m_ssl, target.host.c_str());
    }
    const SigpipeBlocked blocked;
    while (true) {
      ERR_clear_error();
      errno = 0;
      const int done = SSL_connect(m_ssl);
      if (done == 1) {
        return;
      }
      const int error = SSL_get_error(m_ssl, done);
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        if (!wait_for(m_fd, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline)) {
          throw store::unavailable(
              fmt::format("the TLS handshake with Redis at {} timed out; is that port a TLS port?", where(target)));
        }
        continue;
      }
      const long verified = SSL_get_verify_result(m_ssl);
      if (verified == X509_V_ERR_HOSTNAME_MISMATCH || verified == X509_V_ERR_IP_ADDRESS_MISMATCH) {
        ERR_clear_error();
        throw store::unavailable(fmt::format(
            "the TLS certificate of the Redis server at {} is not trusted: it does not name '{}' ({}); connect with "
            "a host name the certificate carries, or skip verification with ?insecure=1 (never on an untrusted "
            "network)",
            where(target), target.host, X509_verify_cert_error_string(verified)));
      }
      if (verified != X509_V_OK) {
        ERR_clear_error();
        throw store::unavailable(fmt::format(
            "the TLS certificate of the Redis server at {} is not trusted ({}); pass the CA that signed it as "
            "rediss://…?ca=/path/to/ca.pem, or skip verification with ?insecure=1 (never on an untrusted network)",
            where(target), X509_verify_cert_error_string(verified)));
      }
      throw store::unavailable(fmt::format("the TLS handshake with Redis at {} failed: {}; is that port a TLS port?",
                                           where(target), openssl_error("the server closed the connection")));
    }
  }

  void release()
  {
    if (m_ssl != nullptr) {
      SSL_free(m_ssl); // no close_notify: the server does not need it, and it could block or raise SIGPIPE
      m_ssl = nullptr;
    }
    if (m_fd >= 0) {
      close(m_fd);
      m_fd = -1;
    }
    if (m_context != nullptr) {
      SSL_CTX_free(m_context);
      m_context = nullptr;
    }
    if (m_reader != nullptr) {
      redisReaderFree(m_reader);
      m_reader = nullptr;
    }
  }

  const std::chrono::milliseconds m_command_timeout;
  SSL_CTX* m_context = nullptr;
  SSL* m_ssl = nullptr;
  int m_fd = -1;
  redisReader* m_reader = nullptr;
};

} // namespace

std::unique_ptr<Wire> open_tls_wire(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
                                    std::chrono::milliseconds command_timeout)
{
  return std::make_unique<TlsWire>(target, connect_timeout, command_timeout);
}

} // namespace dbmcp::backends::redis
