#include "backends/mysql/openssl_lean_start.hpp"

#include <dlfcn.h>

#include <cstdint>
#include <mutex>

namespace dbmcp::backends::mysql {
namespace {

// OPENSSL_init_ssl's options (openssl/crypto.h and openssl/ssl.h, OpenSSL 1.1 and 3): the
// module does not link OpenSSL itself, it reaches the one Connector/C loaded.
constexpr uint64_t k_no_load_crypto_strings = 0x00000001;
constexpr uint64_t k_no_add_all_ciphers = 0x00000010;
constexpr uint64_t k_no_add_all_digests = 0x00000020;
constexpr uint64_t k_no_load_ssl_strings = 0x00100000;

} // namespace

void start_openssl_without_tls_extras()
{
  static std::once_flag once;
  std::call_once(once, [] {
    void* ssl = dlopen("libssl.so.3", RTLD_LAZY | RTLD_NOLOAD);
    if (!ssl) {
      ssl = dlopen("libssl.so.1.1", RTLD_LAZY | RTLD_NOLOAD);
    }
    if (!ssl) {
      return; // Connector/C built with another TLS library, or none
    }
    using Init = int (*)(uint64_t, const void*);
    if (const auto init = reinterpret_cast<Init>(dlsym(ssl, "OPENSSL_init_ssl"))) {
      init(k_no_load_crypto_strings | k_no_add_all_ciphers | k_no_add_all_digests | k_no_load_ssl_strings, nullptr);
    }
    dlclose(ssl); // the reference RTLD_NOLOAD took; the library stays loaded
  });
}

} // namespace dbmcp::backends::mysql
