#pragma once
// Secrets: master keys, sealing, tokens, signatures and passwords (docs/rules.md §12-13:
// "secrets never appear in clear in the event log or in logs").
//
// Master keys come from AUTORIZA_SECRET_KEYS = "ID:HEX64[,ID:HEX64...]": ids
// 1-255, 32-byte AES-256 keys in hex, the first one current. Rotation: put a
// new key first and keep the old ones; new seals, hashes and signatures use
// the current key, old ones still open/verify because they carry their key id.
// No master key is used directly: each purpose gets its own derived key,
// HMAC-SHA256(master, label), with the labels below.
//
// Formats (all bytes, no length prefixes):
//   sealed    = [version u8 = 1][key_id u8][nonce 12][ciphertext][tag 16]
//               AES-256-GCM with derive(key_id, "seal"); the GCM associated
//               data is [version][key_id] || caller's associated_data, so the
//               header cannot be altered either.
//   signature = [key_id u8][HMAC-SHA256(derive(key_id, "card-sign"), message) 32]
//   token hash= HMAC-SHA256(derive(key_id, "token-hash"), context || 0x00 || value)
//   password  = "scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>"
//
// Nothing here logs. Keys leave a KeyRing only through to_spec().
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/status.h"

namespace autoriza {

inline constexpr size_t kMasterKeyBytes = 32;
inline constexpr size_t kDerivedKeyBytes = 32;
inline constexpr size_t kKeyRingKeysMax = 16;  // current + old keys kept for rotation
inline constexpr const char* kSecretKeysEnv = "AUTORIZA_SECRET_KEYS";

// Labels of derived keys: one per purpose, so a leak or misuse of one
// purpose's key says nothing about another's.
inline constexpr std::string_view kLabelSeal = "seal";
inline constexpr std::string_view kLabelTokenHash = "token-hash";
inline constexpr std::string_view kLabelCardSign = "card-sign";

// Overwrites n bytes at p (OPENSSL_cleanse: not optimized away).
void wipe_memory(void* p, size_t n);

// An allocator that wipes memory before freeing it, so key bytes do not
// linger in the heap after a KeyRing is destroyed, copied over or regrown.
template <class T>
struct WipingAllocator {
  using value_type = T;
  WipingAllocator() = default;
  template <class U>
  WipingAllocator(const WipingAllocator<U>&) {}  // NOLINT: rebinding must be implicit
  T* allocate(size_t n) { return std::allocator<T>().allocate(n); }
  void deallocate(T* p, size_t n) {
    wipe_memory(p, n * sizeof(T));
    std::allocator<T>().deallocate(p, n);
  }
  friend bool operator==(const WipingAllocator&, const WipingAllocator&) { return true; }
};

class KeyRing {
 public:
  KeyRing() = default;  // empty: no current key; only parse/generate_dev fill one

  // Parses "ID:HEX64[,ID:HEX64...]" (first = current; ID 1-255 decimal,
  // HEX64 = 64 hex digits of either case; spaces around entries ignored;
  // at most kKeyRingKeysMax keys, no duplicate ids). Needs: out != nullptr.
  // Returns kInvalidRequest with a message naming the entry ("key 2: expected
  // 64 hex digits") and never quoting key material; *out is untouched then.
  static Status parse(std::string_view spec, KeyRing* out);

  // The ring of env AUTORIZA_SECRET_KEYS. Sets *status (needs non-null) to
  // ok, kNotFound if the variable is unset, or parse()'s error; the ring is
  // empty unless ok.
  static KeyRing from_environment(Status* status);

  // One fresh random key with id 1, for development only (write to_spec()
  // to a 0600 file to keep it).
  static KeyRing generate_dev();

  // The ring as parse() reads it, current first, lowercase hex. The only way
  // key material leaves a KeyRing: never log the result.
  std::string to_spec() const;

  bool empty() const { return keys_.empty(); }
  size_t size() const { return keys_.size(); }
  bool has(uint8_t key_id) const;
  // Needs: !empty().
  uint8_t current_id() const;

  // HMAC-SHA256(master key key_id, label): kDerivedKeyBytes raw bytes.
  // Needs: has(key_id), label non-empty. Deterministic.
  std::string derive(uint8_t key_id, std::string_view label) const;

 private:
  struct Entry {
    uint8_t id = 0;
    std::array<unsigned char, kMasterKeyBytes> key{};
  };
  const Entry* find(uint8_t key_id) const;
  std::vector<Entry, WipingAllocator<Entry>> keys_;  // keys_[0] is current; ids unique; size <= kKeyRingKeysMax
};

// --- Primitives -------------------------------------------------------------

// n cryptographically random bytes (RAND_bytes). Needs: n <= kRandomBytesMax.
// Aborts the process if the generator fails (no secret is better than a weak one).
inline constexpr size_t kRandomBytesMax = 1 << 20;
std::string random_bytes(size_t n);
// n uniform random ASCII decimal digits (rejection sampling, no modulo bias).
// Needs: n <= kRandomBytesMax.
std::string random_digits(size_t n);

// HMAC over message; 32 (SHA-256) or 20 (SHA-1) raw bytes. Any key length.
std::string hmac_sha256(std::string_view key, std::string_view message);
std::string hmac_sha1(std::string_view key, std::string_view message);

// Equality whose time depends only on the lengths (CRYPTO_memcmp), for
// comparing secrets, tags and hashes.
bool equal_constant_time(std::string_view a, std::string_view b);

// Wipes a string holding secret bytes (OPENSSL_cleanse) and empties it.
void wipe(std::string* secret);

// Base64url (RFC 4648 section 5) without padding.
std::string base64url_encode(std::string_view bytes);
// Needs: out != nullptr. Returns false (and leaves *out untouched) on any
// character outside [A-Za-z0-9_-], on '=' padding, on an impossible length or
// on non-zero unused trailing bits (only the canonical encoding decodes).
bool base64url_decode(std::string_view text, std::string* out);

// --- Sealing (AES-256-GCM) --------------------------------------------------

inline constexpr uint8_t kSealVersion = 1;
inline constexpr size_t kSealNonceBytes = 12;
inline constexpr size_t kSealTagBytes = 16;
inline constexpr size_t kSealOverheadBytes = 2 + kSealNonceBytes + kSealTagBytes;
inline constexpr size_t kSealPlaintextBytesMax = 1 << 20;

// Encrypts and authenticates plaintext under the ring's current key with a
// fresh random nonce; associated_data is authenticated, not stored (open()
// needs the same). Needs: !ring.empty(), plaintext.size() <=
// kSealPlaintextBytesMax. Returns plaintext.size() + kSealOverheadBytes bytes.
std::string seal(const KeyRing& ring, std::string_view plaintext, std::string_view associated_data);

// Reverses seal() with whichever ring key the header names. Needs:
// plaintext != nullptr. Errors: kCorruption for a short/unknown-version input
// or "sealed data does not authenticate" (tampered bytes, wrong associated
// data); kInvalidRequest when the key id is not in the ring (a key retired
// too early). *plaintext is set only on ok.
Status open(const KeyRing& ring, std::string_view sealed, std::string_view associated_data, std::string* plaintext);

// --- Keyed hashes of stored tokens ------------------------------------------

inline constexpr size_t kKeyedHashBytes = 32;

// HMAC-SHA256(derive(key_id, "token-hash"), context || 0x00 || value): 32 raw
// bytes, deterministic, so equal values can be looked up by hash.
// A hash is bound to the key it was made with: after a rotation the same value
// hashes differently, so whoever stores a hash stores current_id() beside it
// and recomputes with keyed_hash_with(that id) to compare.
// Needs: ring.has(key_id), context without 0x00 bytes (the separator).
std::string keyed_hash_with(const KeyRing& ring, uint8_t key_id, std::string_view context, std::string_view value);
// keyed_hash_with(ring, ring.current_id(), ...). Needs: !ring.empty().
std::string keyed_hash(const KeyRing& ring, std::string_view context, std::string_view value);

// --- Signatures for QR payloads ---------------------------------------------

inline constexpr size_t kSignatureBytes = 1 + 32;

// [current key id] + HMAC-SHA256(derive(id, "card-sign"), message).
// Needs: !ring.empty(). Returns kSignatureBytes raw bytes (base64url them for a QR).
std::string sign(const KeyRing& ring, std::string_view message);
// Whether signature is sign(message) under the ring key it names; false for
// wrong length, unknown key id or mismatch. Constant-time in the MAC compare.
bool verify(const KeyRing& ring, std::string_view message, std::string_view signature);

// --- TOTP / HOTP (RFC 4226, RFC 6238, HMAC-SHA1) -------------------------------

inline constexpr int kOtpDigitsMin = 1;
inline constexpr int kOtpDigitsMax = 9;  // 10^9 < 2^31, the truncated value's range

// RFC 4226 HOTP value: dynamic truncation of HMAC-SHA1(secret, counter as
// 8 big-endian bytes), mod 10^digits. Needs: secret non-empty, digits in
// [kOtpDigitsMin, kOtpDigitsMax].
uint32_t hotp(std::string_view secret, uint64_t counter, int digits);
// hotp() zero-padded to exactly `digits` characters ("007081").
std::string hotp_text(std::string_view secret, uint64_t counter, int digits);
// The RFC 6238 time step of t: floor(seconds since the epoch / step_seconds).
// Needs: t.value >= 0, step_seconds > 0.
uint64_t totp_step(Millis t, int64_t step_seconds);
// hotp_text(secret, totp_step(t, step_seconds), digits). Same needs as both.
std::string totp(std::string_view secret, Millis t, int64_t step_seconds, int digits);

// --- Passwords (scrypt) -----------------------------------------------------

inline constexpr int kScryptLog2N = 15;
inline constexpr int kScryptR = 8;
inline constexpr int kScryptP = 1;
inline constexpr size_t kScryptSaltBytes = 16;
inline constexpr size_t kScryptHashBytes = 32;
inline constexpr uint64_t kScryptMemBytesMax = 64ull << 20;  // N=2^15, r=8 needs 32 MiB
inline constexpr size_t kPasswordBytesMax = 1024;

// "scrypt$15$8$1$<salt b64url>$<hash b64url>" with a fresh 16-byte salt. The
// result never contains the password. Slow on purpose (~0.1 s, 32 MiB).
// Needs: password.size() <= kPasswordBytesMax.
std::string password_hash(std::string_view password);
// Whether password matches an encoded password_hash() result (constant-time
// compare). False, never a crash, for a malformed string, a password over
// kPasswordBytesMax or parameters beyond the limits (log2 N 10-20, r 1-32,
// p 1-16, memory within kScryptMemBytesMax).
bool password_verify(std::string_view password, std::string_view encoded);

}  // namespace autoriza
