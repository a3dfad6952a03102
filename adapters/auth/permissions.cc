// What each role may do with a command, checked on its decoded fields (the
// roles of every HTTP route, commands included, are rows of
// adapters/service/route_table.cc).
#include <cassert>

#include "adapters/auth/auth.h"

namespace autoriza::auth {

Status forbidden(const Principal& p, std::string_view what) {
  if (p.key_id == "session") {
    // A person signed in through a page (portal or affiliates' app): words
    // for them, not the developer's sentence.
    const std::string_view credential = "act for credential ", provider = "act for provider ";
    if (what.starts_with(credential)) {
      std::string_view c = what.substr(credential.size());
      c = c.substr(0, c.find(' '));
      return Status::forbidden("La credencial " + std::string(c) + " no es de tu grupo familiar");
    }
    if (what.starts_with(provider)) {
      return Status::forbidden("Tu usuario no atiende en el prestador " + std::string(what.substr(provider.size())));
    }
    return Status::forbidden("Tu cuenta no tiene permiso para esta operación");
  }
  return Status::forbidden(p.name + " (" + role_name(p.role) + ") may not " + std::string(what));
}

namespace {

Status provider_must_match(const Principal& p, std::string_view provider) {
  if (p.provider == provider) return Status::ok();
  return forbidden(p, "act for provider " + std::string(provider));
}

Status family_must_include(const Principal& p, std::string_view credential, const Reference& reference) {
  if (in_family(p, credential, reference)) return Status::ok();
  return forbidden(p, "act for credential " + std::string(credential) + " (another family group)");
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
      // Whose name the verdict carries: bind_auditor.
      if (p.role == Role::kAuditor) return Status::ok();
      return forbidden(p, "give audit verdicts");
    case C::AuditAnswerCmd:
      if (p.role != Role::kProvider) return forbidden(p, "answer requests for documents");
      return provider_must_match(p, command.AsAuditAnswerCmd()->provider);
    case C::TokenIssueCmd: return family_must_include(p, command.AsTokenIssueCmd()->credential, reference);
    case C::CardIssueCmd: return family_must_include(p, command.AsCardIssueCmd()->credential, reference);
    case C::ShareCreateCmd: return family_must_include(p, command.AsShareCreateCmd()->credential, reference);
    case C::ShareRevokeCmd: return family_must_include(p, command.AsShareRevokeCmd()->credential, reference);
    case C::RegisterCmd:
    case C::RegisterConfirmCmd:
    case C::PasswordRecoverCmd:
    case C::PasswordResetCmd:
    case C::AccountLoginCmd:
    case C::AccountUpdateCmd:
      // The affiliate app onboards people: the document and the mailed
      // code are what protect the account, not the family of the app key.
      if (p.role == Role::kAffiliate) return Status::ok();
      return forbidden(p, "register affiliates or recover passwords");
    case C::NONE: break;
  }
  return Status::invalid("command without a type", "command");
}

Status bind_auditor(const Principal& p, fb::CommandUnion* command) {
  assert(command != nullptr);
  fb::AuditVerdictCmdT* verdict = command->AsAuditVerdictCmd();
  if (verdict == nullptr) return Status::ok();
  if (p.key_id.empty()) {
    // In-process callers and authentication turned off: nobody to name.
    if (!verdict->auditor.empty()) return Status::ok();
    return Status::invalid("auditor is required when the call has no key", "auditor");
  }
  if (verdict->auditor.empty()) verdict->auditor = p.name;
  if (verdict->auditor != p.name) return forbidden(p, "give a verdict as auditor " + verdict->auditor);
  assert(!verdict->auditor.empty());
  return Status::ok();
}

}  // namespace autoriza::auth
