#include "engine/core/reference.h"

#include "engine/core/status.h"

namespace autoriza {

void Reference::upsert(const fb::ReferenceRecordUnion& record, int64_t at_ms) {
  updated_ms[record_key(record)] = at_ms;
  if (record.type == fb::ReferenceRecord::Affiliate) {
    const fb::AffiliateT& a = *record.AsAffiliate();
    if (const fb::AffiliateT* before = affiliate(a.credential); before && before->titular != a.titular) {
      auto family = families.find(before->titular);
      if (family != families.end()) family->second.erase(a.credential);
    }
    families[a.titular].insert(a.credential);
    by_document[record.AsAffiliate()->doc_number] = record.AsAffiliate()->credential;
    if (!record.AsAffiliate()->cuil.empty()) by_cuil[record.AsAffiliate()->cuil] = record.AsAffiliate()->credential;
  }
  switch (record.type) {
    case fb::ReferenceRecord::Plan: plans[record.AsPlan()->plan] = *record.AsPlan(); break;
    case fb::ReferenceRecord::Affiliate:
      affiliates[record.AsAffiliate()->credential] = *record.AsAffiliate();
      break;
    case fb::ReferenceRecord::Provider: providers[record.AsProvider()->provider] = *record.AsProvider(); break;
    case fb::ReferenceRecord::Prescriber: {
      const auto& p = *record.AsPrescriber();
      prescribers[prescriber_key(p.kind, p.license)] = p;
      break;
    }
    case fb::ReferenceRecord::Practice: practices[record.AsPractice()->code] = *record.AsPractice(); break;
    case fb::ReferenceRecord::ClosedPeriod:
      closed_periods.insert(record.AsClosedPeriod()->provider + "|" + record.AsClosedPeriod()->month);
      break;
    case fb::ReferenceRecord::ApiKey: {
      const auto& k = *record.AsApiKey();
      api_keys[k.key_id] = k;
      api_key_by_sha256[k.sha256] = k.key_id;
      break;
    }
    case fb::ReferenceRecord::PortalUser: portal_users[record.AsPortalUser()->user] = *record.AsPortalUser(); break;
    case fb::ReferenceRecord::Diagnosis: diagnoses[record.AsDiagnosis()->code] = *record.AsDiagnosis(); break;
    case fb::ReferenceRecord::NONE: AUTORIZA_CHECK(!"reference record without type");
  }
}

std::string Reference::record_key(const fb::ReferenceRecordUnion& record) {
  switch (record.type) {
    case fb::ReferenceRecord::Plan: return "plan:" + record.AsPlan()->plan;
    case fb::ReferenceRecord::Affiliate: return "affiliate:" + record.AsAffiliate()->credential;
    case fb::ReferenceRecord::Provider: return "provider:" + record.AsProvider()->provider;
    case fb::ReferenceRecord::Prescriber:
      return "prescriber:" + prescriber_key(record.AsPrescriber()->kind, record.AsPrescriber()->license);
    case fb::ReferenceRecord::Practice: return "practice:" + record.AsPractice()->code;
    case fb::ReferenceRecord::ClosedPeriod:
      return "period:" + record.AsClosedPeriod()->provider + "|" + record.AsClosedPeriod()->month;
    case fb::ReferenceRecord::ApiKey: return "apikey:" + record.AsApiKey()->key_id;
    case fb::ReferenceRecord::PortalUser: return "portaluser:" + record.AsPortalUser()->user;
    case fb::ReferenceRecord::Diagnosis: return "diagnosis:" + record.AsDiagnosis()->code;
    case fb::ReferenceRecord::NONE: break;
  }
  AUTORIZA_CHECK(!"reference record without type");
  return {};
}

bool Reference::contains_equal(const fb::ReferenceRecordUnion& record) const {
  switch (record.type) {
    case fb::ReferenceRecord::Plan: {
      auto* p = plan(record.AsPlan()->plan);
      return p && *p == *record.AsPlan();
    }
    case fb::ReferenceRecord::Affiliate: {
      auto* a = affiliate(record.AsAffiliate()->credential);
      return a && *a == *record.AsAffiliate();
    }
    case fb::ReferenceRecord::Provider: {
      auto* p = provider(record.AsProvider()->provider);
      return p && *p == *record.AsProvider();
    }
    case fb::ReferenceRecord::Prescriber: {
      auto* p = prescriber(record.AsPrescriber()->kind, record.AsPrescriber()->license);
      return p && *p == *record.AsPrescriber();
    }
    case fb::ReferenceRecord::Practice: {
      auto* p = practice(record.AsPractice()->code);
      return p && *p == *record.AsPractice();
    }
    case fb::ReferenceRecord::ClosedPeriod:
      return period_closed(record.AsClosedPeriod()->provider, record.AsClosedPeriod()->month);
    case fb::ReferenceRecord::ApiKey: {
      auto* k = api_key(record.AsApiKey()->key_id);
      return k && *k == *record.AsApiKey();
    }
    case fb::ReferenceRecord::PortalUser: {
      auto* u = portal_user(record.AsPortalUser()->user);
      return u && *u == *record.AsPortalUser();
    }
    case fb::ReferenceRecord::Diagnosis: {
      auto it = diagnoses.find(record.AsDiagnosis()->code);
      return it != diagnoses.end() && it->second == *record.AsDiagnosis();
    }
    case fb::ReferenceRecord::NONE: break;
  }
  return false;
}

bool Reference::contains_key(const fb::ReferenceRecordUnion& record) const {
  switch (record.type) {
    case fb::ReferenceRecord::Plan: return plan(record.AsPlan()->plan) != nullptr;
    case fb::ReferenceRecord::Affiliate: return affiliate(record.AsAffiliate()->credential) != nullptr;
    case fb::ReferenceRecord::Provider: return provider(record.AsProvider()->provider) != nullptr;
    case fb::ReferenceRecord::Prescriber:
      return prescriber(record.AsPrescriber()->kind, record.AsPrescriber()->license) != nullptr;
    case fb::ReferenceRecord::Practice: return practice(record.AsPractice()->code) != nullptr;
    case fb::ReferenceRecord::ClosedPeriod:
      return period_closed(record.AsClosedPeriod()->provider, record.AsClosedPeriod()->month);
    case fb::ReferenceRecord::ApiKey: return api_key(record.AsApiKey()->key_id) != nullptr;
    case fb::ReferenceRecord::PortalUser: return portal_user(record.AsPortalUser()->user) != nullptr;
    case fb::ReferenceRecord::Diagnosis: return diagnoses.contains(record.AsDiagnosis()->code);
    case fb::ReferenceRecord::NONE: break;
  }
  return false;
}

int coverage_pct(const fb::PlanT& plan, fb::PracticeKind kind) {
  switch (kind) {
    case fb::PracticeKind::BIOCHEM: return plan.biochem_coverage_pct;
    case fb::PracticeKind::DENTAL: return plan.dental_coverage_pct;
    case fb::PracticeKind::MEDICAL: return plan.medical_coverage_pct;
  }
  return 0;
}

bool provider_may_perform(fb::ProviderKind provider, fb::PracticeKind practice) {
  switch (provider) {
    case fb::ProviderKind::LAB: return practice == fb::PracticeKind::BIOCHEM;
    case fb::ProviderKind::DENTIST: return practice == fb::PracticeKind::DENTAL;
    case fb::ProviderKind::PHYSICIAN: return practice == fb::PracticeKind::MEDICAL;
  }
  return false;
}

std::string display_name(const fb::AffiliateT& affiliate) {
  return affiliate.last_name + ", " + affiliate.first_name;
}

const Reference& reference_in_force(const std::vector<ReferenceEra>& eras, Millis at) {
  AUTORIZA_CHECK(!eras.empty());
  for (auto it = eras.rbegin(); it != eras.rend(); ++it) {
    if (it->from <= at) return *it->reference;
  }
  return *eras.front().reference;
}

}  // namespace autoriza
