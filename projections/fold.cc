#include "projections/fold.h"

#include "engine/core/clock.h"

namespace autoriza::projections {

namespace {

// Reference data the projections keep for themselves: names for display and
// closed billing periods (with the time they were closed).
void fold_reference(const fb::Event& event, Fold& f) {
  switch (event.reference_type()) {
    case fb::ReferenceRecord::Affiliate: {
      const fb::Affiliate& a = *event.reference_as_Affiliate();
      const std::string_view credential = as_view(a.credential());
      const std::string_view titular = as_view(a.titular());
      // "LAST, FIRST", as engine/core/reference.h display_name() shows it.
      std::string& name = f.text;
      name.assign(as_view(a.last_name())).append(", ").append(as_view(a.first_name()));
      f.batch.append(Cf::kReference, affiliate_key(&f.key, credential), f.writer.affiliate_name(name, titular));
      // The family index never deletes: a member who moved to another
      // family keeps an entry under the old titular, which query_family
      // drops by checking the member's current titular. A titular is not
      // listed under itself (query_family starts with the titular).
      if (!titular.empty() && titular != credential) f.batch.append(Cf::kReference, family_key(&f.key, titular, credential), "");
      break;
    }
    case fb::ReferenceRecord::Provider: {
      const fb::Provider& p = *event.reference_as_Provider();
      f.batch.append(Cf::kReference, provider_key(as_view(p.provider())), f.writer.provider_name(as_view(p.name()), p.kind()));
      break;
    }
    case fb::ReferenceRecord::ClosedPeriod: {
      const fb::ClosedPeriod& c = *event.reference_as_ClosedPeriod();
      f.batch.append(Cf::kBilling, closed_key(as_view(c.provider()), as_view(c.month())),
                     f.writer.closed_month(event.command_time_ms(), event.sequence()));
      break;
    }
    default:
      break;  // plans, practices, prescribers: not shown by any projection
  }
}

std::string& prefixed(std::string* out, std::string_view prefix, std::string_view id) {
  out->assign(prefix).append(id);
  return *out;
}

}  // namespace

Status fold_event(const fb::Event& event, Fold& f) {
  Status s;
  switch (event.type()) {
    case fb::EventType::REFERENCE_UPSERTED:
      fold_reference(event, f);
      return Status::ok();
    case fb::EventType::AUTHORIZATION_DECIDED:
      s = fold_authorization(event, f);
      break;
    case fb::EventType::AUDIT_OPENED:
      // A refused audit request is a rejected authorization (register rows).
      s = event.result() && as_view(event.result()->sap()).empty() ? fold_authorization(event, f)
                                                                 : fold_audit_opened(event, f);
      break;
    case fb::EventType::AUDIT_DECIDED:
      s = fold_audit_decided(event, f);
      break;
    case fb::EventType::AUDIT_ANSWERED:
      s = fold_audit_answered(event, f);
      break;
    case fb::EventType::CONSUMPTION_RECORDED:
      s = fold_consumption(event, f);
      break;
    case fb::EventType::ANNULMENT_RECORDED:
      s = fold_annulment(event, f);
      break;
    default:
      break;
  }
  if (!s) return s;
  return fold_history(event, f);
}

// ---- keys ------------------------------------------------------------------

const std::string& order_key(std::string* out, std::string_view transaction) {
  return prefixed(out, "order/", transaction);
}
const std::string& consumption_key(std::string* out, std::string_view transaction) {
  return prefixed(out, "consumption/", transaction);
}
const std::string& refusal_key(std::string* out, std::string_view transaction) {
  return prefixed(out, "refusal/", transaction);
}
const std::string& sap_row_key(std::string* out, std::string_view transaction) {
  return prefixed(out, "saprow/", transaction);
}
const std::string& sap_key(std::string* out, std::string_view sap) {
  return prefixed(out, "sap/", sap);
}
const std::string& affiliate_key(std::string* out, std::string_view credential) {
  return prefixed(out, "affiliate/", credential);
}
const std::string& family_key(std::string* out, std::string_view titular, std::string_view credential) {
  prefixed(out, "family/", titular).push_back('\0');
  out->append(credential);
  return *out;
}

const std::string& register_key(std::string* out, std::string_view provider, int64_t time_ms,
                                std::string_view transaction) {
  out->assign(provider).push_back('\0');
  append_be64(out, time_order(time_ms));
  out->append(transaction);
  return *out;
}

std::string register_row_key(std::string_view register_key, int32_t index) {
  AUTORIZA_CHECK(index >= 0);
  std::string key(register_key);
  key.push_back('\0');
  append_be32(&key, uint32_t(index));
  return key;
}

const std::string& billing_key(std::string* out, std::string_view provider, int64_t performed_ms,
                               std::string_view consumption) {
  prefixed(out, "item/", provider).push_back('\0');
  append_month(out, performed_ms);
  out->push_back('\0');
  append_be64(out, time_order(performed_ms));
  out->append(consumption);
  return *out;
}

const std::string& history_key(std::string* out, std::string_view credential, int64_t time_ms, uint16_t stream,
                               uint64_t sequence) {
  out->assign(credential).push_back('\0');
  append_be64(out, ~time_order(time_ms));
  append_be16(out, uint16_t(~stream));
  append_be64(out, ~sequence);
  AUTORIZA_CHECK(out->size() == credential.size() + 1 + kHistorySuffixBytes);
  return *out;
}

std::string sap_key(std::string_view sap) {
  std::string key;
  return sap_key(&key, sap);
}
std::string affiliate_key(std::string_view credential) {
  std::string key;
  return affiliate_key(&key, credential);
}
std::string provider_key(std::string_view provider) {
  return "provider/" + std::string(provider);
}
std::string family_prefix(std::string_view titular) {
  return "family/" + std::string(titular) + '\0';
}
std::string register_prefix(std::string_view provider) {
  return std::string(provider) + '\0';
}
std::string billing_prefix(std::string_view provider, std::string_view month) {
  return "item/" + std::string(provider) + '\0' + std::string(month) + '\0';
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

// ---- helpers ---------------------------------------------------------------

void append_month(std::string* out, int64_t ms) {
  const CivilDate c = civil_from_day(local_day(Millis{ms}));
  // Short strings: std::to_string allocates nothing for them.
  out->append(std::to_string(c.year)).append(c.month < 10 ? "-0" : "-").append(std::to_string(c.month));
}

std::string month_of(int64_t ms) {
  std::string out;
  append_month(&out, ms);
  return out;
}

}  // namespace autoriza::projections
