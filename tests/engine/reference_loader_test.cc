#include "engine/core/reference_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "engine/core/clock.h"

namespace autoriza {
namespace {

const std::filesystem::path kFixtures = AUTORIZA_TEST_FIXTURES;

std::map<std::string, std::string> fixture_texts() {
  std::map<std::string, std::string> texts;
  for (const std::string& name : reference_file_names()) {
    if (!std::filesystem::exists(kFixtures / name)) continue;  // an optional file the fixtures leave out
    std::ifstream in(kFixtures / name, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    texts[name] = out.str();
  }
  return texts;
}

// The fixture texts with `from` replaced by `to` (once) in file `name`.
std::map<std::string, std::string> fixtures_with(const std::string& name, const std::string& from,
                                                 const std::string& to) {
  auto texts = fixture_texts();
  std::string& text = texts.at(name);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from << " not in " << name;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return texts;
}

const FileReport& report_of(const ReferenceLoad& load, const std::string& file) {
  for (const FileReport& f : load.files) {
    if (f.file == file) return f;
  }
  ADD_FAILURE() << "no report for " << file;
  static const FileReport kNone;
  return kNone;
}

size_t count_of(const ReferenceLoad& load, fb::ReferenceRecord type) {
  size_t n = 0;
  for (const auto& r : load.records) n += r.type == type;
  return n;
}

// Asserts that file is the only rejected one and that one of its errors
// contains `expected` (which starts with "file:line: ").
void expect_rejected(const ReferenceLoad& load, const std::string& file, const std::string& expected) {
  EXPECT_FALSE(load.ok());
  const FileReport& report = report_of(load, file);
  EXPECT_TRUE(report.rejected);
  bool found = false;
  std::string all;
  for (const std::string& e : report.errors) {
    found = found || e.find(expected) != std::string::npos;
    all += "\n  " + e;
  }
  EXPECT_TRUE(found) << "no error containing \"" << expected << "\" in:" << all;
  for (const FileReport& f : load.files) {
    if (f.file != file && !(file == "plans.csv" && f.file == "affiliates.csv")) {
      EXPECT_FALSE(f.rejected) << f.file << ": " << (f.errors.empty() ? "" : f.errors[0]);
    }
  }
}

const fb::PracticeT* practice(const ReferenceLoad& load, const std::string& code) {
  for (const auto& r : load.records) {
    if (r.AsPractice() && r.AsPractice()->code == code) return r.AsPractice();
  }
  return nullptr;
}

const fb::AffiliateT* affiliate(const ReferenceLoad& load, const std::string& credential) {
  for (const auto& r : load.records) {
    if (r.AsAffiliate() && r.AsAffiliate()->credential == credential) return r.AsAffiliate();
  }
  return nullptr;
}

TEST(ReferenceLoader, FixtureDirLoadsWithRightCounts) {
  const ReferenceLoad load = load_reference_dir(kFixtures, Reference{});
  for (const FileReport& f : load.files) {
    EXPECT_FALSE(f.rejected) << f.file << ": " << (f.errors.empty() ? "" : f.errors[0]);
  }
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Plan), 3u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Affiliate), 10u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Provider), 4u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Prescriber), 3u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Practice), 17u);
  ASSERT_EQ(load.records.size(), 37u);
  ASSERT_EQ(load.files.size(), 5u);
  EXPECT_EQ(load.files[0].file, "plans.csv");
  EXPECT_EQ(load.files[0].rows, 3u);
  EXPECT_EQ(load.files[4].file, "affiliates.csv");
  EXPECT_EQ(load.files[4].rows, 10u);
}

TEST(ReferenceLoader, RecordsComeInFileOrder) {
  const ReferenceLoad load = load_reference_texts(fixture_texts(), Reference{});
  ASSERT_TRUE(load.ok());
  ASSERT_EQ(load.records.size(), 37u);
  EXPECT_EQ(load.records[0].AsPlan()->plan, "NORMAL");
  EXPECT_EQ(load.records[3].AsPractice()->code, "000118");  // leading zeros kept
  EXPECT_EQ(load.records[20].AsProvider()->provider, "LAB127");
  EXPECT_EQ(load.records[24].AsPrescriber()->license, "1234");
  EXPECT_EQ(load.records[27].AsAffiliate()->credential, "110000783851");
  EXPECT_EQ(load.records[36].AsAffiliate()->credential, "438908");
}

TEST(ReferenceLoader, FixtureValues) {
  const ReferenceLoad load = load_reference_dir(kFixtures, Reference{});
  ASSERT_TRUE(load.ok());
  Reference ref;
  for (const auto& r : load.records) ref.upsert(r);

  const fb::PracticeT* p = practice(load, "20800");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, fb::PracticeKind::DENTAL);
  EXPECT_EQ(p->professional_fee_cents, 1605184);
  EXPECT_EQ(p->expenses_fee_cents, 0);
  EXPECT_EQ(p->max_qty, 1);
  EXPECT_TRUE(p->requires_tooth);
  EXPECT_TRUE(p->requires_faces);
  EXPECT_FALSE(p->requires_audit);
  ASSERT_TRUE(p->frequency_days.has_value());
  EXPECT_EQ(*p->frequency_days, 365);
  EXPECT_FALSE(p->min_age.has_value());
  EXPECT_FALSE(p->max_age.has_value());
  EXPECT_EQ(p->sex, "");

  const fb::PracticeT* pap = practice(load, "000870");
  ASSERT_NE(pap, nullptr);
  EXPECT_EQ(*pap->min_age, 15);
  EXPECT_EQ(pap->sex, "F");
  const fb::PracticeT* neonatal = practice(load, "000858");
  ASSERT_NE(neonatal, nullptr);
  EXPECT_FALSE(neonatal->min_age.has_value());
  ASSERT_TRUE(neonatal->max_age.has_value());
  EXPECT_EQ(*neonatal->max_age, 0);
  EXPECT_EQ(practice(load, "000015")->expenses_fee_cents, 4035);
  EXPECT_EQ(practice(load, "000015")->max_qty, 2);

  const fb::AffiliateT* a = affiliate(load, "438908");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->titular, "354495");
  EXPECT_EQ(a->cuil, "20083334445");
  EXPECT_EQ(a->doc_number, "8333444");
  EXPECT_EQ(a->last_name, "PADRE DE AFILIADO DE PRUEBA");
  EXPECT_EQ(a->birth_day, parse_date("1940-12-24")->value);
  EXPECT_EQ(a->sex, "M");
  EXPECT_EQ(a->plan, "NORMAL");
  EXPECT_EQ(a->status, fb::AffiliateStatus::ACTIVE);
  EXPECT_EQ(a->email, "carlos.sistemas@example.org");
  EXPECT_EQ(affiliate(load, "220000100002")->status, fb::AffiliateStatus::SUSPENDED);
  EXPECT_EQ(affiliate(load, "220000100003")->status, fb::AffiliateStatus::TERMINATED);

  ASSERT_NE(ref.plan("PMO"), nullptr);
  EXPECT_TRUE(ref.plan("PMO")->token_required);
  EXPECT_EQ(ref.plan("JOVEN")->dental_coverage_pct, 0);
  EXPECT_EQ(ref.plan("NORMAL")->biochem_coverage_pct, 80);
  ASSERT_NE(ref.provider("DEN333"), nullptr);
  EXPECT_EQ(ref.provider("DEN333")->kind, fb::ProviderKind::DENTIST);
  EXPECT_EQ(ref.provider("DEN333")->category_pct, 15);
  EXPECT_EQ(ref.provider("DEN333")->center, "COLEGIO DE ODONTOLOGOS");
  ASSERT_NE(ref.prescriber(fb::PrescriberKind::OD, "3333"), nullptr);
  EXPECT_EQ(ref.prescriber(fb::PrescriberKind::OD, "3333")->name, "ODONTOLOGO DE PRUEBA COCH");
}

TEST(ReferenceLoader, BadCuilCheckDigit) {
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", "20245152605", "20245152606"), {});
  expect_rejected(load, "affiliates.csv", "affiliates.csv:2: cuil 20245152606: check digit should be 5");
}

TEST(ReferenceLoader, CuilNotElevenDigits) {
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", "27261112227", "2726111222"), {});
  expect_rejected(load, "affiliates.csv", "affiliates.csv:3: cuil 2726111222: must be 11 digits");
}

TEST(ReferenceLoader, DocNumberMismatch) {
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", ",24515260,", ",24515261,"), {});
  expect_rejected(load, "affiliates.csv", "affiliates.csv:2: doc_number 24515261: does not match cuil");
}

TEST(ReferenceLoader, DocNumberWithLeadingZeroMatches) {
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", ",8333444,", ",08333444,"), {});
  EXPECT_TRUE(load.ok());
  EXPECT_EQ(affiliate(load, "438908")->doc_number, "08333444");
}

// affiliates.csv may carry a notes column (what the counter should know);
// files without it still load, and a note is shown on eligibility.
TEST(ReferenceLoader, OptionalNotesColumn) {
  auto texts = fixture_texts();
  std::string& csv = texts.at("affiliates.csv");
  std::string with_notes;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const bool header = with_notes.empty();
    with_notes += line + (header ? ",notes" : line.starts_with("110000783851,") ? ",DIABÉTICO" : ",") + "\n";
  }
  csv = with_notes;
  const auto load = load_reference_texts(texts, {});
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(affiliate(load, "110000783851")->notes, "DIABÉTICO");
  EXPECT_EQ(affiliate(load, "110000783852")->notes, "");
  EXPECT_EQ(load_reference_texts(fixture_texts(), {}).ok(), true);  // without the column
  expect_rejected(load_reference_texts(fixtures_with("affiliates.csv", ",email\n", ",email,notes,notes\n"), {}),
                  "affiliates.csv", "column notes appears twice");
}

// diagnoses.csv (the CIE-10 catalog) is optional: loaded when present, its
// codes CIE-10-shaped and unique.
TEST(ReferenceLoader, OptionalDiagnosesCatalog) {
  auto texts = fixture_texts();
  EXPECT_TRUE(load_reference_texts(texts, {}).ok());
  texts["diagnoses.csv"] = "code,description\nJ98.9,\"Enfermedad respiratoria, no especificada\"\nK02.9,Caries dental\n";
  const auto load = load_reference_texts(texts, {});
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Diagnosis), 2u);
  texts["diagnoses.csv"] = "code,description\nrespiratoria,Enfermedad\nK02.9,Caries\nK02.9,Otra\n";
  const auto bad = load_reference_texts(texts, {});
  expect_rejected(bad, "diagnoses.csv", "diagnoses.csv:2: code respiratoria: must be a CIE-10 code");
  expect_rejected(bad, "diagnoses.csv", "diagnoses.csv:4:");
}

TEST(ReferenceLoader, UnknownPlan) {
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", ",JOVEN,", ",GOLD,"), {});
  expect_rejected(load, "affiliates.csv", "affiliates.csv:9: plan GOLD: unknown plan");
}

TEST(ReferenceLoader, PlanMayComeFromExistingReference) {
  Reference existing;
  fb::PlanT gold;
  gold.plan = "GOLD";
  fb::ReferenceRecordUnion record;
  record.Set(std::move(gold));
  existing.upsert(record);
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", ",JOVEN,", ",GOLD,"), existing);
  EXPECT_TRUE(load.ok());
  EXPECT_EQ(affiliate(load, "220000100004")->plan, "GOLD");
}

TEST(ReferenceLoader, UnknownTitular) {
  auto texts = fixture_texts();
  std::string& text = texts.at("affiliates.csv");
  const size_t at = text.rfind(",354495,");  // the titular of 438908, on the last line
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 8, ",999999,");
  expect_rejected(load_reference_texts(texts, {}), "affiliates.csv",
                  "affiliates.csv:11: titular 999999: not a credential of this file");
}

TEST(ReferenceLoader, ImpossibleBirthDate) {
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", "2026-10-30", "2026-02-30"), {});
  expect_rejected(load, "affiliates.csv", "affiliates.csv:5: birth_date 2026-02-30: must be a date YYYY-MM-DD");
}

TEST(ReferenceLoader, BadSex) {
  const auto load = load_reference_texts(fixtures_with("affiliates.csv", ",2012-05-20,M,", ",2012-05-20,H,"), {});
  expect_rejected(load, "affiliates.csv", "affiliates.csv:4: sex H: must be M|F|X");
}

TEST(ReferenceLoader, BadStatusAndEmail) {
  const auto load = load_reference_texts(
      fixtures_with("affiliates.csv", "ACTIVE,220000100004,lucia.gomez@example.org",
                    "ACTIVO,220000100004,lucia.gomez@@example.org"),
      {});
  expect_rejected(load, "affiliates.csv", "affiliates.csv:9: status ACTIVO: must be ACTIVE|SUSPENDED|TERMINATED");
  expect_rejected(load, "affiliates.csv", "affiliates.csv:9: email lucia.gomez@@example.org: must be name@domain");
}

TEST(ReferenceLoader, BadMoney) {
  const auto load = load_reference_texts(fixtures_with("practices.csv", "16051.84", "12.345"), {});
  expect_rejected(load, "practices.csv", "practices.csv:14: professional_fee 12.345: must be an amount");
}

TEST(ReferenceLoader, BlankMaxQty) {
  const auto load = load_reference_texts(fixtures_with("practices.csv", "9800.00,0.00,1,no", "9800.00,0.00,,no"), {});
  expect_rejected(load, "practices.csv", "practices.csv:12: max_qty \"\": must be an integer 1..1000");
}

TEST(ReferenceLoader, MinAgeAboveMaxAge) {
  const auto load = load_reference_texts(fixtures_with("practices.csv", "no,no,15,,F", "no,no,15,12,F"), {});
  expect_rejected(load, "practices.csv", "practices.csv:11: max_age 12: must not be below min_age");
}

TEST(ReferenceLoader, BadBoolean) {
  const auto load = load_reference_texts(fixtures_with("plans.csv", "NORMAL,no,", "NORMAL,NO,"), {});
  expect_rejected(load, "plans.csv", "plans.csv:2: token_required NO: must be yes|no");
}

TEST(ReferenceLoader, CoverageOutOfRange) {
  const auto load = load_reference_texts(fixtures_with("plans.csv", "PMO,yes,100,", "PMO,yes,101,"), {});
  expect_rejected(load, "plans.csv", "plans.csv:3: biochem_coverage_pct 101: must be an integer 0..100");
}

TEST(ReferenceLoader, DuplicateKeys) {
  expect_rejected(load_reference_texts(fixtures_with("providers.csv", "DEN333", "LAB200"), {}), "providers.csv",
                  "providers.csv:4: provider LAB200: duplicate of line 3");
  expect_rejected(load_reference_texts(fixtures_with("practices.csv", "000003,", "000118,"), {}), "practices.csv",
                  "practices.csv:3: code 000118: duplicate of line 2");
  expect_rejected(load_reference_texts(fixtures_with("prescribers.csv", "MD,5678", "MD,1234"), {}),
                  "prescribers.csv", "prescribers.csv:3: license 1234: duplicate of line 2");
  expect_rejected(load_reference_texts(fixtures_with("affiliates.csv", "110000783852,", "110000783851,"), {}),
                  "affiliates.csv", "affiliates.csv:3: credential 110000783851: duplicate of line 2");
}

TEST(ReferenceLoader, SameLicenseOfOtherKindIsNotDuplicate) {
  const auto load = load_reference_texts(fixtures_with("prescribers.csv", "OD,3333", "OD,1234"), {});
  EXPECT_TRUE(load.ok());
}

TEST(ReferenceLoader, WrongHeader) {
  expect_rejected(load_reference_texts(fixtures_with("prescribers.csv", "kind,license,name", "kind,licence,name"), {}),
                  "prescribers.csv", "prescribers.csv:1: unexpected column licence");
  expect_rejected(load_reference_texts(fixtures_with("prescribers.csv", "kind,license,name", "kind,licence,name"), {}),
                  "prescribers.csv", "prescribers.csv:1: missing column license");
  expect_rejected(load_reference_texts(fixtures_with("providers.csv", ",license\n", ",license,extra\n"), {}),
                  "providers.csv", "providers.csv:1: unexpected column extra");
  expect_rejected(load_reference_texts(fixtures_with("plans.csv", "plan,token_required,", "plan,plan,token_required,"),
                                       {}),
                  "plans.csv", "plans.csv:1: column plan appears twice");
}

TEST(ReferenceLoader, ColumnsInAnyOrder) {
  auto texts = fixture_texts();
  texts["prescribers.csv"] = "name,kind,license\nQUIPILDOR ARNALDO RENE,MD,1234\n";
  const auto load = load_reference_texts(texts, {});
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Prescriber), 1u);
  for (const auto& r : load.records) {
    if (r.AsPrescriber()) {
      EXPECT_EQ(r.AsPrescriber()->name, "QUIPILDOR ARNALDO RENE");
    }
  }
}

TEST(ReferenceLoader, RowWithWrongFieldCount) {
  const auto load = load_reference_texts(fixtures_with("prescribers.csv", "MD,5678,", "MD,5678,X,"), {});
  expect_rejected(load, "prescribers.csv", "prescribers.csv:3: 4 fields, the header has 3");
}

TEST(ReferenceLoader, CsvSyntaxErrorNamesFileAndLine) {
  const auto load = load_reference_texts(fixtures_with("providers.csv", "MED410,CLINICA", "MED410,\"CLINICA"), {});
  expect_rejected(load, "providers.csv", "providers.csv:5: unterminated quoted field");
}

TEST(ReferenceLoader, QuotedFieldsWithCommas) {
  auto texts = fixture_texts();
  texts["providers.csv"] =
      "provider,name,kind,center,category_pct,license\n"
      "LAB127,\"PINTADO, ALBERTO \"\"EL TANO\"\"\",LAB,\"LABORATORIO PARTICULAR\",0,20138890369\n"
      "LAB200,\"CENTRAL,\nJUJUY\",LAB,,10,\n"
      "  DEN333 , ODONTOLOGO ,DENTIST,C,15,3333\n";
  const auto load = load_reference_texts(texts, {});
  ASSERT_TRUE(load.ok()) << report_of(load, "providers.csv").errors.at(0);
  Reference ref;
  for (const auto& r : load.records) ref.upsert(r);
  ASSERT_NE(ref.provider("LAB127"), nullptr);
  EXPECT_EQ(ref.provider("LAB127")->name, "PINTADO, ALBERTO \"EL TANO\"");
  EXPECT_EQ(ref.provider("LAB127")->center, "LABORATORIO PARTICULAR");
  EXPECT_EQ(ref.provider("LAB200")->name, "CENTRAL,\nJUJUY");
  EXPECT_EQ(ref.provider("LAB200")->center, "");
  EXPECT_EQ(ref.provider("LAB200")->license, "");
  ASSERT_NE(ref.provider("DEN333"), nullptr);  // whitespace stripped
  EXPECT_EQ(ref.provider("DEN333")->name, "ODONTOLOGO");

  // Line numbers after an embedded newline still point at the right row.
  texts["providers.csv"] += "BAD1,X,NURSE,,0,\n";
  expect_rejected(load_reference_texts(texts, {}), "providers.csv",
                  "providers.csv:6: kind NURSE: must be LAB|DENTIST|PHYSICIAN");
}

TEST(ReferenceLoader, CrlfAndBom) {
  auto texts = fixture_texts();
  for (auto& [name, text] : texts) {
    std::string crlf = "\xEF\xBB\xBF";
    for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    text = crlf;
  }
  const auto load = load_reference_texts(texts, {});
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load.records.size(), 37u);
  EXPECT_EQ(load.records[0].AsPlan()->plan, "NORMAL");
  EXPECT_EQ(load.records[2].AsPlan()->medical_coverage_pct, 100);
  EXPECT_EQ(affiliate(load, "438908")->email, "carlos.sistemas@example.org");

  std::string& plans = texts["plans.csv"];
  plans.replace(plans.find("JOVEN,no"), 8, "JOVEN,si");
  expect_rejected(load_reference_texts(texts, {}), "plans.csv", "plans.csv:4: token_required si: must be yes|no");
}

TEST(ReferenceLoader, RejectedPlansRejectAffiliates) {
  const auto load = load_reference_texts(fixtures_with("plans.csv", "NORMAL,no,80", "NORMAL,no,800"), {});
  EXPECT_FALSE(load.ok());
  expect_rejected(load, "plans.csv", "plans.csv:2: biochem_coverage_pct 800");
  const FileReport& affiliates = report_of(load, "affiliates.csv");
  EXPECT_TRUE(affiliates.rejected);
  ASSERT_FALSE(affiliates.errors.empty());
  EXPECT_EQ(affiliates.errors[0], "affiliates.csv: depends on rejected plans.csv");
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Plan), 0u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Affiliate), 0u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Practice), 17u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Provider), 4u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Prescriber), 3u);
}

TEST(ReferenceLoader, OneBadRowRejectsTheWholeFile) {
  const auto load = load_reference_texts(fixtures_with("practices.csv", "420101,MEDICAL", "420101,SURGICAL"), {});
  expect_rejected(load, "practices.csv", "practices.csv:18: kind SURGICAL: must be BIOCHEM|DENTAL|MEDICAL");
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Practice), 0u);
  EXPECT_EQ(report_of(load, "practices.csv").rows, 17u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Plan), 3u);
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Affiliate), 10u);
}

TEST(ReferenceLoader, EveryBadFieldOfARowIsReported) {
  const auto load = load_reference_texts(fixtures_with("plans.csv", "JOVEN,no,60,0,100", ",maybe,-1,x,"), {});
  const FileReport& plans = report_of(load, "plans.csv");
  ASSERT_EQ(plans.errors.size(), 5u);
  EXPECT_EQ(plans.errors[0], "plans.csv:4: plan \"\": must not be empty");
  EXPECT_EQ(plans.errors[1], "plans.csv:4: token_required maybe: must be yes|no");
  EXPECT_EQ(plans.errors[4], "plans.csv:4: medical_coverage_pct \"\": must be an integer 0..100");
}

TEST(ReferenceLoader, ErrorsCappedAtFifty) {
  auto texts = fixture_texts();
  std::string plans = "plan,token_required,biochem_coverage_pct,dental_coverage_pct,medical_coverage_pct\n";
  for (int i = 0; i < 60; ++i) plans += "P" + std::to_string(i) + ",no,80,70,100x\n";
  texts["plans.csv"] = plans;
  const auto load = load_reference_texts(texts, {});
  const FileReport& report = report_of(load, "plans.csv");
  ASSERT_EQ(report.errors.size(), kLoadErrorsPerFileMax + 1);
  EXPECT_EQ(report.errors.back(), "... and 10 more");
  EXPECT_EQ(report.errors[0], "plans.csv:2: medical_coverage_pct 100x: must be an integer 0..100");
}

TEST(ReferenceLoader, MissingFileIsAnError) {
  auto texts = fixture_texts();
  texts.erase("prescribers.csv");
  const auto load = load_reference_texts(texts, {});
  expect_rejected(load, "prescribers.csv", "prescribers.csv: missing file");
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Prescriber), 0u);

  const auto dir_load = load_reference_dir(kFixtures / "no-such-dir", Reference{});
  EXPECT_FALSE(dir_load.ok());
  ASSERT_EQ(dir_load.files.size(), 5u);
  EXPECT_EQ(dir_load.files[0].errors.at(0), "plans.csv: missing file");
  EXPECT_EQ(dir_load.files[4].errors.at(0), "affiliates.csv: depends on rejected plans.csv");
  EXPECT_TRUE(dir_load.records.empty());
}

TEST(ReferenceLoader, EmptyFileHasNoHeader) {
  auto texts = fixture_texts();
  texts["prescribers.csv"] = "";
  expect_rejected(load_reference_texts(texts, {}), "prescribers.csv", "prescribers.csv:1: missing header row");
}

TEST(ReferenceLoader, HeaderOnlyFileLoadsNothing) {
  auto texts = fixture_texts();
  texts["prescribers.csv"] = "kind,license,name\n";
  const auto load = load_reference_texts(texts, {});
  EXPECT_TRUE(load.ok());
  EXPECT_EQ(count_of(load, fb::ReferenceRecord::Prescriber), 0u);
}

}  // namespace
}  // namespace autoriza
