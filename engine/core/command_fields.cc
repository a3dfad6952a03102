#include "engine/core/command_fields.h"

namespace autoriza {
namespace {

const std::string kNone;

const std::string& or_none(const std::string* field) { return field ? *field : kNone; }

// The account commands: scoped and keyed by the affiliate's document.
template <typename T>
CommandFields by_document(const T* c) {
  return {&c->request_id, "document", &c->document, nullptr, &c->document, nullptr};
}

}  // namespace

CommandFields fields_of(const fb::CommandUnion& command) {
  // One line per command: request id, scope kind and owner, credential,
  // document, provider.
  switch (command.type) {
    case fb::Command::EligibilityCmd: {
      const auto& c = *command.AsEligibilityCmd();
      return {&c.request_id, "provider", &c.provider, &c.credential, nullptr, &c.provider};
    }
    case fb::Command::AuthorizeCmd: {
      const auto& c = *command.AsAuthorizeCmd();
      const bool keeps_key = c.mode != fb::AuthorizeMode::VALIDATE;  // validate records nothing
      return {&c.request_id, keeps_key ? "provider" : "", &c.provider, &c.credential, nullptr, &c.provider};
    }
    case fb::Command::ConsumeCmd: {
      const auto& c = *command.AsConsumeCmd();
      return {&c.request_id, "provider", &c.provider, &c.credential, nullptr, &c.provider};
    }
    case fb::Command::AnnulCmd: {
      const auto& c = *command.AsAnnulCmd();
      return {&c.request_id, "provider", &c.provider, nullptr, nullptr, &c.provider};
    }
    case fb::Command::AuditVerdictCmd: {
      const auto& c = *command.AsAuditVerdictCmd();
      return {&c.request_id, "auditor", &c.auditor, nullptr, nullptr, nullptr};
    }
    case fb::Command::AuditAnswerCmd: {
      const auto& c = *command.AsAuditAnswerCmd();
      return {&c.request_id, "provider", &c.provider, nullptr, nullptr, &c.provider};
    }
    case fb::Command::TokenIssueCmd: {
      const auto& c = *command.AsTokenIssueCmd();
      return {&c.request_id, "credential", &c.credential, &c.credential, nullptr, nullptr};
    }
    case fb::Command::CardIssueCmd: {
      const auto& c = *command.AsCardIssueCmd();
      return {&c.request_id, "credential", &c.credential, &c.credential, nullptr, nullptr};
    }
    case fb::Command::RegisterCmd: return by_document(command.AsRegisterCmd());
    case fb::Command::RegisterConfirmCmd: return by_document(command.AsRegisterConfirmCmd());
    case fb::Command::PasswordRecoverCmd: return by_document(command.AsPasswordRecoverCmd());
    case fb::Command::AccountLoginCmd: return by_document(command.AsAccountLoginCmd());
    case fb::Command::AccountUpdateCmd: return by_document(command.AsAccountUpdateCmd());
    case fb::Command::PasswordResetCmd: return by_document(command.AsPasswordResetCmd());
    case fb::Command::ShareCreateCmd: {
      const auto& c = *command.AsShareCreateCmd();
      return {&c.request_id, "credential", &c.credential, &c.credential, nullptr, nullptr};
    }
    case fb::Command::ShareRevokeCmd: {
      const auto& c = *command.AsShareRevokeCmd();
      return {&c.request_id, "credential", &c.credential, &c.credential, nullptr, nullptr};
    }
    case fb::Command::NONE: break;
  }
  return {};
}

std::string idempotency_scope(const fb::CommandUnion& command) {
  const CommandFields f = fields_of(command);
  if (f.scope_kind.empty()) return {};
  return std::string(f.scope_kind) + ":" + or_none(f.scope_owner);
}

const std::string& request_id_of(const fb::CommandUnion& command) { return or_none(fields_of(command).request_id); }
const std::string& credential_of(const fb::CommandUnion& command) { return or_none(fields_of(command).credential); }
const std::string& document_of(const fb::CommandUnion& command) { return or_none(fields_of(command).document); }
const std::string& provider_of(const fb::CommandUnion& command) { return or_none(fields_of(command).provider); }

}  // namespace autoriza
