#pragma once
// Who is calling, and what they may do (issue 6: authentication and roles).
//
// A principal authenticates with an API key (HTTP `Authorization: Bearer
// KEY`, the TCP adapter's AUTH frame) or a TLS client certificate. Keys and
// certificates are ApiKey reference records (schemas/reference.fbs): only
// the SHA-256 of a key or of a certificate's DER bytes is stored, and every
// add or revoke is an event of the reference stream.
//
// Roles:
//   provider  - eligibility, authorize, consume, annul for its own provider
//               id only; its register, billing and transactions; card
//               verification; practice search.
//   auditor   - audit_verdict, the audit queue and the auditors' page data,
//               transactions, practice search.
//   affiliate - an affiliate app of one family group (the titular's
//               credential): token_issue, cards, token sheets, shares and
//               history of that family; registration and password recovery.
//   analyst   - read-only: every projection (register, billing, audits,
//               history), transactions, practice search; never cards or
//               token sheets (they show secrets).
//   ops       - everything, plus /metrics and /v1/admin/keys.
// Which HTTP routes each role may call, and which are open without a key,
// are the rows of adapters/service/route_table.cc (also GET /openapi.json).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schemas/commands_generated.h"
#include "engine/core/reference.h"
#include "engine/core/status.h"

namespace autoriza::auth {

enum class Role : uint8_t { kProvider, kAuditor, kAffiliate, kAnalyst, kOps };
inline constexpr Role kRoles[] = {Role::kProvider, Role::kAuditor, Role::kAffiliate, Role::kAnalyst, Role::kOps};

const char* role_name(Role role);
// kInvalidRequest naming the accepted roles when name is none of them.
Status parse_role(std::string_view name, Role* out);

struct Principal {
  std::string name;        // "provider-LAB127", "auditor"...: logged, never secret
  Role role = Role::kAnalyst;
  std::string provider;    // role provider: the provider id it acts for
  std::string credential;  // role affiliate: the family group's titular credential
  std::string key_id;      // which key or certificate authenticated it
};

// Lower-case hex SHA-256 of bytes (an API key, a certificate's DER).
std::string sha256_hex(std::string_view bytes);

// A new API key: "az_" and 43 characters of base64url over 32 random bytes
// (OpenSSL's RAND_bytes). Shown once; only its hash is kept.
std::string new_api_key();

// The reference record for a key or certificate (its sha256) of a principal.
fb::ApiKeyT api_key_record(std::string_view sha256, const Principal& principal, bool certificate, int64_t created_ms);

// Finds the principal of a key or certificate in a reference snapshot.
// kUnauthenticated when the key is unknown, revoked or malformed; the key
// itself never appears in the message.
Status authenticate_key(const Reference& reference, std::string_view api_key, Principal* out);
Status authenticate_certificate(const Reference& reference, std::string_view certificate_der, Principal* out);

// kForbidden unless principal may submit the command (provider ids and
// family groups checked against the command's fields).
Status permit_command(const Principal& principal, const fb::CommandUnion& command, const Reference& reference);

// The fields a command takes from who sends it rather than from its body
// (docs/rules.md section 9): an audit verdict's auditor is the principal's
// name. An omitted auditor is filled in; one naming somebody else is
// kForbidden, whatever the role (ops included). A principal without a key
// (Service::internal_principal, authentication turned off) names nobody: the
// body's auditor stands and is then required (kInvalidRequest). Call after
// permit_command, before the command reaches the engine.
Status bind_auditor(const Principal& principal, fb::CommandUnion* command);

// kForbidden: "<principal> (<role>) may not <what>".
Status forbidden(const Principal& principal, std::string_view what);

// Whether an affiliate principal may act for credential (same family group).
bool in_family(const Principal& principal, std::string_view credential, const Reference& reference);

}  // namespace autoriza::auth

namespace autoriza::auth {
// The DER bytes of the first certificate of a PEM text (what
// authenticate_certificate and add_certificate hash). kInvalidRequest when
// the text holds no readable certificate.
Status certificate_der_from_pem(std::string_view pem, std::string* der);
}  // namespace autoriza::auth
