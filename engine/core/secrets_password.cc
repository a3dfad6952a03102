// Password hashing with scrypt (EVP_PBE_scrypt), encoded as
// "scrypt$<log2 N>$<r>$<p>$<salt b64url>$<hash b64url>".
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <optional>
#include <string>

#include "engine/core/secrets.h"

namespace autoriza {
namespace {

constexpr std::string_view kScheme = "scrypt";
constexpr size_t kEncodedFields = 6;
constexpr size_t kEncodedBytesMax = 512;  // far above any string we write
constexpr size_t kSaltBytesMin = 8;
constexpr size_t kSaltBytesMax = 64;
constexpr size_t kHashBytesMin = 16;
constexpr size_t kHashBytesMax = 64;

struct ScryptParams {
  int log2_n = kScryptLog2N;
  int r = kScryptR;
  int p = kScryptP;
};

// scrypt(password, salt) of out_bytes, or nullopt when the parameters need
// more than kScryptMemBytesMax.
std::optional<std::string> scrypt(std::string_view password, std::string_view salt, ScryptParams params,
                                  size_t out_bytes) {
  assert(password.size() <= kPasswordBytesMax && !salt.empty() && out_bytes > 0);
  std::string out(out_bytes, '\0');
  const int rc = EVP_PBE_scrypt(
      password.empty() ? "" : password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
      salt.size(), uint64_t{1} << params.log2_n, static_cast<uint64_t>(params.r), static_cast<uint64_t>(params.p),
      kScryptMemBytesMax, reinterpret_cast<unsigned char*>(out.data()), out.size());
  if (rc != 1) return std::nullopt;
  return out;
}

// A decimal 1-99 ("15", "8"), or 0.
int parse_small(std::string_view text) {
  if (text.empty() || text.size() > 2 || text[0] == '0') return 0;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value;
}

// Splits text on '$' into exactly kEncodedFields fields; false otherwise.
bool split_fields(std::string_view text, std::array<std::string_view, kEncodedFields>* fields) {
  if (std::count(text.begin(), text.end(), '$') != kEncodedFields - 1) return false;
  for (std::string_view& field : *fields) {
    const size_t dollar = text.find('$');
    field = text.substr(0, dollar);
    text.remove_prefix(dollar == std::string_view::npos ? text.size() : dollar + 1);
  }
  assert(text.empty());
  return true;
}

}  // namespace

std::string password_hash(std::string_view password) {
  AUTORIZA_CHECK(password.size() <= kPasswordBytesMax);
  const std::string salt = random_bytes(kScryptSaltBytes);
  std::optional<std::string> hash = scrypt(password, salt, ScryptParams{}, kScryptHashBytes);
  AUTORIZA_CHECK(hash.has_value());  // our own parameters always fit kScryptMemBytesMax
  std::string encoded = std::string(kScheme) + "$" + std::to_string(kScryptLog2N) + "$" + std::to_string(kScryptR) +
                        "$" + std::to_string(kScryptP) + "$" + base64url_encode(salt) + "$" + base64url_encode(*hash);
  wipe(&*hash);
  assert(encoded.size() <= kEncodedBytesMax);
  return encoded;
}

bool password_verify(std::string_view password, std::string_view encoded) {
  if (password.size() > kPasswordBytesMax || encoded.size() > kEncodedBytesMax) return false;
  std::array<std::string_view, kEncodedFields> fields;
  if (!split_fields(encoded, &fields) || fields[0] != kScheme) return false;
  const ScryptParams params{parse_small(fields[1]), parse_small(fields[2]), parse_small(fields[3])};
  if (params.log2_n < 10 || params.log2_n > 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
    return false;
  }
  std::string salt;
  std::string expected;
  if (!base64url_decode(fields[4], &salt) || !base64url_decode(fields[5], &expected)) return false;
  if (salt.size() < kSaltBytesMin || salt.size() > kSaltBytesMax) return false;
  if (expected.size() < kHashBytesMin || expected.size() > kHashBytesMax) return false;
  std::optional<std::string> actual = scrypt(password, salt, params, expected.size());
  if (!actual.has_value()) return false;
  const bool match = equal_constant_time(*actual, expected);
  wipe(&*actual);
  return match;
}

}  // namespace autoriza
