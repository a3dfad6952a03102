// What each role may do (the table is in auth.h). Commands are checked on
// their decoded fields, requests on method and path; anything not listed
// is forbidden to every role but ops.
#include <cassert>
#include <vector>

#include "adapters/auth/auth.h"

namespace autoriza::auth {

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  constexpr size_t kSegmentsMax = 16;  // longer paths match no route anyway
  while (!path.empty() && out.size() < kSegmentsMax) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t end = path.find('/');
    out.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return out;
}

Status forbidden(const Principal& p, std::string_view what) {
  return Status::forbidden(p.name + " (" + role_name(p.role) + ") may not " + std::string(what));
}

Status provider_must_match(const Principal& p, std::string_view provider) {
  if (p.provider == provider) return Status::ok();
  return forbidden(p, "act for provider " + std::string(provider));
}

Status family_must_include(const Principal& p, std::string_view credential, const Reference& reference) {
  if (in_family(p, credential, reference)) return Status::ok();
  return forbidden(p, "act for credential " + std::string(credential) + " (another family group)");
}

bool is_read(std::string_view method) { return method == "GET" || method == "HEAD"; }

// Affiliate-app paths: /v1/affiliates/{credential}/...
Status permit_affiliate_path(const Principal& p, std::string_view method, const std::vector<std::string_view>& s,
                             const Reference& reference) {
  const bool shows_secrets = s.size() >= 4 && (s[3].starts_with("card") || s[3].starts_with("tokens"));
  switch (p.role) {
    case Role::kAffiliate: return family_must_include(p, s[2], reference);
    case Role::kAnalyst:
      if (is_read(method) && !shows_secrets) return Status::ok();
      return forbidden(p, "see cards, token sheets or change shares");
    default: return forbidden(p, "use the affiliate API");
  }
}

// /v1/providers/{id}/register|billing...
Status permit_provider_path(const Principal& p, std::string_view method, const std::vector<std::string_view>& s) {
  switch (p.role) {
    case Role::kProvider: return provider_must_match(p, s[2]);
    case Role::kAnalyst:
      if (is_read(method)) return Status::ok();
      return forbidden(p, "close billing periods");
    default: return forbidden(p, "see providers' registers or billing");
  }
}

}  // namespace

bool in_family(const Principal& principal, std::string_view credential, const Reference& reference) {
  if (principal.role != Role::kAffiliate || principal.credential.empty()) return false;
  if (credential == principal.credential) return true;
  const fb::AffiliateT* a = reference.affiliate(credential);
  return a != nullptr && a->titular == principal.credential;
}

Status permit_command(const Principal& p, const fb::CommandUnion& command, const Reference& reference) {
  if (p.role == Role::kOps) return Status::ok();
  using C = fb::Command;
  switch (command.type) {
    case C::EligibilityCmd:
    case C::AuthorizeCmd:
    case C::ConsumeCmd:
    case C::AnnulCmd: {
      if (p.role != Role::kProvider) return forbidden(p, "submit provider transactions");
      const std::string* provider = nullptr;
      if (auto* c = command.AsEligibilityCmd()) provider = &c->provider;
      if (auto* c = command.AsAuthorizeCmd()) provider = &c->provider;
      if (auto* c = command.AsConsumeCmd()) provider = &c->provider;
      if (auto* c = command.AsAnnulCmd()) provider = &c->provider;
      assert(provider != nullptr);
      return provider_must_match(p, *provider);
    }
    case C::AuditVerdictCmd:
      if (p.role == Role::kAuditor) return Status::ok();
      return forbidden(p, "give audit verdicts");
    case C::TokenIssueCmd: return family_must_include(p, command.AsTokenIssueCmd()->credential, reference);
    case C::CardIssueCmd: return family_must_include(p, command.AsCardIssueCmd()->credential, reference);
    case C::ShareCreateCmd: return family_must_include(p, command.AsShareCreateCmd()->credential, reference);
    case C::ShareRevokeCmd: return family_must_include(p, command.AsShareRevokeCmd()->credential, reference);
    case C::RegisterCmd:
    case C::RegisterConfirmCmd:
    case C::PasswordRecoverCmd:
    case C::PasswordResetCmd:
      // The affiliate app onboards people: the document and the mailed
      // code are what protect the account, not the family of the app key.
      if (p.role == Role::kAffiliate) return Status::ok();
      return forbidden(p, "register affiliates or recover passwords");
    case C::NONE: break;
  }
  return Status::invalid("command without a type", "command");
}

Access access_of(std::string_view method, std::string_view path) {
  if (path == "/healthz") return Access::kOpen;
  if (path == "/favicon.ico") return Access::kOpen;  // browsers ask for it before any page can send a key
  if (!is_read(method)) return Access::kAuthenticated;
  const auto s = segments(path);
  if (!s.empty() && s[0] == "audit") return Access::kOpen;  // page assets; its API calls carry a key
  if (s.size() == 3 && s[0] == "v1" && s[1] == "shares") return Access::kOpen;
  return Access::kAuthenticated;
}

Status permit_request(const Principal& p, std::string_view method, std::string_view path, const Reference& reference) {
  if (p.role == Role::kOps) return Status::ok();
  if (access_of(method, path) == Access::kOpen) return Status::ok();
  const auto s = segments(path);
  if (s.empty() || s[0] != "v1" || s.size() < 2) return forbidden(p, "reach " + std::string(path));
  const std::string_view area = s[1];
  if (area == "practices" && is_read(method)) return Status::ok();
  if (area == "affiliates" && s.size() >= 3) return permit_affiliate_path(p, method, s, reference);
  if (area == "providers" && s.size() >= 3) return permit_provider_path(p, method, s);
  if (area == "transactions" && is_read(method)) {
    // A provider sees only its own transactions: the service checks the
    // transaction's provider once it has read it.
    if (p.role == Role::kProvider || p.role == Role::kAuditor || p.role == Role::kAnalyst) return Status::ok();
  }
  if (area == "audits" && is_read(method)) {
    if (p.role == Role::kAuditor || p.role == Role::kAnalyst) return Status::ok();
  }
  if (area == "projections" && is_read(method) && p.role == Role::kAnalyst) return Status::ok();
  if (area == "credentials" && s.size() == 3 && s[2] == "verify" && p.role == Role::kProvider) return Status::ok();
  if ((area == "registrations" || area == "password_recovery") && p.role == Role::kAffiliate) return Status::ok();
  return forbidden(p, std::string(method) + " " + std::string(path));
}

}  // namespace autoriza::auth
