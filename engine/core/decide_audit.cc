// audit_verdict and audit_answer (docs/rules.md §9).
#include <set>

#include "engine/core/decide_internal.h"

namespace autoriza {

namespace {

bool sap_open(fb::Status s) { return s == fb::Status::PENDING || s == fb::Status::DOCS_REQUESTED; }

// The decision for one pending item under the verdict.
fb::Status decided_status(const fb::AuditVerdictCmdT& cmd, int32_t index) {
  switch (cmd.verdict) {
    case fb::Verdict::AUTHORIZE: return fb::Status::AUTHORIZED;
    case fb::Verdict::REJECT: return fb::Status::REJECTED;
    case fb::Verdict::PARTIAL:
      for (const auto& d : cmd.items) {
        if (d->index == index) {
          return d->decision == fb::ItemDecisionKind::AUTHORIZE ? fb::Status::AUTHORIZED : fb::Status::REJECTED;
        }
      }
      return fb::Status::REJECTED;  // unlisted pending items are rejected
    case fb::Verdict::REQUEST_DOCS: break;
  }
  return fb::Status::NEEDS_AUDIT;
}

// PARTIAL lists only pending items.
Status check_partial(const fb::AuditVerdictCmdT& cmd, const fb::SapStateT& sap) {
  for (size_t i = 0; i < cmd.items.size(); ++i) {
    const int32_t index = cmd.items[i]->index;
    bool pending = false;
    for (const auto& item : sap.items) pending |= item->index == index && item->status == fb::Status::NEEDS_AUDIT;
    if (!pending) {
      return Status::invalid("item " + std::to_string(index) + " of " + sap.sap + " is not pending audit",
                             "items[" + std::to_string(i) + "].index");
    }
  }
  return Status::ok();
}

}  // namespace

Decision decide_audit_verdict(const DecideContext& ctx, const fb::AuditVerdictCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::AUDIT_DECIDED);
  fb::ResultT& r = *d.event.result;
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  r.sap = cmd.sap;
  const fb::SapStateT* sap = ctx.state.sap(cmd.sap);
  std::vector<Reason> reasons;
  if (!sap) {
    reasons.push_back(Reason::SAP_NOT_FOUND);
  } else if (!sap_open(sap->status)) {
    reasons.push_back(Reason::SAP_ALREADY_DECIDED);
  }
  if (!reasons.empty()) {
    r.status = fb::Status::REFUSED;
    set_reasons(r.reasons, std::move(reasons));
    return d;
  }
  if (cmd.verdict == fb::Verdict::PARTIAL) {
    if (Status s = check_partial(cmd, *sap); !s) {
      d.status = s;
      return d;
    }
  }
  if (cmd.verdict == fb::Verdict::REQUEST_DOCS) {
    r.status = fb::Status::DOCS_REQUESTED;
    for (const auto& item : sap->items) r.items.push_back(item_result_of(*item));
    r.totals = totals_of(r.items);
    return d;
  }
  size_t authorized = 0;
  for (const auto& item : sap->items) {
    auto out = item_result_of(*item);
    if (item->status == fb::Status::NEEDS_AUDIT) out->status = decided_status(cmd, item->index);
    authorized += out->status == fb::Status::AUTHORIZED;
    r.items.push_back(std::move(out));
  }
  if (authorized == 0) {
    r.status = fb::Status::REJECTED;
  } else {
    r.status = authorized == r.items.size() ? fb::Status::AUTHORIZED : fb::Status::PARTIALLY_AUTHORIZED;
    r.order = r.transaction;  // the order a verdict issues has the verdict's id and time
  }
  r.totals = totals_of(r.items);
  return d;
}

Decision decide_audit_answer(const DecideContext& ctx, const fb::AuditAnswerCmdT& cmd) {
  Decision d = new_decision(ctx, fb::EventType::AUDIT_ANSWERED);
  fb::ResultT& r = *d.event.result;
  r.transaction = transaction_id(ctx.partition, ctx.sequence);
  r.sap = cmd.sap;
  const fb::SapStateT* sap = ctx.state.sap(cmd.sap);
  std::vector<Reason> reasons;
  if (!ctx.reference.provider(cmd.provider)) reasons.push_back(Reason::PROVIDER_NOT_FOUND);
  if (!sap) {
    reasons.push_back(Reason::SAP_NOT_FOUND);
  } else if (sap->provider != cmd.provider) {
    reasons.push_back(Reason::SAP_FORBIDDEN_PROVIDER);  // nothing of another provider's SAP is answered
  } else if (sap->status != fb::Status::DOCS_REQUESTED) {
    reasons.push_back(Reason::SAP_NOT_AWAITING_DOCS);
  }
  if (!reasons.empty()) {
    r.status = fb::Status::REFUSED;
    set_reasons(r.reasons, std::move(reasons));
    return d;
  }
  r.status = fb::Status::PENDING;  // back to the auditor
  for (const auto& item : sap->items) r.items.push_back(item_result_of(*item));
  r.totals = totals_of(r.items);
  return d;
}

}  // namespace autoriza
