// consume and annul (docs/rules.md §10-11).
#include <algorithm>

#include "engine/core/decide_internal.h"
#include "engine/core/money.h"
#include "engine/core/rules.h"

namespace autoriza {

namespace {

constexpr int32_t kOrderValidDays = 90;
constexpr int32_t kAnnulWindowDays = 30;

const fb::OrderItemT* find_item(const fb::OrderStateT& order, int32_t index) {
  for (const auto& item : order.items) {
    if (item->index == index) return item.get();
  }
  return nullptr;
}

// "Solo honorarios" / "solo gastos": every item's practice must allow it.
bool part_allowed(const DecideContext& ctx, fb::ConsumedPart part, const fb::OrderItemT& item) {
  if (part == fb::ConsumedPart::ALL) return true;
  const fb::PracticeT* practice = ctx.reference.practice(item.code);
  if (!practice) return false;
  return part == fb::ConsumedPart::PROFESSIONAL_ONLY ? practice->professional_only : practice->expenses_only;
}

// The answer's item: the order's item CONSUMED, with the part's amounts.
std::unique_ptr<fb::ItemResultT> consumed_item(const fb::OrderItemT& item, fb::ConsumedPart part) {
  auto out = item_result_of(item);
  out->status = fb::Status::CONSUMED;
  bill_part(item, part, out.get());
  return out;
}

void check_order(const DecideContext& ctx, const fb::ConsumeCmdT& cmd, const fb::OrderStateT& order,
                 std::vector<Reason>& reasons) {
  if (order.status == fb::Status::ANNULLED) reasons.push_back(Reason::ORDER_ANNULLED);
  if (days_between(local_day(Millis{order.time_ms}), local_day(ctx.now)) > kOrderValidDays) {
    reasons.push_back(Reason::ORDER_EXPIRED);
  }
  if (order.provider != cmd.provider) reasons.push_back(Reason::ORDER_PROVIDER_MISMATCH);
  if (order.credential != cmd.credential) reasons.push_back(Reason::ORDER_AFFILIATE_MISMATCH);
  for (int32_t index : cmd.items) {
    const fb::OrderItemT* item = find_item(order, index);
    if (!item || !item_is_live(item->status)) {
      reasons.push_back(Reason::ITEM_NOT_AUTHORIZED);
    } else if (item->status == fb::Status::CONSUMED) {
      reasons.push_back(Reason::ITEM_ALREADY_CONSUMED);
    } else if (!part_allowed(ctx, cmd.part, *item)) {
      reasons.push_back(Reason::PART_NOT_ALLOWED);
    }
  }
}

}  // namespace

Decision decide_consume(const DecideContext& ctx, const fb::ConsumeCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::CONSUMPTION_RECORDED);
  fb::ResultT& r = *d.event.result;
  std::vector<Reason> reasons;
  const Parties parties = check_parties(ctx.reference, cmd.provider, cmd.credential, reasons);
  d.event.token_use = check_token(ctx, parties, cmd.token, reasons);
  const fb::OrderStateT* order = ctx.state.order(cmd.order);
  if (!order) {
    reasons.push_back(Reason::ORDER_NOT_FOUND);
  } else {
    check_order(ctx, cmd, *order, reasons);
  }
  const Millis performed = cmd.performed_at_ms ? Millis{*cmd.performed_at_ms} : ctx.now;
  if (performed > ctx.now) reasons.push_back(Reason::PERFORMED_IN_FUTURE);
  if (order && performed < Millis{order->time_ms}) reasons.push_back(Reason::PERFORMED_BEFORE_AUTHORIZATION);
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  r.order = cmd.order;
  if (!reasons.empty()) {
    r.status = fb::Status::REJECTED;
    set_reasons(r.reasons, std::move(reasons));
    r.totals = totals_of(r.items);
    keep_token_use(d.event, false);
    return d;
  }
  r.status = fb::Status::ACCEPTED;
  keep_token_use(d.event, true);
  for (int32_t index : cmd.items) r.items.push_back(consumed_item(*find_item(*order, index), cmd.part));
  r.totals = totals_of(r.items);
  return d;
}

namespace {

// Whether annulling these would touch a closed billing month: a live
// consumption billed (by the month it was performed) in a closed period.
bool touches_closed_period(const DecideContext& ctx, const std::vector<std::string>& cascade) {
  for (const std::string& id : cascade) {
    const fb::ConsumptionStateT* c = ctx.state.consumption(id);
    if (c && !c->annulled && ctx.reference.period_closed(c->provider, local_month(Millis{c->performed_at_ms}))) return true;
    const fb::OrderStateT* o = ctx.state.order(id);
    for (size_t i = 0; o && i < o->consumptions.size(); ++i) {
      const fb::ConsumptionStateT* oc = ctx.state.consumption(o->consumptions[i]);
      if (oc && !oc->annulled && ctx.reference.period_closed(oc->provider, local_month(Millis{oc->performed_at_ms}))) return true;
    }
  }
  return false;
}

// What an annulment targets, resolved from the id the provider sent.
struct AnnulTarget {
  std::string id;  // SAP number, order or consumption transaction
  std::string provider;
  Millis time;
  bool annulled = false;
  std::vector<std::string> cascade;  // everything that falls with it, target first
};

void add_order_cascade(const PartitionState& state, const fb::OrderStateT& order, std::vector<std::string>& out) {
  if (order.status == fb::Status::ANNULLED) return;
  out.push_back(order.transaction);
  for (const auto& c : order.consumptions) {
    const fb::ConsumptionStateT* consumption = state.consumption(c);
    if (consumption && !consumption->annulled && c != order.transaction) out.push_back(c);
  }
}

std::optional<AnnulTarget> resolve_annul_target(const PartitionState& state, const std::string& id) {
  const fb::SapStateT* sap = state.sap(id);
  if (!sap) sap = state.sap_of_transaction(id);
  if (sap) {
    AnnulTarget t{sap->sap, sap->provider, Millis{sap->time_ms}, sap->status == fb::Status::ANNULLED, {sap->sap}};
    if (const fb::OrderStateT* order = sap->order.empty() ? nullptr : state.order(sap->order)) {
      add_order_cascade(state, *order, t.cascade);
    }
    return t;
  }
  if (const fb::OrderStateT* order = state.order(id)) {
    AnnulTarget t{order->transaction, order->provider, Millis{order->time_ms}, order->status == fb::Status::ANNULLED, {}};
    add_order_cascade(state, *order, t.cascade);
    return t;
  }
  if (const fb::ConsumptionStateT* c = state.consumption(id)) {
    const fb::OrderStateT* order = state.order(c->order);
    const bool annulled = c->annulled || (order && order->status == fb::Status::ANNULLED);
    return AnnulTarget{c->transaction, c->provider, Millis{c->time_ms}, annulled, {c->transaction}};
  }
  return std::nullopt;
}

}  // namespace

Decision decide_annul(const DecideContext& ctx, const fb::AnnulCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::ANNULMENT_RECORDED);
  fb::ResultT& r = *d.event.result;
  std::vector<Reason> reasons;
  if (!ctx.reference.provider(cmd.provider)) reasons.push_back(Reason::PROVIDER_NOT_FOUND);
  const std::optional<AnnulTarget> target = resolve_annul_target(ctx.state, cmd.transaction);
  if (!target) {
    reasons.push_back(Reason::TRANSACTION_NOT_FOUND);
  } else {
    if (target->provider != cmd.provider) reasons.push_back(Reason::ANNUL_FORBIDDEN_PROVIDER);
    if (target->annulled) reasons.push_back(Reason::ALREADY_ANNULLED);
    if (days_between(local_day(target->time), local_day(ctx.now)) > kAnnulWindowDays) {
      reasons.push_back(Reason::ANNUL_WINDOW_EXPIRED);
    }
    if (touches_closed_period(ctx, target->cascade)) reasons.push_back(Reason::PERIOD_CLOSED);
  }
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  if (!reasons.empty()) {
    r.status = fb::Status::REJECTED;
    set_reasons(r.reasons, std::move(reasons));
    return d;
  }
  r.status = fb::Status::ANNULLED;
  d.event.annulled = target->cascade;
  AUTORIZA_CHECK(!d.event.annulled.empty());
  return d;
}

}  // namespace autoriza
