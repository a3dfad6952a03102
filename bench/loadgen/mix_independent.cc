// The independent commands of the mix: eligibility, authorize and audit
// requests (authorize in mode "audit"), with items a provider of that kind
// would send: biochemical and medical practices with a recent prescription
// by a known physician; dental practices with diagnosis K02.9, FDI teeth
// and faces that exist on the tooth where the practice needs them.
#include <algorithm>
#include <set>

#include "engine/core/fdi.h"
#include "bench/loadgen/mix.h"

namespace autoriza::bench {

namespace {

constexpr int kItemsPerRequestMax = 6;
constexpr int kPrescriptionAgeDaysMax = 30;  // docs/rules.md §6: expired when older than 30 days
constexpr int kQtyAboveOnePct = 20;
constexpr int kConsumeNowPct = 50;           // of laboratory authorizations
constexpr const char* kDentalDiagnosis = "K02.9";
constexpr const char* kMedicalDiagnoses[] = {"E11.9", "R50.9", "I10", "N39.0"};

fb::PracticeKind practice_kind_of(fb::ProviderKind kind) {
  switch (kind) {
    case fb::ProviderKind::LAB: return fb::PracticeKind::BIOCHEM;
    case fb::ProviderKind::DENTIST: return fb::PracticeKind::DENTAL;
    case fb::ProviderKind::PHYSICIAN: return fb::PracticeKind::MEDICAL;
  }
  return fb::PracticeKind::BIOCHEM;
}

// A permanent tooth (quadrants 1-4, positions 1-8).
int draw_tooth(std::mt19937_64& rng) {
  const int quadrant = std::uniform_int_distribution<int>(1, 4)(rng);
  const int position = std::uniform_int_distribution<int>(1, 8)(rng);
  return quadrant * 10 + position;
}

// 1-3 distinct faces that exist on tooth, in a fixed letter order.
std::string draw_faces(int tooth, std::mt19937_64& rng) {
  std::string allowed = "VMDG";
  allowed += tooth_is_anterior(tooth) ? 'I' : 'O';
  allowed += tooth_is_upper(tooth) ? 'P' : 'L';
  std::string shuffled = allowed;
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  shuffled.resize(std::uniform_int_distribution<size_t>(1, 3)(rng));
  std::string faces;
  for (char c : allowed) {
    if (shuffled.find(c) != std::string::npos) faces += c;
  }
  AUTORIZA_CHECK(faces_well_formed(faces) && faces_fit_tooth(faces, tooth));
  return faces;
}

}  // namespace

void Mix::build_eligibility(Stream& stream, Planned* out) {
  std::mt19937_64& rng = stream.rng;
  const auto provider = uint32_t(std::uniform_int_distribution<size_t>(0, padron_.providers.size() - 1)(rng));
  const auto affiliate = uint32_t(std::uniform_int_distribution<size_t>(0, padron_.options.affiliates - 1)(rng));
  fb::EligibilityCmdT c;
  c.request_id = request_id('e', ++stream.count);
  c.provider = padron_.providers[provider].id;
  c.credential = Padron::credential(affiliate);
  out->ticket = Ticket{CommandKind::kEligibility, provider, affiliate, 0, {}};
  out->command.Set(std::move(c));
}

void Mix::build_authorize(Stream& stream, bool audit, Planned* out) {
  std::mt19937_64& rng = stream.rng;
  const auto provider = uint32_t(std::uniform_int_distribution<size_t>(0, padron_.providers.size() - 1)(rng));
  const auto affiliate = uint32_t(std::uniform_int_distribution<size_t>(0, padron_.options.affiliates - 1)(rng));
  const fb::PracticeKind kind = practice_kind_of(padron_.providers[provider].kind);
  const std::vector<size_t>& candidates = practices_by_kind_[size_t(kind)];
  fb::AuthorizeCmdT c;
  c.request_id = request_id(audit ? 's' : 'a', ++stream.count);
  c.provider = padron_.providers[provider].id;
  c.credential = Padron::credential(affiliate);
  const int wanted = std::uniform_int_distribution<int>(1, kItemsPerRequestMax)(rng);
  std::set<std::pair<size_t, int>> used;  // (practice, tooth or 0): no DUPLICATE_ITEM
  for (int attempt = 0; attempt < 4 * wanted && int(c.items.size()) < wanted && !candidates.empty(); ++attempt) {
    const size_t p = candidates[std::uniform_int_distribution<size_t>(0, candidates.size() - 1)(rng)];
    const fb::PracticeT& practice = padron_.practices[p];
    auto item = std::make_unique<fb::AuthorizeItemT>();
    item->code = practice.code;
    int tooth = 0;
    if (practice.requires_tooth) {
      tooth = draw_tooth(rng);
      item->tooth = tooth;
      if (practice.requires_faces) item->faces = draw_faces(tooth, rng);
    }
    if (!used.insert({p, tooth}).second) continue;
    if (practice.max_qty > 1 && std::uniform_int_distribution<int>(0, 99)(rng) < kQtyAboveOnePct) {
      item->qty = std::uniform_int_distribution<int>(2, practice.max_qty)(rng);
    }
    c.items.push_back(std::move(item));
  }
  if (c.items.empty()) {  // a data folder without practices of this kind: any practice
    auto item = std::make_unique<fb::AuthorizeItemT>();
    item->code = padron_.practices.front().code;
    c.items.push_back(std::move(item));
  }
  const LocalDay today = local_day(options_.start);
  if (kind == fb::PracticeKind::DENTAL) {
    c.diagnosis = kDentalDiagnosis;
  } else {
    c.prescribed_on_day = today.value - std::uniform_int_distribution<int>(0, kPrescriptionAgeDaysMax)(rng);
    if (!padron_.md_licenses.empty()) {
      c.prescriber = std::make_unique<fb::PrescriberRefT>();
      c.prescriber->kind = fb::PrescriberKind::MD;
      c.prescriber->license =
          padron_.md_licenses[std::uniform_int_distribution<size_t>(0, padron_.md_licenses.size() - 1)(rng)];
    }
    if (audit) c.diagnosis = kMedicalDiagnoses[rng() % std::size(kMedicalDiagnoses)];
  }
  if (audit) {
    c.mode = fb::AuthorizeMode::AUDIT;
  } else if (kind == fb::PracticeKind::BIOCHEM) {
    c.consume_now = std::uniform_int_distribution<int>(0, 99)(rng) < kConsumeNowPct;
  }
  out->ticket = Ticket{audit ? CommandKind::kAuditOpen : CommandKind::kAuthorize, provider, affiliate, 0, {}};
  out->command.Set(std::move(c));
}

}  // namespace autoriza::bench
