// Sealing (AES-256-GCM), keyed token hashes and QR signatures; formats at the
// top of secrets.h.
#include <openssl/evp.h>

#include <cassert>
#include <climits>
#include <memory>
#include <string>
#include <utility>

#include "engine/core/secrets.h"

namespace autoriza {
namespace {

constexpr size_t kSealHeaderBytes = 2;  // [version][key_id]

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

unsigned char* writable(std::string* s, size_t offset) {
  return reinterpret_cast<unsigned char*>(s->data()) + offset;
}
const unsigned char* readable(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.empty() ? "" : s.data());
}

// A GCM context keyed and ready for associated data and text. encrypt picks
// the direction. Needs: key of kDerivedKeyBytes, nonce of kSealNonceBytes.
CipherCtx gcm_context(bool encrypt, const std::string& key, std::string_view nonce) {
  AUTORIZA_CHECK(key.size() == kDerivedKeyBytes && nonce.size() == kSealNonceBytes);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  AUTORIZA_CHECK(ctx != nullptr);
  const int enc = encrypt ? 1 : 0;
  AUTORIZA_CHECK(EVP_CipherInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr, enc) == 1);
  AUTORIZA_CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kSealNonceBytes), nullptr) ==
                 1);
  AUTORIZA_CHECK(EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, readable(key), readable(nonce), enc) == 1);
  return ctx;
}

// Feeds associated data: the sealed header, then the caller's bytes.
void add_associated_data(EVP_CIPHER_CTX* ctx, std::string_view header, std::string_view associated_data) {
  int len = 0;
  AUTORIZA_CHECK(EVP_CipherUpdate(ctx, nullptr, &len, readable(header), static_cast<int>(header.size())) == 1);
  if (associated_data.empty()) return;
  AUTORIZA_CHECK(associated_data.size() <= static_cast<size_t>(INT_MAX));
  const int size = static_cast<int>(associated_data.size());
  AUTORIZA_CHECK(EVP_CipherUpdate(ctx, nullptr, &len, readable(associated_data), size) == 1);
}

// Runs text through ctx into out[offset...]; returns the bytes written.
size_t cipher_text(EVP_CIPHER_CTX* ctx, std::string_view text, std::string* out, size_t offset) {
  AUTORIZA_CHECK(offset + text.size() <= out->size());
  int len = 0;
  if (!text.empty()) {
    AUTORIZA_CHECK(EVP_CipherUpdate(ctx, writable(out, offset), &len, readable(text), static_cast<int>(text.size())) ==
                   1);
  }
  AUTORIZA_CHECK(static_cast<size_t>(len) == text.size());  // GCM is a stream mode
  return static_cast<size_t>(len);
}

}  // namespace

std::string seal(const KeyRing& ring, std::string_view plaintext, std::string_view associated_data) {
  AUTORIZA_CHECK(plaintext.size() <= kSealPlaintextBytesMax);
  const uint8_t key_id = ring.current_id();
  std::string key = ring.derive(key_id, kLabelSeal);
  std::string out(kSealOverheadBytes + plaintext.size(), '\0');
  out[0] = static_cast<char>(kSealVersion);
  out[1] = static_cast<char>(key_id);
  out.replace(kSealHeaderBytes, kSealNonceBytes, random_bytes(kSealNonceBytes));
  const std::string_view nonce = std::string_view(out).substr(kSealHeaderBytes, kSealNonceBytes);
  CipherCtx ctx = gcm_context(true, key, nonce);
  wipe(&key);
  add_associated_data(ctx.get(), std::string_view(out).substr(0, kSealHeaderBytes), associated_data);
  const size_t body = kSealHeaderBytes + kSealNonceBytes;
  cipher_text(ctx.get(), plaintext, &out, body);
  int len = 0;
  AUTORIZA_CHECK(EVP_EncryptFinal_ex(ctx.get(), writable(&out, body + plaintext.size()), &len) == 1 && len == 0);
  AUTORIZA_CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kSealTagBytes),
                                     writable(&out, body + plaintext.size())) == 1);
  assert(out.size() == plaintext.size() + kSealOverheadBytes);
  return out;
}

Status open(const KeyRing& ring, std::string_view sealed, std::string_view associated_data, std::string* plaintext) {
  assert(plaintext != nullptr);
  if (sealed.size() < kSealOverheadBytes) return Status::corruption("sealed data is too short");
  if (sealed.size() > kSealOverheadBytes + kSealPlaintextBytesMax) return Status::corruption("sealed data is too long");
  const auto version = static_cast<uint8_t>(sealed[0]);
  const auto key_id = static_cast<uint8_t>(sealed[1]);
  if (version != kSealVersion) return Status::corruption("sealed data has unknown version " + std::to_string(version));
  if (!ring.has(key_id)) {
    return Status::invalid("sealed with key " + std::to_string(key_id) + ", which is not in the key ring (" +
                           kSecretKeysEnv + ")");
  }
  std::string key = ring.derive(key_id, kLabelSeal);
  CipherCtx ctx = gcm_context(false, key, sealed.substr(kSealHeaderBytes, kSealNonceBytes));
  wipe(&key);
  add_associated_data(ctx.get(), sealed.substr(0, kSealHeaderBytes), associated_data);
  const size_t body = kSealHeaderBytes + kSealNonceBytes;
  const std::string_view ciphertext = sealed.substr(body, sealed.size() - kSealOverheadBytes);
  std::string tag(sealed.substr(body + ciphertext.size()));
  AUTORIZA_CHECK(EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kSealTagBytes), tag.data()) ==
                 1);
  std::string clear(ciphertext.size(), '\0');
  cipher_text(ctx.get(), ciphertext, &clear, 0);
  int len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), writable(&clear, clear.size()), &len) != 1) {
    wipe(&clear);  // unauthenticated bytes never leave
    return Status::corruption("sealed data does not authenticate");
  }
  AUTORIZA_CHECK(len == 0);
  *plaintext = std::move(clear);
  return Status::ok();
}

std::string keyed_hash_with(const KeyRing& ring, uint8_t key_id, std::string_view context, std::string_view value) {
  AUTORIZA_CHECK(context.find('\0') == std::string_view::npos);  // else context/value would be ambiguous
  std::string key = ring.derive(key_id, kLabelTokenHash);
  std::string message;
  message.reserve(context.size() + 1 + value.size());
  message.append(context).push_back('\0');
  message.append(value);
  std::string hash = hmac_sha256(key, message);
  wipe(&key);
  wipe(&message);  // value may be a token in clear
  AUTORIZA_CHECK(hash.size() == kKeyedHashBytes);
  return hash;
}

std::string keyed_hash(const KeyRing& ring, std::string_view context, std::string_view value) {
  return keyed_hash_with(ring, ring.current_id(), context, value);
}

namespace {

std::string card_mac(const KeyRing& ring, uint8_t key_id, std::string_view message) {
  std::string key = ring.derive(key_id, kLabelCardSign);
  std::string mac = hmac_sha256(key, message);
  wipe(&key);
  return mac;
}

}  // namespace

std::string sign(const KeyRing& ring, std::string_view message) {
  const uint8_t key_id = ring.current_id();
  std::string signature(1, static_cast<char>(key_id));
  signature += card_mac(ring, key_id, message);
  AUTORIZA_CHECK(signature.size() == kSignatureBytes);
  return signature;
}

bool verify(const KeyRing& ring, std::string_view message, std::string_view signature) {
  if (signature.size() != kSignatureBytes) return false;
  const auto key_id = static_cast<uint8_t>(signature[0]);
  if (!ring.has(key_id)) return false;
  return equal_constant_time(card_mac(ring, key_id, message), signature.substr(1));
}

}  // namespace autoriza
