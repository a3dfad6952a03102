#include "bench/loadgen/padron.h"

#include <cassert>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "engine/core/cuil.h"
#include "engine/core/reference_loader.h"

namespace autoriza::bench {

namespace {

constexpr uint64_t kProviderSeedSalt = 0x9e3779b97f4a7c15ull;
constexpr uint64_t kAffiliateSeedSalt = 0xc2b2ae3d27d4eb4full;
constexpr int kAgeYearsMax = 90;
constexpr int kTitularAgeYearsMin = 18;
constexpr int kDaysPerYear = 365;
constexpr int kCategoryPctMax = 20;

// Spanish names as they appear on Argentine padrones (upper case, no accents).
constexpr const char* kLastNames[] = {
    "GONZALEZ", "RODRIGUEZ", "GOMEZ",   "FERNANDEZ", "LOPEZ",    "DIAZ",     "MARTINEZ", "PEREZ",   "GARCIA",
    "SANCHEZ",  "ROMERO",    "SOSA",    "ALVAREZ",   "TORRES",   "RUIZ",     "RAMIREZ",  "FLORES",  "ACOSTA",
    "BENITEZ",  "MEDINA",    "SUAREZ",  "HERRERA",   "AGUIRRE",  "PEREYRA",  "GUTIERREZ", "GIMENEZ", "MOLINA",
    "SILVA",    "CASTRO",    "ROJAS",   "ORTIZ",     "NUNEZ",    "LUNA",     "JUAREZ",   "CABRERA", "RIOS",
    "FERREYRA", "GODOY",     "MORALES", "DOMINGUEZ", "QUIPILDOR", "CHOQUE",  "MAMANI",   "CRUZ",    "VARGAS"};
constexpr const char* kMaleNames[] = {"JUAN",   "CARLOS", "JOSE",    "LUIS",   "JORGE",  "MIGUEL", "DANIEL",
                                      "MARCELO", "RAMON", "ADRIAN",  "TOMAS",  "MATEO",  "SANTIAGO", "FACUNDO",
                                      "LUCAS",  "MARTIN", "NICOLAS", "DIEGO",  "PABLO",  "SERGIO"};
constexpr const char* kFemaleNames[] = {"MARIA",   "ANA",    "LAURA",   "SOFIA",  "LUCIA",  "VALENTINA", "CAMILA",
                                        "MARTINA", "SILVIA", "GRACIELA", "PATRICIA", "ROMINA", "FLORENCIA", "CLAUDIA",
                                        "NOELIA",  "PAULA",  "AGUSTINA", "JULIETA", "MONICA", "ELENA"};
constexpr const char* kCenters[] = {"SEDE CENTRAL", "CONSULTORIOS EXTERNOS", "LABORATORIO PARTICULAR",
                                    "CLINICA DEL VALLE", "COLEGIO DE ODONTOLOGOS", "SANATORIO NORTE",
                                    "CENTRO DE SALUD SUR", "POLICLINICO"};

template <typename T, size_t N>
const T& pick(std::mt19937_64& rng, const T (&array)[N]) {
  return array[std::uniform_int_distribution<size_t>(0, N - 1)(rng)];
}

std::string zero_padded(uint64_t value, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(value));
  return buf;
}

// A CUIL with a valid check digit for a person of that sex and DNI.
std::string make_cuil(const std::string& sex, uint64_t dni) {
  const std::string prefix = sex == "M" ? "20" : sex == "F" ? "27" : "23";
  std::string first_ten = prefix + zero_padded(dni, 8);
  const int check = cuil_check_digit(first_ten);
  std::string cuil = first_ten + char('0' + check);
  assert(cuil_is_valid(cuil));
  return cuil;
}

void generate_providers(Padron* p, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> pct(0, 99);
  std::uniform_int_distribution<int> category(0, kCategoryPctMax);
  for (size_t i = 0; i < p->options.providers; ++i) {
    const int roll = pct(rng);
    const fb::ProviderKind kind = roll < 40   ? fb::ProviderKind::LAB
                                  : roll < 75 ? fb::ProviderKind::DENTIST
                                              : fb::ProviderKind::PHYSICIAN;
    fb::ProviderT r;
    const char* prefix = kind == fb::ProviderKind::LAB ? "LAB" : kind == fb::ProviderKind::DENTIST ? "DEN" : "MED";
    r.provider = prefix + zero_padded(i + 1, 6);
    r.name = std::string(pick(rng, kLastNames)) + " " + pick(rng, kMaleNames);
    r.kind = kind;
    r.center = pick(rng, kCenters);
    r.category_pct = category(rng);
    r.license = zero_padded(30'000 + i, 6);
    p->providers.push_back({r.provider, kind});
    p->fixed.emplace_back().Set(std::move(r));
  }
  for (size_t i = 0; i < p->options.prescribers; ++i) {
    fb::PrescriberT r;
    r.kind = i % 4 == 3 ? fb::PrescriberKind::OD : fb::PrescriberKind::MD;
    r.license = "7" + zero_padded(i + 1, 5);
    r.name = std::string(pick(rng, kLastNames)) + " " + pick(rng, kFemaleNames);
    (r.kind == fb::PrescriberKind::MD ? p->md_licenses : p->od_licenses).push_back(r.license);
    p->fixed.emplace_back().Set(std::move(r));
  }
}

}  // namespace

std::string Padron::credential(size_t index) { return "8" + zero_padded(index + 1, 11); }

Status make_padron(const std::filesystem::path& data_dir, const PadronOptions& options, Padron* out) {
  AUTORIZA_CHECK(out != nullptr);
  if (options.affiliates < 1 || options.affiliates > kAffiliatesMax) {
    return Status::invalid("affiliates must be 1.." + std::to_string(kAffiliatesMax), "--affiliates");
  }
  if (options.providers < 3 || options.providers > kProvidersMax) {
    return Status::invalid("providers must be 3.." + std::to_string(kProvidersMax), "--providers");
  }
  if (options.prescribers < 4 || options.prescribers > kPrescribersMax) {
    return Status::invalid("prescribers must be 4.." + std::to_string(kPrescribersMax), "--prescribers");
  }
  ReferenceLoad load = load_reference_dir(data_dir, Reference{});
  if (!load.ok()) {
    std::string why;
    for (const auto& f : load.files) {
      for (const auto& e : f.errors) why += "\n  " + e;
    }
    return Status::invalid("reference data in " + data_dir.string() + " is rejected:" + why, "--data");
  }
  *out = Padron{};
  out->options = options;
  out->data_dir = data_dir;
  for (auto& record : load.records) {
    if (const fb::PlanT* plan = record.AsPlan(); plan && !plan->token_required) out->plans.push_back(plan->plan);
    if (const fb::PracticeT* practice = record.AsPractice()) out->practices.push_back(*practice);
    out->base.push_back(std::move(record));
  }
  if (out->plans.empty()) return Status::invalid("no plan without tokens in " + data_dir.string(), "--data");
  if (out->practices.empty()) return Status::invalid("no practice in " + data_dir.string(), "--data");
  std::mt19937_64 rng(options.seed ^ kProviderSeedSalt);
  generate_providers(out, rng);
  AUTORIZA_CHECK(out->providers.size() == options.providers);
  return Status::ok();
}

AffiliateStream::AffiliateStream(const Padron& padron)
    : padron_(padron), rng_(padron.options.seed ^ kAffiliateSeedSalt) {}

fb::AffiliateT AffiliateStream::next() {
  AUTORIZA_CHECK(!done());
  const size_t index = next_++;
  std::uniform_int_distribution<int> pct(0, 999);
  fb::AffiliateT a;
  a.credential = Padron::credential(index);
  const bool titular = family_left_ == 0;
  if (titular) {
    family_left_ = std::uniform_int_distribution<size_t>(1, kFamilySizeMax)(rng_);
    titular_ = a.credential;
    last_name_ = pick(rng_, kLastNames);
    // Most affiliates are on the first token-free plan (the general one).
    const int plan_roll = pct(rng_);
    plan_ = plan_roll < 850 || padron_.plans.size() == 1
                ? padron_.plans.front()
                : padron_.plans[1 + size_t(plan_roll) % (padron_.plans.size() - 1)];
  }
  --family_left_;
  const int sex_roll = pct(rng_);
  a.sex = sex_roll < 495 ? "M" : sex_roll < 995 ? "F" : "X";
  a.first_name = a.sex == "M" ? pick(rng_, kMaleNames) : pick(rng_, kFemaleNames);
  a.last_name = last_name_;
  const int age_min_days = titular ? kTitularAgeYearsMin * kDaysPerYear : 0;
  const int age_days = std::uniform_int_distribution<int>(age_min_days, kAgeYearsMax * kDaysPerYear)(rng_);
  a.birth_day = padron_.options.today.value - age_days;
  // DNIs are unique: 10,000,000 + index (8 digits while index < 90M).
  a.cuil = make_cuil(a.sex, 10'000'000 + index);
  a.doc_number = a.cuil.substr(2, 8);
  a.plan = plan_;
  const int status_roll = pct(rng_);
  a.status = status_roll < 980   ? fb::AffiliateStatus::ACTIVE
             : status_roll < 990 ? fb::AffiliateStatus::SUSPENDED
                                 : fb::AffiliateStatus::TERMINATED;
  a.titular = titular_;
  a.email = "afiliado" + titular_ + "@example.org";
  return a;
}

Status load_padron(Engine& engine, const Padron& padron, size_t chunk_records, std::ostream& progress,
                   LoadReport* report) {
  AUTORIZA_CHECK(chunk_records >= 1 && report != nullptr);
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const size_t total = padron.base.size() + padron.fixed.size() + padron.options.affiliates;
  *report = LoadReport{};
  auto seconds_since = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
  auto load = [&](const std::vector<fb::ReferenceRecordUnion>& records) -> Status {
    ReferenceLoadStats stats;
    if (Status s = engine.load_reference(records, &stats); !s) return s;
    report->stats.added += stats.added;
    report->stats.updated += stats.updated;
    report->stats.unchanged += stats.unchanged;
    report->records += records.size();
    const double elapsed = seconds_since(start);
    char line[160];
    std::snprintf(line, sizeof line, "padron: %zu/%zu records loaded (%.0f%%), %.0f records/s, %.1f s\n",
                  report->records, total, 100.0 * double(report->records) / double(total),
                  double(report->records) / std::max(elapsed, 1e-9), elapsed);
    progress << line << std::flush;
    return Status::ok();
  };
  if (Status s = load(padron.base); !s) return s;
  if (Status s = load(padron.fixed); !s) return s;
  AffiliateStream stream(padron);
  std::vector<fb::ReferenceRecordUnion> chunk;
  chunk.reserve(chunk_records);
  while (!stream.done()) {
    chunk.clear();
    while (!stream.done() && chunk.size() < chunk_records) chunk.emplace_back().Set(stream.next());
    if (Status s = load(chunk); !s) return s;
  }
  report->seconds = seconds_since(start);
  AUTORIZA_CHECK(report->records == total);
  return Status::ok();
}

namespace {

// Copies a data-folder file and makes sure it ends with a newline, so rows
// can be appended.
Status copy_with_newline(const std::filesystem::path& from, const std::filesystem::path& to, std::ofstream* out) {
  std::ifstream in(from, std::ios::binary);
  if (!in) return Status::io_error("cannot read " + from.string());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!text.empty() && text.back() != '\n') text += '\n';
  out->open(to, std::ios::binary | std::ios::trunc);
  if (!*out) return Status::io_error("cannot write " + to.string());
  *out << text;
  return Status::ok();
}

}  // namespace

Status write_padron_csv(const Padron& padron, const std::filesystem::path& dir, std::ostream& progress) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::io_error("cannot create " + dir.string() + ": " + ec.message());
  for (const char* name : {"plans.csv", "practices.csv"}) {
    std::ofstream out;
    if (Status s = copy_with_newline(padron.data_dir / name, dir / name, &out); !s) return s;
  }
  std::ofstream providers, prescribers, affiliates;
  if (Status s = copy_with_newline(padron.data_dir / "providers.csv", dir / "providers.csv", &providers); !s) return s;
  if (Status s = copy_with_newline(padron.data_dir / "prescribers.csv", dir / "prescribers.csv", &prescribers); !s) {
    return s;
  }
  if (Status s = copy_with_newline(padron.data_dir / "affiliates.csv", dir / "affiliates.csv", &affiliates); !s) {
    return s;
  }
  for (const auto& record : padron.fixed) {
    if (const fb::ProviderT* p = record.AsProvider()) {
      providers << p->provider << ',' << p->name << ',' << fb::EnumNameProviderKind(p->kind) << ',' << p->center << ','
                << p->category_pct << ',' << p->license << '\n';
    } else if (const fb::PrescriberT* p = record.AsPrescriber()) {
      prescribers << fb::EnumNamePrescriberKind(p->kind) << ',' << p->license << ',' << p->name << '\n';
    }
  }
  AffiliateStream stream(padron);
  size_t written = 0;
  while (!stream.done()) {
    const fb::AffiliateT a = stream.next();
    affiliates << a.credential << ',' << a.cuil << ',' << a.doc_number << ',' << a.last_name << ',' << a.first_name
               << ',' << format_date(LocalDay{a.birth_day}) << ',' << a.sex << ',' << a.plan << ','
               << fb::EnumNameAffiliateStatus(a.status) << ',' << a.titular << ',' << a.email << '\n';
    if (++written % 1'000'000 == 0) progress << "padron: " << written << " affiliates written\n" << std::flush;
  }
  providers.close();
  prescribers.close();
  affiliates.close();
  if (!providers || !prescribers || !affiliates) return Status::io_error("writing the padron into " + dir.string());
  progress << "padron: wrote " << written << " affiliates, " << padron.providers.size() << " providers and "
           << padron.md_licenses.size() + padron.od_licenses.size() << " prescribers into " << dir.string() << "\n";
  return Status::ok();
}

}  // namespace autoriza::bench
