#pragma once

#include "backends/redis/redis_wire.hpp"

namespace dbmcp::backends::redis {

// A TLS connection to `target` (target.tls): TCP connect and handshake within `connect_timeout`,
// the certificate verified against target.tls_ca (else the system's CA store) and the host name
// (or IP address) checked, unless target.tls_insecure. Throws store::StoreError (unavailable)
// saying why, e.g. that the certificate is not trusted and how to pass the CA.
std::unique_ptr<Wire> open_tls_wire(const RedisTarget& target, std::chrono::milliseconds connect_timeout,
                                    std::chrono::milliseconds command_timeout);

} // namespace dbmcp::backends::redis
