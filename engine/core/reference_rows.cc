// One parse function per reference file (docs/rules.md §3): each row
// becomes a record, or errors naming its line, column, value and reason.
#include "engine/core/reference_rows.h"

#include <cassert>

#include "engine/core/clock.h"
#include "engine/core/cuil.h"
#include "engine/core/rules.h"  // diagnosis_well_formed

namespace autoriza::reference_rows {

namespace {

constexpr size_t kCredentialDigitsMax = 20;
constexpr size_t kPracticeCodeMax = 20;
constexpr size_t kNotesMax = 200;  // bytes of an affiliate's notes
constexpr int kCoveragePctMax = 100;
constexpr int kCategoryPctMax = 1000;
constexpr int kMaxQtyMax = 1000;
constexpr int kAgeMax = 150;
constexpr int kFrequencyDaysMax = 36500;
const std::vector<std::string_view> kSexes = {"M", "F", "X"};

template <typename T>
void append(T&& record, std::vector<fb::ReferenceRecordUnion>* out) {
  out->emplace_back();
  out->back().Set(std::forward<T>(record));
}

// "0012" and "12" are the same number: documents are written with and
// without leading zeros (a sample fixture: doc 8333444 for CUIL 20083334445).
std::string_view without_leading_zeros(std::string_view digits) {
  const size_t first = digits.find_first_not_of('0');
  return first == std::string_view::npos ? std::string_view() : digits.substr(first);
}

void check_cuil(RowReader& r, const std::string& cuil) {
  if (cuil.size() != kCuilDigits || cuil.find_first_not_of("0123456789") != std::string::npos) {
    r.fail("cuil", "must be 11 digits");
  } else if (!cuil_is_valid(cuil)) {
    r.fail("cuil", "check digit should be " + std::to_string(cuil_check_digit(cuil.substr(0, 10))));
  }
}

// doc_number equals CUIL digits 3-10 (both as numbers); checked only when the
// CUIL has the right shape, otherwise its own error says enough.
void check_doc_number(RowReader& r, const std::string& cuil) {
  const std::string doc = r.digits("doc_number", kCuilDigits);
  if (doc.empty() || cuil.size() != kCuilDigits || cuil.find_first_not_of("0123456789") != std::string::npos) {
    return;
  }
  const std::string_view expected = std::string_view(cuil).substr(2, 8);
  if (without_leading_zeros(doc) != without_leading_zeros(expected)) {
    r.fail("doc_number", "does not match cuil " + cuil + " (digits 3-10 are " + std::string(expected) + ")");
  }
}

// One '@' with text on both sides.
std::string read_email(RowReader& r) {
  const std::string email = r.text("email");
  const size_t at = email.find('@');
  const bool one_at = at != std::string::npos && email.find('@', at + 1) == std::string::npos;
  if (!email.empty() && (!one_at || at == 0 || at + 1 == email.size())) r.fail("email", "must be name@domain");
  return email;
}

fb::AffiliateT read_affiliate(RowReader& r, const PlanCatalog& plans) {
  fb::AffiliateT a;
  a.credential = r.digits("credential", kCredentialDigitsMax);
  a.cuil = std::string(r.get("cuil"));
  check_cuil(r, a.cuil);
  check_doc_number(r, a.cuil);
  a.doc_number = std::string(r.get("doc_number"));
  a.last_name = r.text("last_name");
  a.first_name = r.text("first_name");
  if (const auto birth = parse_date(r.get("birth_date"))) {
    a.birth_day = birth->value;
  } else {
    r.fail("birth_date", "must be a date YYYY-MM-DD");
  }
  a.sex = r.one_of("sex", kSexes, /*blank_ok=*/false);
  a.plan = r.text("plan");
  if (!a.plan.empty() && !plans.contains(a.plan)) r.fail("plan", "unknown plan");
  a.status = r.enumerated("status", fb::EnumValuesAffiliateStatus(), fb::EnumNameAffiliateStatus);
  a.titular = r.text("titular");
  a.email = read_email(r);
  a.notes = r.optional_text("notes", kNotesMax);
  return a;
}

fb::PracticeT read_practice(RowReader& r) {
  fb::PracticeT p;
  p.code = r.code("code", kPracticeCodeMax);
  p.kind = r.enumerated("kind", fb::EnumValuesPracticeKind(), fb::EnumNamePracticeKind);
  p.description = r.text("description");
  p.professional_fee_cents = r.cents("professional_fee");
  p.expenses_fee_cents = r.cents("expenses_fee");
  p.max_qty = r.integer("max_qty", 1, kMaxQtyMax);
  p.requires_tooth = r.yes_no("requires_tooth");
  p.requires_faces = r.yes_no("requires_faces");
  p.min_age = r.optional_integer("min_age", 0, kAgeMax);
  p.max_age = r.optional_integer("max_age", 0, kAgeMax);
  if (p.min_age && p.max_age && *p.min_age > *p.max_age) r.fail("max_age", "must not be below min_age");
  p.sex = r.one_of("sex", kSexes, /*blank_ok=*/true);
  p.requires_audit = r.yes_no("requires_audit");
  p.frequency_days = r.optional_integer("frequency_days", 1, kFrequencyDaysMax);
  p.professional_only = r.optional_yes_no("professional_only");
  p.expenses_only = r.optional_yes_no("expenses_only");
  return p;
}

}  // namespace

const std::vector<std::string_view>& plan_columns() {
  static const std::vector<std::string_view> k = {"plan", "token_required", "biochem_coverage_pct",
                                                   "dental_coverage_pct", "medical_coverage_pct"};
  return k;
}

const std::vector<std::string_view>& practice_columns() {
  static const std::vector<std::string_view> k = {
      "code",           "kind",           "description", "professional_fee", "expenses_fee",
      "max_qty",        "requires_tooth", "requires_faces", "min_age",        "max_age",
      "sex",            "requires_audit", "frequency_days", "professional_only?", "expenses_only?"};
  return k;
}

const std::vector<std::string_view>& provider_columns() {
  static const std::vector<std::string_view> k = {"provider", "name", "kind", "center", "category_pct", "license"};
  return k;
}

const std::vector<std::string_view>& prescriber_columns() {
  static const std::vector<std::string_view> k = {"kind", "license", "name"};
  return k;
}

const std::vector<std::string_view>& affiliate_columns() {
  static const std::vector<std::string_view> k = {"credential", "cuil",   "doc_number", "last_name",
                                                   "first_name", "birth_date", "sex",    "plan",
                                                   "status",     "titular", "email",     "notes?"};
  return k;
}

const std::vector<std::string_view>& diagnosis_columns() {
  static const std::vector<std::string_view> k = {"code", "description"};
  return k;
}

void parse_plans(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out) {
  UniqueKeys keys;
  for (const CsvRow& row : table.rows) {
    if (!row_has_header_width(table, row, errors)) continue;
    RowReader r(table, row, errors);
    fb::PlanT p;
    p.plan = r.text("plan");
    keys.insert(r, "plan", p.plan);
    p.token_required = r.yes_no("token_required");
    p.biochem_coverage_pct = r.integer("biochem_coverage_pct", 0, kCoveragePctMax);
    p.dental_coverage_pct = r.integer("dental_coverage_pct", 0, kCoveragePctMax);
    p.medical_coverage_pct = r.integer("medical_coverage_pct", 0, kCoveragePctMax);
    if (r.ok()) append(std::move(p), out);
  }
}

void parse_practices(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out) {
  UniqueKeys keys;
  for (const CsvRow& row : table.rows) {
    if (!row_has_header_width(table, row, errors)) continue;
    RowReader r(table, row, errors);
    fb::PracticeT p = read_practice(r);
    keys.insert(r, "code", p.code);
    if (r.ok()) append(std::move(p), out);
  }
}

void parse_providers(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out) {
  UniqueKeys keys;
  for (const CsvRow& row : table.rows) {
    if (!row_has_header_width(table, row, errors)) continue;
    RowReader r(table, row, errors);
    fb::ProviderT p;
    p.provider = r.text("provider");
    keys.insert(r, "provider", p.provider);
    p.name = r.text("name");
    p.kind = r.enumerated("kind", fb::EnumValuesProviderKind(), fb::EnumNameProviderKind);
    p.center = std::string(r.get("center"));
    p.category_pct = r.integer("category_pct", 0, kCategoryPctMax);
    p.license = std::string(r.get("license"));
    if (r.ok()) append(std::move(p), out);
  }
}

void parse_prescribers(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out) {
  UniqueKeys keys;
  for (const CsvRow& row : table.rows) {
    if (!row_has_header_width(table, row, errors)) continue;
    RowReader r(table, row, errors);
    fb::PrescriberT p;
    p.kind = r.enumerated("kind", fb::EnumValuesPrescriberKind(), fb::EnumNamePrescriberKind);
    p.license = r.text("license");
    p.name = r.text("name");
    if (r.ok()) keys.insert(r, "license", Reference::prescriber_key(p.kind, p.license));
    if (r.ok()) append(std::move(p), out);
  }
}

void parse_diagnoses(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out) {
  UniqueKeys keys;
  for (const CsvRow& row : table.rows) {
    if (!row_has_header_width(table, row, errors)) continue;
    RowReader r(table, row, errors);
    fb::DiagnosisT d;
    d.code = r.text("code");
    if (!d.code.empty() && !diagnosis_well_formed(d.code)) r.fail("code", "must be a CIE-10 code such as J98.9");
    d.description = r.text("description");
    if (r.ok()) keys.insert(r, "code", d.code);
    if (r.ok()) append(std::move(d), out);
  }
}

void parse_affiliates(const Table& table, const PlanCatalog& plans, ErrorList* errors,
                      std::vector<fb::ReferenceRecordUnion>* out) {
  // A titular may appear after the members of its group: collect first.
  std::set<std::string, std::less<>> credentials;
  for (const CsvRow& row : table.rows) {
    if (row.fields.size() != table.columns.size()) continue;  // reported below
    credentials.emplace(RowReader(table, row, errors).get("credential"));
  }
  UniqueKeys keys;
  for (const CsvRow& row : table.rows) {
    if (!row_has_header_width(table, row, errors)) continue;
    RowReader r(table, row, errors);
    fb::AffiliateT a = read_affiliate(r, plans);
    keys.insert(r, "credential", a.credential);
    if (!a.titular.empty() && !credentials.count(a.titular)) r.fail("titular", "not a credential of this file");
    if (r.ok()) append(std::move(a), out);
  }
}

}  // namespace autoriza::reference_rows
