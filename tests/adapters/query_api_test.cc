// Practice search and closing billing periods (issue 4).
#include <gtest/gtest.h>

#include "tests/support/harness.h"
#include "adapters/service/query_api.h"
#include "engine/core/reasons.h"

namespace autoriza::testing {
namespace {

std::vector<std::string> codes_of(const Json& page) {
  std::vector<std::string> out;
  for (const auto& i : page["items"]) out.push_back(i["code"]);
  return out;
}

// ?provider= keeps what that provider may perform: a laboratory sees
// biochemistry, a dentist dental practices (the portal's nomenclator).
TEST(PracticeSearch, OnlyWhatTheProviderMayPerform) {
  Harness h;
  const char* at = "2026-11-02T10:00:00-03:00";
  const Json lab = h.request("GET", "/v1/practices?provider=LAB127&limit=100", nullptr, at);
  ASSERT_FALSE(lab["items"].empty());
  for (const Json& p : lab["items"]) EXPECT_EQ(p["kind"], "BIOCHEM") << p;
  const Json dentist = h.request("GET", "/v1/practices?provider=DEN333&limit=100", nullptr, at);
  ASSERT_FALSE(dentist["items"].empty());
  for (const Json& p : dentist["items"]) EXPECT_EQ(p["kind"], "DENTAL") << p;
  EXPECT_TRUE(dentist["items"][0].contains("requires_faces"));
  h.request("GET", "/v1/practices?provider=NOBODY", nullptr, at);
  EXPECT_EQ(h.last_status(), 404);
}

TEST(Prescribers, ByKindAndLicence) {
  Harness h;
  const char* at = "2026-11-02T10:00:00-03:00";
  const Json p = h.request("GET", "/v1/prescribers/MD/1234", nullptr, at);
  EXPECT_EQ(p["name"], "QUIPILDOR ARNALDO RENE");
  h.request("GET", "/v1/prescribers/MD/0000", nullptr, at);
  EXPECT_EQ(h.last_status(), 404);
  h.request("GET", "/v1/prescribers/XX/1234", nullptr, at);
  EXPECT_EQ(h.last_status(), 400);
}

TEST(PracticeSearch, ByWordsOrCodeAccentAndCaseInsensitive) {
  Harness h;
  const char* at = "2026-11-02T10:00:00-03:00";
  EXPECT_EQ(codes_of(h.request("GET", "/v1/practices?q=tsh", nullptr, at)), (std::vector<std::string>{"000858", "000860", "000865"}));
  EXPECT_EQ(codes_of(h.request("GET", "/v1/practices?q=%C3%81CIDO%20%C3%BArico", nullptr, at)), std::vector<std::string>{"000012"});  // ÁCIDO úrico
  EXPECT_EQ(codes_of(h.request("GET", "/v1/practices?q=obturacion+compuesta", nullptr, at)), std::vector<std::string>{"20900"});
  EXPECT_EQ(codes_of(h.request("GET", "/v1/practices?q=4201", nullptr, at)), std::vector<std::string>{"420101"});
  Json row = h.request("GET", "/v1/practices?q=papanicolaou", nullptr, at)["items"][0];
  EXPECT_EQ(row["kind"], "BIOCHEM");
  EXPECT_EQ(row["description"], "PAPANICOLAOU CITOLOGIA EXFOLIATIVA");
  EXPECT_TRUE(h.request("GET", "/v1/practices?q=zzzz", nullptr, at)["items"].empty());
  // Paging: all 17, three at a time.
  std::vector<std::string> all;
  std::string after;
  for (int page = 0; page < 10; ++page) {
    Json p = h.request("GET", "/v1/practices?limit=3" + (after.empty() ? "" : "&after=" + after), nullptr, at);
    for (auto& c : codes_of(p)) all.push_back(c);
    if (p["next"].is_null()) break;
    after = p["next"];
  }
  EXPECT_EQ(all.size(), 17u);
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
}

TEST(PracticeSearch, FoldsAccents) {
  EXPECT_EQ(fold_for_search("Ácido ÚRICO, Ñandú"), "acido urico  nandu");
}

TEST(BillingPeriods, ClosingRefusesAnnulmentsThatTouchTheMonth) {
  Harness h;
  Json a = h.run("authorize", {{"request_id", "a1"}, {"provider", "DEN333"}, {"credential", "354495"}, {"diagnosis", "K029"},
                               {"items", {{{"code", "10101"}}, {{"code", "50100"}}}}}, "2026-10-20T10:00:00-03:00");
  Json c = h.run("consume", {{"request_id", "c1"}, {"provider", "DEN333"}, {"credential", "354495"}, {"order", a["order"]}, {"items", {0}}},
                 "2026-10-21T10:00:00-03:00");
  ASSERT_EQ(c["status"], "ACCEPTED");
  // A month not yet over cannot be closed; an unknown provider is 404.
  h.request("POST", "/v1/providers/DEN333/billing/2026-11/close", nullptr, "2026-11-05T10:00:00-03:00");
  EXPECT_EQ(h.last_status(), 400);
  h.request("POST", "/v1/providers/NOPE/billing/2026-10/close", nullptr, "2026-11-05T10:00:00-03:00");
  EXPECT_EQ(h.last_status(), 404);
  Json closed = h.request("POST", "/v1/providers/DEN333/billing/2026-10/close", nullptr, "2026-11-05T10:00:00-03:00");
  EXPECT_EQ(closed["closed"], true);
  EXPECT_EQ(closed["already"], false);
  EXPECT_EQ(h.request("POST", "/v1/providers/DEN333/billing/2026-10/close", nullptr, "2026-11-05T10:01:00-03:00")["already"], true);
  auto annul = [&](const std::string& id, const Json& tx) {
    return h.run("annul", {{"request_id", id}, {"provider", "DEN333"}, {"transaction", tx}, {"reason", "r"}}, "2026-11-06T10:00:00-03:00");
  };
  EXPECT_EQ(codes(annul("n1", c["transaction"])["reasons"]), std::vector<std::string>{"PERIOD_CLOSED"});
  EXPECT_EQ(codes(annul("n2", a["order"])["reasons"]), std::vector<std::string>{"PERIOD_CLOSED"});
  // Another provider's October is still open; a consumption performed in November is not touched.
  Json c2 = h.run("consume", {{"request_id", "c2"}, {"provider", "DEN333"}, {"credential", "354495"}, {"order", a["order"]}, {"items", {1}}},
                  "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(annul("n3", c2["transaction"])["status"], "ANNULLED");
  // Survives a restart (the closed period is reference data in the store).
  h.open(1);
  EXPECT_EQ(codes(annul("n4", c["transaction"])["reasons"]), std::vector<std::string>{"PERIOD_CLOSED"});
}

TEST(BillingPeriods, PeriodClosedIsListedLastAmongAnnulReasons) {
  std::vector<Reason> r = {Reason::PERIOD_CLOSED, Reason::ANNUL_WINDOW_EXPIRED, Reason::TRANSACTION_NOT_FOUND, Reason::SAP_NOT_FOUND};
  sort_reasons(r);
  EXPECT_EQ(r, (std::vector<Reason>{Reason::TRANSACTION_NOT_FOUND, Reason::ANNUL_WINDOW_EXPIRED, Reason::PERIOD_CLOSED, Reason::SAP_NOT_FOUND}));
}

}  // namespace
}  // namespace autoriza::testing

namespace autoriza::testing {
namespace {

// An affiliate's notes ("DIABÉTICO") come with the eligibility answer, the
// same bytes whichever way the answer is written (encode and render).
TEST(Eligibility, ShowsTheAffiliatesNotes) {
  Harness h;
  fb::AffiliateT a = *h.engine().reference()->affiliate("110000783851");
  a.notes = "DIABÉTICO";
  std::vector<fb::ReferenceRecordUnion> records(1);
  records[0].Set(a);
  ReferenceLoadStats stats;
  ASSERT_TRUE(h.engine().load_reference(records, &stats).is_ok());
  const Json answer = h.run("eligibility", {{"request_id", "e1"}, {"provider", "LAB127"}, {"credential", "110000783851"}},
                            "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(answer["affiliate"]["notes"], "DIABÉTICO") << answer;
  const Json other = h.run("eligibility", {{"request_id", "e2"}, {"provider", "LAB127"}, {"credential", "110000783852"}},
                           "2026-11-02T10:00:00-03:00");
  EXPECT_FALSE(other["affiliate"].contains("notes")) << other;
}

}  // namespace
}  // namespace autoriza::testing

namespace autoriza::testing {
namespace {

// The CIE-10 catalog: "enfermedad respiratoria" (no accents needed) finds
// J98.9; a code prefix finds its codes; nothing loaded, nothing found.
TEST(Diagnoses, ByWordsOrCodePrefix) {
  Harness h;
  const char* at = "2026-11-02T10:00:00-03:00";
  EXPECT_TRUE(h.request("GET", "/v1/diagnoses?q=caries", nullptr, at)["items"].empty());
  std::vector<fb::ReferenceRecordUnion> records(3);
  records[0].Set(fb::DiagnosisT{{}, "J98.9", "Enfermedad respiratoria, no especificada"});
  records[1].Set(fb::DiagnosisT{{}, "K02.1", "Caries de la dentina"});
  records[2].Set(fb::DiagnosisT{{}, "K02.9", "Caries dental, no especificada"});
  ReferenceLoadStats stats;
  ASSERT_TRUE(h.engine().load_reference(records, &stats).is_ok());
  const Json words = h.request("GET", "/v1/diagnoses?q=ENFERMEDAD+respiratoria", nullptr, at);
  ASSERT_EQ(words["items"].size(), 1u) << words;
  EXPECT_EQ(words["items"][0]["code"], "J98.9");
  const Json prefix = h.request("GET", "/v1/diagnoses?q=k02", nullptr, at);
  ASSERT_EQ(prefix["items"].size(), 2u) << prefix;
  EXPECT_EQ(prefix["items"][0]["code"], "K02.1");
  EXPECT_EQ(h.request("GET", "/v1/diagnoses?q=dentina", nullptr, at)["items"].size(), 1u);
}

}  // namespace
}  // namespace autoriza::testing
