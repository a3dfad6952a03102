// TLS contexts (see tls.h).
#include "adapters/tcp/tls.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>

namespace autoriza::tcp {
namespace {

namespace ssl = boost::asio::ssl;

// The TLS 1.2 suites offered and accepted: ECDHE key exchange (forward
// secrecy) with an AEAD cipher, for ECDSA and RSA certificates. No CBC suite
// (padding oracles: Lucky13 and kin), no static RSA or plain DH key
// exchange. TLS 1.3's own suites (all ECDHE and AEAD) stay OpenSSL's.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

std::shared_ptr<ssl::context> base_context(ssl::context::method method) {
  auto context = std::make_shared<ssl::context>(method);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  // A list OpenSSL cannot take would leave its defaults (CBC included) on.
  AUTORIZA_CHECK(SSL_CTX_set_cipher_list(context->native_handle(), kTls12Ciphers) == 1);
  SSL_CTX_set_options(context->native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  return context;
}

Status file_error(const char* what, const std::string& path, const boost::system::error_code& ec) {
  return Status::invalid(std::string("cannot use ") + what + " " + path + ": " + ec.message(), what);
}

}  // namespace

Status make_server_context(const TlsServerFiles& files, std::shared_ptr<ssl::context>* out) {
  auto context = base_context(ssl::context::tls_server);
  boost::system::error_code ec;
  if (context->use_certificate_chain_file(files.cert, ec); ec) return file_error("tls-cert", files.cert, ec);
  if (context->use_private_key_file(files.key, ssl::context::pem, ec); ec) return file_error("tls-key", files.key, ec);
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return Status::invalid("tls-key " + files.key + " does not match tls-cert " + files.cert, "tls-key");
  }
  if (!files.client_ca.empty()) {
    if (context->load_verify_file(files.client_ca, ec); ec) return file_error("tls-client-ca", files.client_ca, ec);
    // Ask for a certificate and refuse one that does not verify; none at all
    // is allowed (the client then authenticates with an API key).
    context->set_verify_mode(ssl::verify_peer);
  }
  *out = std::move(context);
  return Status::ok();
}

Status make_client_context(const TlsClientFiles& files, std::shared_ptr<ssl::context>* out) {
  auto context = base_context(ssl::context::tls_client);
  boost::system::error_code ec;
  if (files.ca.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->load_verify_file(files.ca, ec);
  }
  if (ec) return file_error("ca", files.ca, ec);
  context->set_verify_mode(ssl::verify_peer);
  if (!files.cert.empty()) {
    if (context->use_certificate_chain_file(files.cert, ec); ec) return file_error("cert", files.cert, ec);
    if (context->use_private_key_file(files.key, ssl::context::pem, ec); ec) return file_error("key", files.key, ec);
  }
  *out = std::move(context);
  return Status::ok();
}

int64_t certificate_expiry_s(ssl::context& context) {
  const X509* cert = SSL_CTX_get0_certificate(context.native_handle());
  if (!cert) return 0;
  std::tm when{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &when) != 1) return 0;
  return int64_t(timegm(&when));
}

std::string peer_certificate_der(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return {};
  unsigned char* der = nullptr;
  const int length = i2d_X509(cert, &der);
  std::string bytes;
  if (length > 0) bytes.assign(reinterpret_cast<const char*>(der), size_t(length));
  OPENSSL_free(der);
  X509_free(cert);
  return bytes;
}

}  // namespace autoriza::tcp
