// Primitives of secrets.h: randomness, HMAC, constant-time compare, base64url.
#include "engine/core/secrets.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cassert>
#include <memory>
#include <utility>

namespace autoriza {
namespace {

const unsigned char* bytes_of(std::string_view s) {
  // OpenSSL treats a null pointer as "no key"; an empty view may have one.
  return reinterpret_cast<const unsigned char*>(s.empty() ? "" : s.data());
}

// The HMAC implementation, fetched once for the process (never freed).
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  AUTORIZA_CHECK(mac != nullptr);
  return mac;
}

struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

std::string hmac(const char* digest, size_t out_bytes, std::string_view key, std::string_view message) {
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx(EVP_MAC_CTX_new(hmac_algorithm()));
  AUTORIZA_CHECK(ctx != nullptr);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
      OSSL_PARAM_construct_end(),
  };
  AUTORIZA_CHECK(EVP_MAC_init(ctx.get(), bytes_of(key), key.size(), params) == 1);
  AUTORIZA_CHECK(EVP_MAC_update(ctx.get(), bytes_of(message), message.size()) == 1);
  std::string out(out_bytes, '\0');
  size_t written = 0;
  AUTORIZA_CHECK(EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &written, out.size()) == 1);
  AUTORIZA_CHECK(written == out_bytes);
  return out;
}

constexpr char kBase64UrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// The 6-bit value of a base64url character, or -1.
int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string random_bytes(size_t n) {
  AUTORIZA_CHECK(n <= kRandomBytesMax);
  std::string out(n, '\0');
  if (n == 0) return out;
  AUTORIZA_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) == 1);
  return out;
}

std::string random_digits(size_t n) {
  AUTORIZA_CHECK(n <= kRandomBytesMax);
  // A byte below 250 (= 25 * 10) maps to a digit without bias; 250-255 are
  // drawn again. Each round keeps ~97.7% of bytes, so the bound on rounds is
  // never reached unless the generator is broken.
  constexpr int kRoundsMax = 64;
  std::string out;
  out.reserve(n);
  for (int round = 0; out.size() < n; ++round) {
    AUTORIZA_CHECK(round < kRoundsMax);
    std::string pool = random_bytes(n - out.size());
    for (char c : pool) {
      const auto b = static_cast<unsigned char>(c);
      if (b < 250) out.push_back(static_cast<char>('0' + b % 10));
    }
    wipe(&pool);
  }
  AUTORIZA_CHECK(out.size() == n);
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
  return hmac("SHA256", 32, key, message);
}

std::string hmac_sha1(std::string_view key, std::string_view message) {
  return hmac("SHA1", 20, key, message);
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void wipe_memory(void* p, size_t n) {
  if (p != nullptr && n > 0) OPENSSL_cleanse(p, n);
}

void wipe(std::string* secret) {
  assert(secret != nullptr);
  wipe_memory(secret->data(), secret->size());
  secret->clear();
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kBase64UrlAlphabet[(v >> shift) & 63]);
  }
  const size_t rest = bytes.size() - i;  // 0, 1 or 2 bytes: 0, 2 or 3 characters
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) v |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out.push_back(kBase64UrlAlphabet[(v >> 18) & 63]);
    out.push_back(kBase64UrlAlphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(kBase64UrlAlphabet[(v >> 6) & 63]);
  }
  assert(out.size() == (bytes.size() * 4 + 2) / 3);
  return out;
}

bool base64url_decode(std::string_view text, std::string* out) {
  assert(out != nullptr);
  if (text.size() % 4 == 1) return false;  // no byte count encodes to 4k+1 characters
  std::string bytes;
  bytes.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const int v = base64url_value(c);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if ((acc & ((1U << bits) - 1)) != 0) return false;  // non-canonical trailing bits
  assert(bytes.size() == text.size() * 3 / 4);
  *out = std::move(bytes);
  return true;
}

}  // namespace autoriza
