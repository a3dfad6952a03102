#pragma once
// The rules of docs/rules.md §6-8 as small named functions. Each appends the
// reason codes it finds; callers sort them into section 5's order.
#include <optional>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/money.h"
#include "schemas/commands_generated.h"
#include "engine/core/reasons.h"
#include "engine/core/reference.h"
#include "engine/core/state.h"

namespace autoriza {

// The parties of a provider's command, as found in reference data.
struct Parties {
  const fb::ProviderT* provider = nullptr;
  const fb::AffiliateT* affiliate = nullptr;
  const fb::PlanT* plan = nullptr;
};

// PROVIDER_NOT_FOUND, AFFILIATE_NOT_FOUND, AFFILIATE_SUSPENDED, AFFILIATE_TERMINATED.
Parties check_parties(const Reference& ref, std::string_view provider, std::string_view credential,
                      std::vector<Reason>& reasons);


// PRESCRIPTION_REQUIRED, PRESCRIBER_NOT_FOUND, PRESCRIPTION_IN_FUTURE, PRESCRIPTION_EXPIRED.
void check_prescription(const Reference& ref, const fb::AuthorizeCmdT& cmd, bool prescription_needed,
                        LocalDay today, std::vector<Reason>& reasons);

// DIAGNOSIS_REQUIRED: a dental item without a CIE-10 code, an audit request
// with neither a code nor the diagnosis in words.
void check_diagnosis(const fb::AuthorizeCmdT& cmd, bool has_dental_item, std::vector<Reason>& reasons);

// Item-level checks; the item's practice exists.
struct ItemContext {
  const Parties& parties;
  const fb::PracticeT& practice;
  const fb::AuthorizeItemT& item;
  const PartitionState& state;
  LocalDay today;
};
void check_provider_may_perform(const ItemContext& c, std::vector<Reason>& reasons);
void check_coverage(const ItemContext& c, std::vector<Reason>& reasons);
void check_quantity(const ItemContext& c, std::vector<Reason>& reasons);
void check_age(const ItemContext& c, std::vector<Reason>& reasons);
void check_sex(const ItemContext& c, std::vector<Reason>& reasons);
void check_frequency(const ItemContext& c, std::vector<Reason>& reasons);
void check_tooth(const ItemContext& c, std::vector<Reason>& reasons);
void check_faces(const ItemContext& c, std::vector<Reason>& reasons);

// Item reasons that audit mode sends to the auditor instead of rejecting.
bool auditable_reason(Reason code);

// A CIE-10 code: letter, two characters, optional dot and up to four more ("K029", "K76.0").
bool diagnosis_well_formed(std::string_view code);

// Documents attached to a command are named by the SHA-256 of their bytes:
// 64 lowercase hexadecimal digits. At most kDocumentsMax per command.
inline constexpr size_t kDocumentsMax = 10;
bool document_hash_well_formed(std::string_view hash);

// What a consumption's part bills of an item (money.h part_of).
BilledPart billed_part(fb::ConsumedPart part);

// Sets out's amounts (professional_cents, expenses_cents, total_cents,
// copay_cents) to the part of item's that a consumption bills; the item is
// any record with those fields (an order's item, a projection's draft).
template <typename From, typename To>
void bill_part(const From& item, fb::ConsumedPart part, To* out) {
  const ItemAmounts whole{Cents{item.professional_cents}, Cents{item.expenses_cents}, Cents{item.total_cents},
                          Cents{item.copay_cents}, Cents{item.total_cents - item.copay_cents}};
  const ItemAmounts billed = part_of(whole, billed_part(part));
  out->professional_cents = billed.professional.value;
  out->expenses_cents = billed.expenses.value;
  out->total_cents = billed.total.value;
  out->copay_cents = billed.copay.value;
}

}  // namespace autoriza
