#include "fold.h"

#include "clock.h"
#include "money.h"
#include "reasons.h"
#include "reference.h"

namespace autoriza::projections {

namespace {

// Reference data the projections keep for themselves: names for display and
// closed billing periods (with the time they were closed).
void fold_reference(const fb::EventT& event, FoldBatch& batch) {
  const fb::ReferenceRecordUnion& record = event.reference;
  switch (record.type) {
    case fb::ReferenceRecord::Affiliate: {
      const fb::AffiliateT& a = *record.AsAffiliate();
      batch.put_json(Cf::kReference, affiliate_key(a.credential),
                     Json{{"name", display_name(a)}, {"titular", a.titular}});
      // The family index never deletes: a member who moved to another
      // family keeps an entry under the old titular, which query_family
      // drops by checking the member's current titular.
      if (!a.titular.empty()) batch.put(Cf::kReference, family_key(a.titular, a.credential), "");
      break;
    }
    case fb::ReferenceRecord::Provider: {
      const fb::ProviderT& p = *record.AsProvider();
      batch.put_json(Cf::kReference, provider_key(p.provider),
                     Json{{"name", p.name}, {"kind", fb::EnumNameProviderKind(p.kind)}});
      break;
    }
    case fb::ReferenceRecord::ClosedPeriod: {
      const fb::ClosedPeriodT& c = *record.AsClosedPeriod();
      batch.put_json(Cf::kBilling, closed_key(c.provider, c.month),
                     Json{{"closed_at_ms", event.command_time_ms}, {"reference_sequence", event.sequence}});
      break;
    }
    default:
      break;  // plans, practices, prescribers: not shown by any projection
  }
}

}  // namespace

Status fold_event(const fb::EventT& event, FoldBatch& batch) {
  Status s;
  switch (event.type) {
    case fb::EventType::REFERENCE_UPSERTED:
      fold_reference(event, batch);
      return Status::ok();
    case fb::EventType::AUTHORIZATION_DECIDED:
      s = fold_authorization(event, batch);
      break;
    case fb::EventType::AUDIT_OPENED:
      // A refused audit request is a rejected authorization (register rows).
      s = event.result && event.result->sap.empty() ? fold_authorization(event, batch)
                                                    : fold_audit_opened(event, batch);
      break;
    case fb::EventType::AUDIT_DECIDED:
      s = fold_audit_decided(event, batch);
      break;
    case fb::EventType::CONSUMPTION_RECORDED:
      s = fold_consumption(event, batch);
      break;
    case fb::EventType::ANNULMENT_RECORDED:
      s = fold_annulment(event, batch);
      break;
    default:
      break;
  }
  if (!s) return s;
  return fold_history(event, batch);
}

// ---- keys ------------------------------------------------------------------

std::string order_key(std::string_view transaction) {
  return "order/" + std::string(transaction);
}
std::string consumption_key(std::string_view transaction) {
  return "consumption/" + std::string(transaction);
}
std::string refusal_key(std::string_view transaction) {
  return "refusal/" + std::string(transaction);
}
std::string sap_key(std::string_view sap) {
  return "sap/" + std::string(sap);
}
std::string affiliate_key(std::string_view credential) {
  return "affiliate/" + std::string(credential);
}
std::string provider_key(std::string_view provider) {
  return "provider/" + std::string(provider);
}
std::string family_prefix(std::string_view titular) {
  return "family/" + std::string(titular) + '\0';
}
std::string family_key(std::string_view titular, std::string_view credential) {
  return family_prefix(titular) + std::string(credential);
}

std::string register_prefix(std::string_view provider) {
  return std::string(provider) + '\0';
}

std::string register_key(std::string_view provider, int64_t time_ms, std::string_view transaction, int32_t index) {
  AUTORIZA_CHECK(index >= 0);
  return register_prefix(provider) + time_key(time_ms) + std::string(transaction) + '\0' + be32(uint32_t(index));
}

std::string billing_prefix(std::string_view provider, std::string_view month) {
  return "item/" + std::string(provider) + '\0' + std::string(month) + '\0';
}

std::string billing_key(std::string_view provider, int64_t performed_ms, std::string_view consumption, int32_t index) {
  AUTORIZA_CHECK(index >= 0);
  return billing_prefix(provider, month_of(performed_ms)) + time_key(performed_ms) + std::string(consumption) + '\0' +
         be32(uint32_t(index));
}

std::string closed_key(std::string_view provider, std::string_view month) {
  return "closed/" + std::string(provider) + '\0' + std::string(month);
}

std::string audit_time_prefix() {
  return "time/";
}
std::string audit_provider_prefix(std::string_view provider) {
  return "provider/" + std::string(provider) + '\0';
}

std::string history_prefix(std::string_view credential) {
  return std::string(credential) + '\0';
}

std::string history_key(std::string_view credential, int64_t time_ms, uint16_t stream, uint64_t sequence) {
  std::string key =
      history_prefix(credential) + be64(~read_be64(time_key(time_ms))) + be16(uint16_t(~stream)) + be64(~sequence);
  AUTORIZA_CHECK(key.size() == credential.size() + 1 + kHistorySuffixBytes);
  return key;
}

// ---- helpers ---------------------------------------------------------------

std::string month_of(int64_t ms) {
  const CivilDate c = civil_from_day(local_day(Millis{ms}));
  return std::to_string(c.year) + (c.month < 10 ? "-0" : "-") + std::to_string(c.month);
}

std::string money(int64_t cents) {
  return format_cents(Cents{cents});
}

std::string status_name(fb::Status status) {
  return fb::EnumNameStatus(status);
}

Json reasons_json(const std::vector<fb::ReasonCode>& reasons) {
  Json out = Json::array();
  for (fb::ReasonCode r : reasons) {
    out.push_back({{"code", std::string(reason_code_name(r))}, {"message", std::string(reason_message(r))}});
  }
  return out;
}

Json item_model(const fb::ItemResultT& item) {
  return Json{{"index", item.index},
              {"code", item.code},
              {"description", item.description},
              {"qty", item.qty},
              {"tooth", item.tooth ? Json(*item.tooth) : Json()},
              {"faces", item.faces.empty() ? Json() : Json(item.faces)},
              {"status", status_name(item.status)},
              {"reasons", reasons_json(item.reasons)},
              {"professional_cents", item.professional_cents},
              {"expenses_cents", item.expenses_cents},
              {"total_cents", item.total_cents},
              {"copay_cents", item.copay_cents}};
}

void put_amounts(const Json& item, Json& out) {
  const int64_t total = item["total_cents"].get<int64_t>();
  const int64_t copay = item["copay_cents"].get<int64_t>();
  AUTORIZA_CHECK(copay <= total);
  out["professional"] = money(item["professional_cents"].get<int64_t>());
  out["expenses"] = money(item["expenses_cents"].get<int64_t>());
  out["total"] = money(total);
  out["copay"] = money(copay);
  out["covered"] = money(total - copay);
}

}  // namespace autoriza::projections
