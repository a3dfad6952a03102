// Affiliate history (IOMA "Mis prestaciones"): one entry per event that
// concerns an affiliate — authorizations (refused ones too), audit requests
// and verdicts, consumptions, annulments, token issues and token uses — as it
// happened; later events add entries, they never rewrite earlier ones.
// Tokens themselves never appear (only their kind and outcome).
#include "clock.h"
#include "fold.h"

namespace autoriza::projections {

namespace {

Json items_summary(const std::vector<std::unique_ptr<fb::ItemResultT>>& items) {
  Json out = Json::array();
  for (const auto& item : items) {
    Json m = item_model(*item);
    Json e = {{"index", m["index"]},   {"code", m["code"]},      {"description", m["description"]},
              {"qty", m["qty"]},       {"tooth", m["tooth"]},    {"faces", m["faces"]},
              {"status", m["status"]}, {"reasons", m["reasons"]}};
    put_amounts(m, e);
    out.push_back(std::move(e));
  }
  return out;
}

Json totals_json(const fb::ResultT& r) {
  if (!r.totals) return nullptr;
  return {{"total", money(r.totals->total_cents)},
          {"copay", money(r.totals->copay_cents)},
          {"covered", money(r.totals->covered_cents)}};
}

Json token_json(const fb::EventT& event) {
  if (!event.token_use || event.token_use->outcome == fb::TokenOutcome::NONE) return nullptr;
  return {{"kind", fb::EnumNameTokenKind(event.token_use->kind)},
          {"outcome", fb::EnumNameTokenOutcome(event.token_use->outcome)}};
}

// The affiliate an annulment concerns: the owner of its target.
Status annulled_credential(const std::string& target, const FoldBatch& batch, std::string* credential) {
  Json record;
  Status s = batch.get_json(Cf::kAudits, sap_key(target), &record);
  if (s.kind() == StatusKind::kNotFound) s = batch.get_json(Cf::kOrders, order_key(target), &record);
  if (s.kind() == StatusKind::kNotFound) s = batch.get_json(Cf::kOrders, consumption_key(target), &record);
  if (!s) return s;
  *credential = record["credential"].get<std::string>();
  return Status::ok();
}

// The entry of an event and whose history it goes to; null entry: none.
Status entry_of(const fb::EventT& event, const FoldBatch& batch, std::string* credential, Json* entry) {
  const fb::ResultT* r = event.result.get();
  if (!r) return Status::ok();
  const Json reasons = reasons_json(r->reasons);
  switch (event.type) {
    case fb::EventType::AUTHORIZATION_DECIDED:
    case fb::EventType::AUDIT_OPENED: {
      const fb::AuthorizeCmdT& cmd = *event.command.AsAuthorizeCmd();
      *credential = cmd.credential;
      *entry = Json{{"kind", event.type == fb::EventType::AUDIT_OPENED ? "audit_request" : "authorization"},
                    {"provider", cmd.provider},
                    {"status", status_name(r->status)},
                    {"reasons", reasons},
                    {"order", r->order.empty() ? Json() : Json(r->order)},
                    {"sap", r->sap.empty() ? Json() : Json(r->sap)},
                    {"items", items_summary(r->items)},
                    {"totals", totals_json(*r)},
                    {"token", token_json(event)}};
      return Status::ok();
    }
    case fb::EventType::CONSUMPTION_RECORDED: {
      const fb::ConsumeCmdT& cmd = *event.command.AsConsumeCmd();
      *credential = cmd.credential;
      const int64_t performed = cmd.performed_at_ms ? *cmd.performed_at_ms : event.command_time_ms;
      *entry = Json{{"kind", "consumption"},
                    {"provider", cmd.provider},
                    {"status", status_name(r->status)},
                    {"reasons", reasons},
                    {"order", cmd.order},
                    {"performed_at", format_instant(Millis{performed})},
                    {"items", items_summary(r->items)},
                    {"totals", totals_json(*r)},
                    {"token", token_json(event)}};
      return Status::ok();
    }
    case fb::EventType::AUDIT_DECIDED: {
      if (r->status == fb::Status::REFUSED) return Status::ok();
      const fb::AuditVerdictCmdT& cmd = *event.command.AsAuditVerdictCmd();
      Json sap;
      if (Status s = batch.get_json(Cf::kAudits, sap_key(cmd.sap), &sap); !s) return s;
      *credential = sap["credential"].get<std::string>();
      *entry = Json{{"kind", "audit_verdict"},
                    {"provider", sap["provider"]},
                    {"status", status_name(r->status)},
                    {"sap", cmd.sap},
                    {"verdict", fb::EnumNameVerdict(cmd.verdict)},
                    {"order", r->order.empty() ? Json() : Json(r->order)},
                    {"items", items_summary(r->items)},
                    {"totals", totals_json(*r)}};
      return Status::ok();
    }
    case fb::EventType::ANNULMENT_RECORDED: {
      if (r->status != fb::Status::ANNULLED || event.annulled.empty()) return Status::ok();
      const fb::AnnulCmdT& cmd = *event.command.AsAnnulCmd();
      if (Status s = annulled_credential(event.annulled.front(), batch, credential); !s) return s;
      *entry = Json{{"kind", "annulment"},
                    {"provider", cmd.provider},
                    {"status", status_name(r->status)},
                    {"target", event.annulled.front()},
                    {"annulled", event.annulled},
                    {"reason", cmd.reason}};
      return Status::ok();
    }
    case fb::EventType::ELIGIBILITY_CHECKED: {
      const fb::EligibilityCmdT& cmd = *event.command.AsEligibilityCmd();
      if (token_json(event).is_null()) return Status::ok();  // only checks that tried a token
      *credential = cmd.credential;
      *entry = Json{{"kind", "token_use"},
                    {"provider", cmd.provider},
                    {"status", status_name(r->status)},
                    {"reasons", reasons},
                    {"token", token_json(event)}};
      return Status::ok();
    }
    case fb::EventType::TOKENS_ISSUED: {
      const fb::TokenIssueCmdT& cmd = *event.command.AsTokenIssueCmd();
      *credential = cmd.credential;
      *entry = Json{{"kind", "token_issue"},
                    {"status", status_name(r->status)},
                    {"token_kind", fb::EnumNameTokenKind(cmd.kind)},
                    {"count", r->tokens.size()},
                    {"month", cmd.month.empty() ? Json() : Json(cmd.month)}};
      return Status::ok();
    }
    default:
      return Status::ok();
  }
}

}  // namespace

Status fold_history(const fb::EventT& event, FoldBatch& batch) {
  if (event.type == fb::EventType::REFERENCE_UPSERTED || !event.result) return Status::ok();
  if (event.result->transaction.empty()) return Status::ok();  // validate mode: not recorded
  const fb::Command expected = [&] {
    switch (event.type) {
      case fb::EventType::AUTHORIZATION_DECIDED:
      case fb::EventType::AUDIT_OPENED:
        return fb::Command::AuthorizeCmd;
      case fb::EventType::CONSUMPTION_RECORDED:
        return fb::Command::ConsumeCmd;
      case fb::EventType::AUDIT_DECIDED:
        return fb::Command::AuditVerdictCmd;
      case fb::EventType::ANNULMENT_RECORDED:
        return fb::Command::AnnulCmd;
      case fb::EventType::ELIGIBILITY_CHECKED:
        return fb::Command::EligibilityCmd;
      case fb::EventType::TOKENS_ISSUED:
        return fb::Command::TokenIssueCmd;
      default:
        return fb::Command::NONE;
    }
  }();
  if (expected == fb::Command::NONE) return Status::ok();
  if (event.command.type != expected) return Status::corruption("an event carries another command than its type's");
  std::string credential;
  Json entry;
  if (Status s = entry_of(event, batch, &credential, &entry); !s) return s;
  if (entry.is_null() || credential.empty()) return Status::ok();
  entry["time"] = format_instant(Millis{event.command_time_ms});
  entry["transaction"] = event.result->transaction;
  entry["credential"] = credential;
  entry["channel"] = event.channel;
  batch.put_json(Cf::kHistory, history_key(credential, event.command_time_ms, event.partition, event.sequence), entry);
  return Status::ok();
}

}  // namespace autoriza::projections
