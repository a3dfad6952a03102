#include "replay/event_text.h"

#include "engine/core/state.h"

namespace autoriza {

const char* command_name(fb::Command type) {
  switch (type) {
    case fb::Command::EligibilityCmd:
      return "eligibility";
    case fb::Command::AuthorizeCmd:
      return "authorize";
    case fb::Command::ConsumeCmd:
      return "consume";
    case fb::Command::AnnulCmd:
      return "annul";
    case fb::Command::AuditVerdictCmd:
      return "audit_verdict";
    case fb::Command::AuditAnswerCmd:
      return "audit_answer";
    case fb::Command::TokenIssueCmd:
      return "token_issue";
    case fb::Command::CardIssueCmd:
      return "card_issue";
    case fb::Command::RegisterCmd:
      return "register";
    case fb::Command::RegisterConfirmCmd:
      return "register_confirm";
    case fb::Command::PasswordRecoverCmd:
      return "password_recover";
    case fb::Command::PasswordResetCmd:
      return "password_reset";
    case fb::Command::AccountLoginCmd:
      return "account_login";
    case fb::Command::AccountUpdateCmd:
      return "account_update";
    case fb::Command::ShareCreateCmd:
      return "share_create";
    case fb::Command::ShareRevokeCmd:
      return "share_revoke";
    case fb::Command::NONE:
      break;
  }
  return "reference";
}

const std::vector<std::string>& command_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (auto t = uint8_t(fb::Command::MIN); t <= uint8_t(fb::Command::MAX); ++t)
      out.push_back(command_name(fb::Command(t)));
    return out;
  }();
  return names;
}

const std::string& credential_of_event(const fb::EventT& event) {
  const std::string& c = credential_of(event.command);
  return c.empty() ? event.credential : c;
}

const std::string& target_of(const fb::CommandUnion& command) {
  static const std::string kNone;
  if (auto* c = command.AsConsumeCmd()) return c->order;
  if (auto* c = command.AsAnnulCmd()) return c->transaction;
  if (auto* c = command.AsAuditVerdictCmd()) return c->sap;
  if (auto* c = command.AsAuditAnswerCmd()) return c->sap;
  return kNone;
}

std::string csv_text(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) cell = "'";
  cell += text;
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) line += ',';
    line += cells[i];
  }
  line += '\n';
  return line;
}

}  // namespace autoriza
