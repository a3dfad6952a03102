#pragma once
// The benchmark's padrón: a deterministic, realistic set of reference records
// built on top of the plans and practices of a data folder (the nomenclator
// of tests/fixtures or ops/sample-data).
//
// Generated records (same seed and sizes -> byte-identical records):
//   affiliates  credential "8" + 11 digits (index), families of 1-5 sharing a
//               titular (the first member), plan and last name; CUIL with a
//               valid check digit (prefix 20 M, 27 F, 23 X), doc_number = CUIL
//               digits 3-10; ages 0-90 (titulars 18-90); ~98% ACTIVE, ~1%
//               SUSPENDED, ~1% TERMINATED; only plans without tokens.
//   providers   "LAB"/"DEN"/"MED" + 6 digits, 40% LAB, 35% DENTIST, 25%
//               PHYSICIAN, category_pct 0-20.
//   prescribers 75% MD, 25% OD, licenses "7" + 5 digits.
// Affiliates are streamed (AffiliateStream), so a padrón of millions is
// never held twice in memory.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <random>
#include <string>
#include <vector>

#include "engine/core/clock.h"
#include "engine/engine.h"
#include "schemas/reference_generated.h"
#include "engine/core/status.h"

namespace autoriza::bench {

inline constexpr size_t kAffiliatesMax = 50'000'000;  // 12-digit credentials, 8-digit DNIs
inline constexpr size_t kProvidersMax = 999'999;
inline constexpr size_t kPrescribersMax = 99'999;
inline constexpr size_t kFamilySizeMax = 5;

struct PadronOptions {
  size_t affiliates = 1'000'000;
  size_t providers = 3'000;
  size_t prescribers = 400;
  uint64_t seed = 1;
  LocalDay today;  // ages are spread back from this day
};

struct PadronProvider {
  std::string id;
  fb::ProviderKind kind = fb::ProviderKind::LAB;
};

// What the mix draws from; small (everything but the affiliates' records).
struct Padron {
  PadronOptions options;
  std::filesystem::path data_dir;
  std::vector<fb::ReferenceRecordUnion> base;   // the data folder's records (plans, practices...)
  std::vector<fb::ReferenceRecordUnion> fixed;  // generated providers and prescribers
  std::vector<PadronProvider> providers;        // generated, in id order
  std::vector<std::string> md_licenses, od_licenses;
  std::vector<fb::PracticeT> practices;         // the nomenclator, in file order
  std::vector<std::string> plans;               // plans generated affiliates get (no token)

  // Credential of generated affiliate i (0 <= i < options.affiliates).
  static std::string credential(size_t index);
};

// Reads plans and practices (and the folder's own providers, prescribers
// and affiliates, loaded as they are) from data_dir, then generates
// providers and prescribers. Fails when the folder is rejected by the
// loader or holds no plan without tokens or no practice.
Status make_padron(const std::filesystem::path& data_dir, const PadronOptions& options, Padron* out);

// Yields the generated affiliates one at a time, in credential order.
class AffiliateStream {
 public:
  explicit AffiliateStream(const Padron& padron);
  bool done() const { return next_ >= padron_.options.affiliates; }
  // Needs !done().
  fb::AffiliateT next();

 private:
  const Padron& padron_;
  std::mt19937_64 rng_;
  size_t next_ = 0;
  size_t family_left_ = 0;  // members still to generate in the current family
  std::string titular_, last_name_, plan_;
};

struct LoadReport {
  size_t records = 0;
  double seconds = 0;
  ReferenceLoadStats stats;
};

// Loads base, fixed and every generated affiliate through
// Engine::load_reference in chunks of chunk_records, printing progress
// (count/total, rate) on progress. Stops at the first error.
Status load_padron(Engine& engine, const Padron& padron, size_t chunk_records, std::ostream& progress,
                   LoadReport* report);

// Writes the padrón as the five CSV files of docs/rules.md §3 into dir, so a
// separate `autoriza serve` can be loaded with it (`autoriza load`).
Status write_padron_csv(const Padron& padron, const std::filesystem::path& dir, std::ostream& progress);

}  // namespace autoriza::bench
