#include "engine/core/validator.h"

#include "engine/core/decide_internal.h"
#include "engine/core/rules.h"

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
    r.affiliate = affiliate_view(*parties.affiliate, ctx.now);
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
    case fb::Command::AuditAnswerCmd: return decide_audit_answer(ctx, *command.AsAuditAnswerCmd());
    case fb::Command::TokenIssueCmd: return decide_token_issue(ctx, *command.AsTokenIssueCmd());
    case fb::Command::CardIssueCmd: return decide_card(ctx, *command.AsCardIssueCmd());
    case fb::Command::RegisterCmd:
    case fb::Command::RegisterConfirmCmd:
    case fb::Command::PasswordRecoverCmd:
    case fb::Command::PasswordResetCmd:
    case fb::Command::ShareCreateCmd:
    case fb::Command::ShareRevokeCmd:
    case fb::Command::AccountLoginCmd:
    case fb::Command::AccountUpdateCmd: return decide_account(ctx, command);
    case fb::Command::NONE: break;
  }
  Decision d;
  d.status = Status::invalid("unknown command", "command");
  return d;
}

void redact_command(fb::CommandUnion& command) {
  std::string* token = nullptr;
  if (auto* c = command.AsEligibilityCmd()) token = &c->token;
  if (auto* c = command.AsAuthorizeCmd()) token = &c->token;
  if (auto* c = command.AsConsumeCmd()) token = &c->token;
  if (token && !token->empty()) *token = "*";
}


}  // namespace autoriza
