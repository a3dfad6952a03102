#include "validator.h"

#include "decide_internal.h"
#include "rules.h"

namespace autoriza {

Decision new_decision(const DecideContext& ctx, fb::EventType type) {
  Decision d;
  d.event.type = type;
  d.event.command_time_ms = ctx.now.value;
  d.event.utc_offset_min = kLocalOffsetMinutes;
  d.event.result = std::make_unique<fb::ResultT>();
  return d;
}

void set_reasons(std::vector<fb::ReasonCode>& out, std::vector<Reason> reasons) {
  sort_reasons(reasons);
  out = std::move(reasons);
}

std::unique_ptr<fb::TotalsT> totals_of(const std::vector<std::unique_ptr<fb::ItemResultT>>& items) {
  auto totals = std::make_unique<fb::TotalsT>();
  for (const auto& item : items) {
    if (!item_is_live(item->status)) continue;
    totals->total_cents += item->total_cents;
    totals->copay_cents += item->copay_cents;
  }
  totals->covered_cents = totals->total_cents - totals->copay_cents;
  return totals;
}

std::unique_ptr<fb::ItemResultT> item_result_of(const fb::OrderItemT& item) {
  auto r = std::make_unique<fb::ItemResultT>();
  r->index = item.index;
  r->code = item.code;
  r->description = item.description;
  r->qty = item.qty;
  r->tooth = item.tooth;
  r->faces = item.faces;
  r->status = item.status;
  r->professional_cents = item.professional_cents;
  r->expenses_cents = item.expenses_cents;
  r->total_cents = item.total_cents;
  r->copay_cents = item.copay_cents;
  return r;
}

Decision decide_eligibility(const DecideContext& ctx, const fb::EligibilityCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::ELIGIBILITY_CHECKED);
  fb::ResultT& r = *d.event.result;
  std::vector<Reason> reasons;
  const Parties parties = check_parties(ctx.reference, cmd.provider, cmd.credential, reasons);
  d.event.token_use = check_token(ctx, parties, cmd.token, reasons);
  keep_token_use(d.event, /*uses_up=*/false);  // eligibility checks without using it up
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  r.status = reasons.empty() ? fb::Status::ELIGIBLE : fb::Status::NOT_ELIGIBLE;
  set_reasons(r.reasons, std::move(reasons));
  if (parties.affiliate) {
    const fb::AffiliateT& a = *parties.affiliate;
    r.affiliate = std::make_unique<fb::AffiliateViewT>();
    r.affiliate->credential = a.credential;
    r.affiliate->name = display_name(a);
    r.affiliate->cuil = a.cuil;
    r.affiliate->age = age_years(LocalDay{a.birth_day}, local_day(ctx.now));
    r.affiliate->sex = a.sex;
    r.affiliate->plan = a.plan;
    r.affiliate->titular = a.titular;
  }
  return d;
}

Decision decide(const DecideContext& ctx, const fb::CommandUnion& command) {
  switch (command.type) {
    case fb::Command::EligibilityCmd: return decide_eligibility(ctx, *command.AsEligibilityCmd());
    case fb::Command::AuthorizeCmd: return decide_authorize(ctx, *command.AsAuthorizeCmd());
    case fb::Command::ConsumeCmd: return decide_consume(ctx, *command.AsConsumeCmd());
    case fb::Command::AnnulCmd: return decide_annul(ctx, *command.AsAnnulCmd());
    case fb::Command::AuditVerdictCmd: return decide_audit_verdict(ctx, *command.AsAuditVerdictCmd());
    case fb::Command::TokenIssueCmd: return decide_token_issue(ctx, *command.AsTokenIssueCmd());
    case fb::Command::CardIssueCmd: return decide_card(ctx, *command.AsCardIssueCmd());
    case fb::Command::RegisterCmd:
    case fb::Command::RegisterConfirmCmd:
    case fb::Command::PasswordRecoverCmd:
    case fb::Command::PasswordResetCmd:
    case fb::Command::ShareCreateCmd:
    case fb::Command::ShareRevokeCmd: return decide_account(ctx, command);
    case fb::Command::NONE: break;
  }
  Decision d;
  d.status = Status::invalid("unknown command", "command");
  return d;
}

std::string idempotency_scope(const fb::CommandUnion& command) {
  switch (command.type) {
    case fb::Command::EligibilityCmd: return "provider:" + command.AsEligibilityCmd()->provider;
    case fb::Command::AuthorizeCmd:
      if (command.AsAuthorizeCmd()->mode == fb::AuthorizeMode::VALIDATE) return {};
      return "provider:" + command.AsAuthorizeCmd()->provider;
    case fb::Command::ConsumeCmd: return "provider:" + command.AsConsumeCmd()->provider;
    case fb::Command::AnnulCmd: return "provider:" + command.AsAnnulCmd()->provider;
    case fb::Command::AuditVerdictCmd: return "auditor:" + command.AsAuditVerdictCmd()->auditor;
    case fb::Command::TokenIssueCmd: return "credential:" + command.AsTokenIssueCmd()->credential;
    case fb::Command::CardIssueCmd: return "credential:" + command.AsCardIssueCmd()->credential;
    case fb::Command::RegisterCmd: return "document:" + command.AsRegisterCmd()->document;
    case fb::Command::RegisterConfirmCmd: return "document:" + command.AsRegisterConfirmCmd()->document;
    case fb::Command::PasswordRecoverCmd: return "document:" + command.AsPasswordRecoverCmd()->document;
    case fb::Command::PasswordResetCmd: return "document:" + command.AsPasswordResetCmd()->document;
    case fb::Command::ShareCreateCmd: return "credential:" + command.AsShareCreateCmd()->credential;
    case fb::Command::ShareRevokeCmd: return "credential:" + command.AsShareRevokeCmd()->credential;
    case fb::Command::NONE: break;
  }
  return {};
}

void redact_command(fb::CommandUnion& command) {
  std::string* token = nullptr;
  if (auto* c = command.AsEligibilityCmd()) token = &c->token;
  if (auto* c = command.AsAuthorizeCmd()) token = &c->token;
  if (auto* c = command.AsConsumeCmd()) token = &c->token;
  if (token && !token->empty()) *token = "*";
}

const std::string& request_id_of(const fb::CommandUnion& command) {
  static const std::string kNone;
  switch (command.type) {
    case fb::Command::EligibilityCmd: return command.AsEligibilityCmd()->request_id;
    case fb::Command::AuthorizeCmd: return command.AsAuthorizeCmd()->request_id;
    case fb::Command::ConsumeCmd: return command.AsConsumeCmd()->request_id;
    case fb::Command::AnnulCmd: return command.AsAnnulCmd()->request_id;
    case fb::Command::AuditVerdictCmd: return command.AsAuditVerdictCmd()->request_id;
    case fb::Command::TokenIssueCmd: return command.AsTokenIssueCmd()->request_id;
    case fb::Command::CardIssueCmd: return command.AsCardIssueCmd()->request_id;
    case fb::Command::RegisterCmd: return command.AsRegisterCmd()->request_id;
    case fb::Command::RegisterConfirmCmd: return command.AsRegisterConfirmCmd()->request_id;
    case fb::Command::PasswordRecoverCmd: return command.AsPasswordRecoverCmd()->request_id;
    case fb::Command::PasswordResetCmd: return command.AsPasswordResetCmd()->request_id;
    case fb::Command::ShareCreateCmd: return command.AsShareCreateCmd()->request_id;
    case fb::Command::ShareRevokeCmd: return command.AsShareRevokeCmd()->request_id;
    case fb::Command::NONE: break;
  }
  return kNone;
}

}  // namespace autoriza
