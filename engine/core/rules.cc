#include "engine/core/rules.h"

#include <algorithm>
#include <cctype>

#include "engine/core/fdi.h"
#include "engine/core/status.h"

namespace autoriza {

Parties check_parties(const Reference& ref, std::string_view provider, std::string_view credential,
                      std::vector<Reason>& reasons) {
  Parties p;
  p.provider = ref.provider(provider);
  if (!p.provider) reasons.push_back(Reason::PROVIDER_NOT_FOUND);
  p.affiliate = ref.affiliate(credential);
  if (!p.affiliate) {
    reasons.push_back(Reason::AFFILIATE_NOT_FOUND);
    return p;
  }
  p.plan = ref.plan(p.affiliate->plan);
  AUTORIZA_CHECK(p.plan != nullptr);  // the loader refuses affiliates of unknown plans
  if (p.affiliate->status == fb::AffiliateStatus::SUSPENDED) reasons.push_back(Reason::AFFILIATE_SUSPENDED);
  if (p.affiliate->status == fb::AffiliateStatus::TERMINATED) reasons.push_back(Reason::AFFILIATE_TERMINATED);
  return p;
}


void check_prescription(const Reference& ref, const fb::AuthorizeCmdT& cmd, bool prescription_needed,
                        LocalDay today, std::vector<Reason>& reasons) {
  const bool complete = cmd.prescribed_on_day.has_value() && cmd.prescriber != nullptr;
  if (prescription_needed && !complete) reasons.push_back(Reason::PRESCRIPTION_REQUIRED);
  if (cmd.prescriber && !ref.prescriber(cmd.prescriber->kind, cmd.prescriber->license)) {
    reasons.push_back(Reason::PRESCRIBER_NOT_FOUND);
  }
  if (cmd.prescribed_on_day) {
    const int32_t age_days = days_between(LocalDay{*cmd.prescribed_on_day}, today);
    if (age_days < 0) reasons.push_back(Reason::PRESCRIPTION_IN_FUTURE);
    if (age_days > 30) reasons.push_back(Reason::PRESCRIPTION_EXPIRED);
  }
}

void check_diagnosis(const fb::AuthorizeCmdT& cmd, bool has_dental_item, std::vector<Reason>& reasons) {
  // A dental item needs a CIE-10 code; an audit request a code or the
  // diagnosis in words (GENOS's "Enfermedad respiratoria").
  const bool missing = has_dental_item ? cmd.diagnosis.empty()
                                       : cmd.mode == fb::AuthorizeMode::AUDIT && cmd.diagnosis.empty() &&
                                             cmd.diagnosis_text.empty();
  if (missing) reasons.push_back(Reason::DIAGNOSIS_REQUIRED);
}

void check_provider_may_perform(const ItemContext& c, std::vector<Reason>& reasons) {
  if (c.parties.provider && !provider_may_perform(c.parties.provider->kind, c.practice.kind)) {
    reasons.push_back(Reason::PRACTICE_NOT_ALLOWED_FOR_PROVIDER);
  }
}

void check_coverage(const ItemContext& c, std::vector<Reason>& reasons) {
  if (c.parties.plan && coverage_pct(*c.parties.plan, c.practice.kind) == 0) reasons.push_back(Reason::NOT_COVERED);
}

void check_quantity(const ItemContext& c, std::vector<Reason>& reasons) {
  if (c.item.qty > c.practice.max_qty) reasons.push_back(Reason::QUANTITY_EXCEEDED);
}

void check_age(const ItemContext& c, std::vector<Reason>& reasons) {
  if (!c.parties.affiliate) return;
  const int age = age_years(LocalDay{c.parties.affiliate->birth_day}, c.today);
  if ((c.practice.min_age && age < *c.practice.min_age) || (c.practice.max_age && age > *c.practice.max_age)) {
    reasons.push_back(Reason::AGE_NOT_ALLOWED);
  }
}

void check_sex(const ItemContext& c, std::vector<Reason>& reasons) {
  if (c.parties.affiliate && !c.practice.sex.empty() && c.practice.sex != c.parties.affiliate->sex) {
    reasons.push_back(Reason::SEX_NOT_ALLOWED);
  }
}

void check_frequency(const ItemContext& c, std::vector<Reason>& reasons) {
  if (!c.parties.affiliate || !c.practice.frequency_days) return;
  std::optional<int32_t> tooth;
  if (c.item.tooth) tooth = *c.item.tooth;
  if (c.state.frequency_blocks(c.parties.affiliate->credential, c.practice.code, tooth, c.today,
                               *c.practice.frequency_days)) {
    reasons.push_back(Reason::FREQUENCY_EXCEEDED);
  }
}

void check_tooth(const ItemContext& c, std::vector<Reason>& reasons) {
  if (!c.practice.requires_tooth) {
    if (c.item.tooth) reasons.push_back(Reason::TOOTH_NOT_APPLICABLE);
    return;
  }
  if (!c.item.tooth) {
    reasons.push_back(Reason::TOOTH_REQUIRED);
  } else if (!tooth_is_valid(*c.item.tooth)) {
    reasons.push_back(Reason::TOOTH_INVALID);
  }
}

void check_faces(const ItemContext& c, std::vector<Reason>& reasons) {
  const std::string& faces = c.item.faces;
  if (!c.practice.requires_faces) {
    if (!faces.empty()) reasons.push_back(Reason::FACE_INVALID);
    return;
  }
  if (faces.empty()) {
    reasons.push_back(Reason::FACE_REQUIRED);
    return;
  }
  if (!faces_well_formed(faces)) {
    reasons.push_back(Reason::FACE_INVALID);
    return;
  }
  // Faces are checked against the tooth only when the tooth is valid.
  if (c.practice.requires_tooth && c.item.tooth && tooth_is_valid(*c.item.tooth) &&
      !faces_fit_tooth(faces, *c.item.tooth)) {
    reasons.push_back(Reason::FACE_INVALID);
  }
}

bool auditable_reason(Reason code) {
  switch (code) {
    case Reason::NOT_COVERED:
    case Reason::QUANTITY_EXCEEDED:
    case Reason::AGE_NOT_ALLOWED:
    case Reason::SEX_NOT_ALLOWED:
    case Reason::FREQUENCY_EXCEEDED: return true;
    default: return false;
  }
}

BilledPart billed_part(fb::ConsumedPart part) {
  switch (part) {
    case fb::ConsumedPart::PROFESSIONAL_ONLY: return BilledPart::kProfessionalOnly;
    case fb::ConsumedPart::EXPENSES_ONLY: return BilledPart::kExpensesOnly;
    case fb::ConsumedPart::ALL: break;
  }
  return BilledPart::kAll;
}

bool document_hash_well_formed(std::string_view hash) {
  if (hash.size() != 64) return false;
  return std::all_of(hash.begin(), hash.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool diagnosis_well_formed(std::string_view code) {
  if (code.size() < 3 || code.size() > 8) return false;
  if (!std::isalpha((unsigned char)code[0]) || !std::isdigit((unsigned char)code[1]) ||
      !std::isalnum((unsigned char)code[2])) {
    return false;
  }
  std::string_view rest = code.substr(3);
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    if (rest.empty()) return false;
  }
  if (rest.size() > 4) return false;
  for (char ch : rest) {
    if (!std::isalnum((unsigned char)ch)) return false;
  }
  return true;
}

}  // namespace autoriza
