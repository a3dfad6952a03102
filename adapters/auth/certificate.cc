// PEM -> DER for client certificates (OpenSSL).
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "adapters/auth/auth.h"

namespace autoriza::auth {

Status certificate_der_from_pem(std::string_view pem, std::string* der) {
  constexpr size_t kPemBytesMax = 1 << 20;
  if (pem.size() > kPemBytesMax) return Status::invalid("certificate file over 1 MiB", "certificate");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return Status::invalid("cannot read the certificate", "certificate");
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return Status::invalid("no PEM certificate found", "certificate");
  unsigned char* bytes = nullptr;
  const int length = i2d_X509(cert.get(), &bytes);
  if (length <= 0) return Status::invalid("certificate does not encode as DER", "certificate");
  der->assign(reinterpret_cast<const char*>(bytes), static_cast<size_t>(length));
  OPENSSL_free(bytes);
  return Status::ok();
}

}  // namespace autoriza::auth
