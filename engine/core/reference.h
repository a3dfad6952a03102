#pragma once
// Reference data (docs/rules.md §3) as an immutable snapshot. Writers take a
// shared_ptr to the current snapshot per batch; a reload builds a new one and
// swaps it in, so readers never lock.
#include <map>
#include <set>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/clock.h"
#include "schemas/reference_generated.h"

namespace autoriza {

// Transparent hashing so lookups take string_view without allocating.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct Reference {
  StringMap<fb::PlanT> plans;            // by plan name
  StringMap<fb::AffiliateT> affiliates;  // by credential
  StringMap<fb::ProviderT> providers;    // by provider id
  StringMap<fb::PrescriberT> prescribers;  // by prescriber_key(kind, license)
  StringMap<fb::PracticeT> practices;    // by code
  StringMap<int64_t> updated_ms;         // by record_key: when the record last changed
  StringMap<std::string> by_document;    // doc_number -> credential
  StringMap<std::string> by_cuil;        // cuil (11 digits) -> credential
  StringMap<std::set<std::string>> families;  // titular credential -> its group's credentials (itself included)
  std::set<std::string> closed_periods;  // "provider|YYYY-MM"
  StringMap<fb::ApiKeyT> api_keys;       // by key_id, revoked ones included
  StringMap<std::string> api_key_by_sha256;  // sha256 hex -> key_id
  StringMap<fb::PortalUserT> portal_users;   // by user name, disabled ones included
  std::map<std::string, fb::DiagnosisT, std::less<>> diagnoses;  // the CIE-10 catalog, by code (ordered)

  bool period_closed(std::string_view provider, std::string_view month) const {
    return closed_periods.contains(std::string(provider) + "|" + std::string(month));
  }

  const fb::PlanT* plan(std::string_view name) const { return find(plans, name); }
  const fb::ApiKeyT* api_key(std::string_view key_id) const { return find(api_keys, key_id); }
  const fb::ApiKeyT* api_key_by_hash(std::string_view sha256_hex) const {
    auto it = api_key_by_sha256.find(sha256_hex);
    return it == api_key_by_sha256.end() ? nullptr : api_key(it->second);
  }
  const fb::AffiliateT* affiliate(std::string_view credential) const { return find(affiliates, credential); }
  const fb::PortalUserT* portal_user(std::string_view user) const { return find(portal_users, user); }
  const fb::ProviderT* provider(std::string_view id) const { return find(providers, id); }
  const fb::PracticeT* practice(std::string_view code) const { return find(practices, code); }
  const fb::PrescriberT* prescriber(fb::PrescriberKind kind, std::string_view license) const {
    return find(prescribers, prescriber_key(kind, license));
  }

  static std::string prescriber_key(fb::PrescriberKind kind, std::string_view license) {
    return std::string(fb::EnumNamePrescriberKind(kind)) + ":" + std::string(license);
  }

  // Applies one upsert (a ReferenceUpserted event's record) made at `at`.
  void upsert(const fb::ReferenceRecordUnion& record, int64_t at_ms = 0);
  const fb::AffiliateT* affiliate_by_document(std::string_view doc_number) const {
    auto it = by_document.find(doc_number);
    return it == by_document.end() ? nullptr : affiliate(it->second);
  }

  const fb::AffiliateT* affiliate_by_cuil(std::string_view cuil) const {
    auto it = by_cuil.find(cuil);
    return it == by_cuil.end() ? nullptr : affiliate(it->second);
  }

  // The credentials of titular's family group, in order (titular's own
  // among them); empty for an unknown titular.
  const std::set<std::string>& family(std::string_view titular) const {
    static const std::set<std::string> none;
    auto it = families.find(titular);
    return it == families.end() ? none : it->second;
  }

  // The stable identity of a record within its kind: "affiliate:110000783851".
  static std::string record_key(const fb::ReferenceRecordUnion& record);
  // Whether a record of that kind and id exists (equal or not).
  bool contains_key(const fb::ReferenceRecordUnion& record) const;
  // Whether applying record would change nothing.
  bool contains_equal(const fb::ReferenceRecordUnion& record) const;

 private:
  template <typename M>
  static const typename M::mapped_type* find(const M& map, std::string_view key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
  }
};

using ReferencePtr = std::shared_ptr<const Reference>;

// Reference data by the command time it is in force for. The embedded
// engine has one era, in force for every time. In Kafka mode a load takes
// effect from a time its mark in the reference topic names (ops/kafka.md,
// "Reference data in force"), so a command is decided with the data in force
// at its own command time, whichever validator decides it and whenever it
// read the topic.
struct ReferenceEra {
  Millis from{0};  // in force for command times >= from (the first era: for every time)
  ReferencePtr reference;
};
using ReferenceEras = std::shared_ptr<const std::vector<ReferenceEra>>;
// The era in force at `at`: the last whose `from` is <= at, else the first.
// eras: non-empty, sorted by from.
const Reference& reference_in_force(const std::vector<ReferenceEra>& eras, Millis at);

// Coverage of a plan for a practice kind, in percent (0-100).
int coverage_pct(const fb::PlanT& plan, fb::PracticeKind kind);
// Whether a provider of this kind may perform practices of that kind.
bool provider_may_perform(fb::ProviderKind provider, fb::PracticeKind practice);
// "LAST, FIRST" as shown on a provider's screen.
std::string display_name(const fb::AffiliateT& affiliate);

}  // namespace autoriza
