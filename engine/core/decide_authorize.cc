// authorize in its three modes (docs/rules.md §6 and §9).
#include <algorithm>
#include <set>

#include "engine/core/decide_internal.h"
#include "engine/core/money.h"
#include "engine/core/rules.h"

namespace autoriza {

namespace {

using ItemList = std::vector<std::unique_ptr<fb::ItemResultT>>;

// Item checks in docs/rules.md §7 order; each appends what it finds.
constexpr void (*kItemRules[])(const ItemContext&, std::vector<Reason>&) = {
    check_provider_may_perform, check_coverage, check_quantity, check_age,
    check_sex,                  check_frequency, check_tooth,   check_faces,
};

std::unique_ptr<fb::ItemResultT> evaluate_item(const DecideContext& ctx, const Parties& parties,
                                               const fb::AuthorizeItemT& item, int32_t index, bool refused,
                                               bool audit_mode, std::set<std::pair<std::string, int32_t>>& seen) {
  auto r = std::make_unique<fb::ItemResultT>();
  r->index = index;
  r->code = item.code;
  r->qty = item.qty;
  r->tooth = item.tooth;
  r->faces = item.faces;
  const fb::PracticeT* practice = ctx.reference.practice(item.code);
  if (practice) r->description = practice->description;
  std::vector<Reason> reasons;
  if (!practice) {
    reasons.push_back(Reason::PRACTICE_NOT_FOUND);
  } else {
    const ItemContext ic{parties, *practice, item, ctx.state, local_day(ctx.now)};
    for (auto rule : kItemRules) rule(ic, reasons);
  }
  // DUPLICATE_ITEM keys on (code, tooth); no tooth equals no tooth.
  if (!seen.insert({item.code, item.tooth ? *item.tooth : -1}).second) reasons.push_back(Reason::DUPLICATE_ITEM);
  if (refused) {
    r->status = fb::Status::REJECTED;  // the refusal is in the top reasons; amounts stay 0
    return r;
  }
  if (practice && parties.provider && parties.plan) {
    const ItemAmounts a = item_amounts(Cents{practice->professional_fee_cents}, Cents{practice->expenses_fee_cents},
                                       item.qty, parties.provider->category_pct,
                                       coverage_pct(*parties.plan, practice->kind));
    r->professional_cents = a.professional.value;
    r->expenses_cents = a.expenses.value;
    r->total_cents = a.total.value;
    r->copay_cents = a.copay.value;
  }
  const bool auditable = !reasons.empty() && std::all_of(reasons.begin(), reasons.end(), auditable_reason);
  if (reasons.empty()) {
    r->status = practice->requires_audit ? fb::Status::NEEDS_AUDIT : fb::Status::AUTHORIZED;
  } else {
    r->status = audit_mode && auditable ? fb::Status::NEEDS_AUDIT : fb::Status::REJECTED;
  }
  set_reasons(r->reasons, std::move(reasons));
  return r;
}

// The request-level group of section 5.
std::vector<Reason> check_request(const DecideContext& ctx, const fb::AuthorizeCmdT& cmd, Parties& parties,
                                  std::unique_ptr<fb::TokenUseT>& token_use) {
  std::vector<Reason> reasons;
  parties = check_parties(ctx.reference, cmd.provider, cmd.credential, reasons);
  token_use = check_token(ctx, parties, cmd.token, reasons);
  bool needs_prescription = false;
  bool has_dental = false;
  for (const auto& item : cmd.items) {
    const fb::PracticeT* p = ctx.reference.practice(item->code);
    if (!p) continue;
    needs_prescription |= p->kind == fb::PracticeKind::BIOCHEM || p->kind == fb::PracticeKind::MEDICAL;
    has_dental |= p->kind == fb::PracticeKind::DENTAL;
  }
  check_prescription(ctx.reference, cmd, needs_prescription, local_day(ctx.now), reasons);
  check_diagnosis(cmd, has_dental, reasons);
  sort_reasons(reasons);
  return reasons;
}

fb::Status order_status(const ItemList& items) {
  size_t authorized = 0;
  for (const auto& i : items) authorized += i->status == fb::Status::AUTHORIZED;
  if (authorized == 0) return fb::Status::REJECTED;
  return authorized == items.size() ? fb::Status::AUTHORIZED : fb::Status::PARTIALLY_AUTHORIZED;
}

}  // namespace

Decision decide_authorize(const DecideContext& ctx, const fb::AuthorizeCmdT& cmd) {
  const bool audit_mode = cmd.mode == fb::AuthorizeMode::AUDIT;
  Decision d = new_decision(ctx, audit_mode ? fb::EventType::AUDIT_OPENED : fb::EventType::AUTHORIZATION_DECIDED);
  fb::ResultT& r = *d.event.result;
  Parties parties;
  std::vector<Reason> top = check_request(ctx, cmd, parties, d.event.token_use);
  const bool refused = !top.empty();
  std::set<std::pair<std::string, int32_t>> seen;
  for (size_t i = 0; i < cmd.items.size(); ++i) {
    r.items.push_back(evaluate_item(ctx, parties, *cmd.items[i], int32_t(i), refused, audit_mode, seen));
  }
  set_reasons(r.reasons, std::move(top));
  if (cmd.mode == fb::AuthorizeMode::VALIDATE) {
    d.record = false;  // evaluation only: no transaction, no order, no event
    r.status = refused ? fb::Status::REJECTED : order_status(r.items);
    r.totals = totals_of(r.items);
    return d;
  }
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  if (refused) {
    r.status = fb::Status::REJECTED;
  } else if (audit_mode) {
    r.status = fb::Status::AUDIT_PENDING;
    r.sap = sap_number(ctx.partition, ctx.sequence);
  } else {
    r.status = order_status(r.items);
    if (r.status != fb::Status::REJECTED) r.order = r.transaction;
    if (cmd.consume_now && !r.order.empty()) {
      for (auto& item : r.items) {
        if (item->status == fb::Status::AUTHORIZED) item->status = fb::Status::CONSUMED;
      }
    }
  }
  r.totals = totals_of(r.items);
  keep_token_use(d.event, r.status != fb::Status::REJECTED);  // used up unless rejected
  return d;
}

}  // namespace autoriza
