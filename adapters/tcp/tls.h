#pragma once
// TLS set-up for the TCP adapter and its client (OpenSSL through Boost.Asio):
// TLS 1.2 at least (1.3 preferred: OpenSSL negotiates the highest both
// support), no compression, no renegotiation-era protocols. TLS 1.2 only with
// ECDHE key exchange and AEAD ciphers (AES-GCM, ChaCha20-Poly1305): a peer
// offering nothing else (CBC, static RSA, DHE) fails the handshake.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "engine/core/status.h"

namespace autoriza::tcp {

struct TlsServerFiles {
  std::string cert;       // PEM certificate chain of the server
  std::string key;        // PEM private key
  std::string client_ca;  // PEM CA of client certificates; empty: none asked for
};

// A server context. With client_ca, clients are asked for a certificate and
// one that does not verify against it fails the handshake; a client without
// one may still authenticate with an API key. kInvalidRequest naming the
// file that could not be used.
Status make_server_context(const TlsServerFiles& files, std::shared_ptr<boost::asio::ssl::context>* out);

struct TlsClientFiles {
  std::string ca;    // PEM CA that signed the server's certificate; empty: the system's
  std::string cert;  // optional client certificate (PEM) ...
  std::string key;   // ... and its key
};

// A client context that verifies the server's certificate chain; the host
// name is checked per connection (see client.cc).
Status make_client_context(const TlsClientFiles& files, std::shared_ptr<boost::asio::ssl::context>* out);

// When the context's own certificate stops being valid (its notAfter), in
// Unix seconds; 0 when the context holds none or the time does not parse.
int64_t certificate_expiry_s(boost::asio::ssl::context& context);

// The DER bytes of the peer's certificate after a handshake; empty when it
// sent none.
std::string peer_certificate_der(SSL* ssl);

}  // namespace autoriza::tcp
