// Roles, keys and authentication (see auth.h).
#include <openssl/sha.h>

#include <cassert>

#include "adapters/auth/auth.h"
#include "engine/core/secrets.h"

namespace autoriza::auth {

namespace {

constexpr std::string_view kKeyPrefix = "az_";
constexpr size_t kKeyRandomBytes = 32;
constexpr size_t kKeyIdDigits = 12;
constexpr size_t kKeyLengthMax = 256;  // longer bearer values are refused unread

Status principal_of(const Reference& reference, const std::string& sha256, Principal* out) {
  const fb::ApiKeyT* k = reference.api_key_by_hash(sha256);
  if (!k || k->revoked) return Status::unauthenticated("unknown or revoked API key or certificate");
  Role role;
  if (!parse_role(k->role, &role)) return Status::unauthenticated("API key " + k->key_id + " has an unknown role");
  *out = Principal{k->principal, role, k->provider, k->credential, k->key_id};
  return Status::ok();
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::kProvider: return "provider";
    case Role::kAuditor: return "auditor";
    case Role::kAffiliate: return "affiliate";
    case Role::kAnalyst: return "analyst";
    case Role::kOps: return "ops";
  }
  return "?";
}

Status parse_role(std::string_view name, Role* out) {
  for (Role r : kRoles) {
    if (name == role_name(r)) {
      *out = r;
      return Status::ok();
    }
  }
  return Status::invalid("unknown role '" + std::string(name) + "' (provider, auditor, affiliate, analyst or ops)",
                         "role");
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * SHA256_DIGEST_LENGTH);
  for (unsigned char b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

std::string new_api_key() {
  std::string raw = random_bytes(kKeyRandomBytes);
  std::string key = std::string(kKeyPrefix) + base64url_encode(raw);
  wipe(&raw);
  return key;
}

fb::ApiKeyT api_key_record(std::string_view sha256, const Principal& principal, bool certificate, int64_t created_ms) {
  assert(sha256.size() == 2 * SHA256_DIGEST_LENGTH);
  fb::ApiKeyT k;
  k.key_id = std::string(sha256.substr(0, kKeyIdDigits));
  k.sha256 = std::string(sha256);
  k.principal = principal.name;
  k.role = role_name(principal.role);
  k.provider = principal.provider;
  k.credential = principal.credential;
  k.certificate = certificate;
  k.revoked = false;
  k.created_ms = created_ms;
  return k;
}

Status authenticate_key(const Reference& reference, std::string_view api_key, Principal* out) {
  if (api_key.empty()) return Status::unauthenticated("no API key: send Authorization: Bearer KEY");
  if (api_key.size() > kKeyLengthMax || !api_key.starts_with(kKeyPrefix)) {
    return Status::unauthenticated("malformed API key");
  }
  Status s = principal_of(reference, sha256_hex(api_key), out);
  if (s) AUTORIZA_CHECK(!out->name.empty());
  return s;
}

Status authenticate_certificate(const Reference& reference, std::string_view certificate_der, Principal* out) {
  if (certificate_der.empty()) return Status::unauthenticated("no client certificate");
  return principal_of(reference, sha256_hex(certificate_der), out);
}

}  // namespace autoriza::auth
