#pragma once

namespace dbmcp::backends::mysql {

// Starts the OpenSSL that MariaDB Connector/C links (when it links one) without the parts a
// connection without TLS never uses: the error texts and the tables of every cipher and digest
// by name. Connector/C starts OpenSSL in full at its first mysql_init() whether a connection
// will use TLS or not, which leaves about 1 MiB of libcrypto resident (issue 14: idle RSS). Once
// OpenSSL is started this way, the parts skipped stay off for the whole process: an OpenSSL
// error of a later TLS connection (a rediss:// result cache) reads as its code, not its text.
// So it is called only before a connection that asks for no TLS; its configuration file (the
// system's policy) is still read. Does nothing when OpenSSL is not loaded or already started.
// Thread-safe; runs once.
void start_openssl_without_tls_extras();

} // namespace dbmcp::backends::mysql
