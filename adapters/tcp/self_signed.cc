// Self-signed certificate for local TLS runs (see self_signed.h).
#include "adapters/tcp/self_signed.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>

#include <memory>

namespace autoriza::tcp {
namespace {

struct Free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(FILE* p) const { fclose(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

Status write_pem(const std::filesystem::path& path, bool is_key, EVP_PKEY* key, X509* cert) {
  Owned<FILE> f(fopen(path.c_str(), "w"));
  if (!f) return Status::io_error("cannot write " + path.string());
  if (is_key) std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const int ok = is_key ? PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
                        : PEM_write_X509(f.get(), cert);
  if (ok != 1) return Status::io_error("cannot write PEM to " + path.string());
  return Status::ok();
}

}  // namespace

Status write_self_signed(const std::filesystem::path& dir, TlsServerFiles* server) {
  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  Owned<X509> cert(X509_new());
  if (!key || !cert) return Status::io_error("OpenSSL: cannot make a key or certificate");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 2 * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("autoriza local"), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext || X509_add_ext(cert.get(), ext.get(), -1) != 1) return Status::io_error("OpenSSL: cannot add extension");
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return Status::io_error("OpenSSL: cannot sign");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  server->cert = (dir / "cert.pem").string();
  server->key = (dir / "key.pem").string();
  server->client_ca.clear();
  if (Status s = write_pem(server->key, true, key.get(), nullptr); !s) return s;
  return write_pem(server->cert, false, nullptr, cert.get());
}

}  // namespace autoriza::tcp
