// Request-level rules (docs/rules.md §7, request-level) and eligibility.
#include <gtest/gtest.h>

#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

Json lab_authorize(const std::string& id, const std::string& credential, Json items, Json extra = Json::object()) {
  Json body = {{"request_id", id}, {"provider", "LAB127"}, {"credential", credential},
               {"prescribed_on", "2026-10-30"}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}}, {"items", items}};
  body.update(extra);
  return body;
}

class RequestRules : public ::testing::Test {
 protected:
  Harness h;
};

TEST_F(RequestRules, EligibleAffiliateShowsCardData) {
  Json a = h.run("eligibility", {{"request_id", "e1"}, {"provider", "LAB127"}, {"credential", "110000783851"}}, kAt);
  EXPECT_EQ(a["status"], "ELIGIBLE");
  EXPECT_TRUE(a["reasons"].empty());
  EXPECT_EQ(a["affiliate"]["age"], 51);
  EXPECT_EQ(a["affiliate"]["cuil"], "20245152605");
  EXPECT_EQ(a["affiliate"]["titular"], "110000783851");
  EXPECT_EQ(a["affiliate"]["name"], "CATALDI, ADRIAN");
  EXPECT_TRUE(a["transaction"].is_string());
}

TEST_F(RequestRules, EachPartyReason) {
  auto elig = [&](const std::string& id, const std::string& provider, const std::string& credential) {
    return codes(h.run("eligibility", {{"request_id", id}, {"provider", provider}, {"credential", credential}}, kAt)["reasons"]);
  };
  EXPECT_EQ(elig("p1", "NOPE", "110000783851"), std::vector<std::string>{"PROVIDER_NOT_FOUND"});
  EXPECT_EQ(elig("p2", "LAB127", "999"), std::vector<std::string>{"AFFILIATE_NOT_FOUND"});
  EXPECT_EQ(elig("p3", "LAB127", "220000100002"), std::vector<std::string>{"AFFILIATE_SUSPENDED"});
  EXPECT_EQ(elig("p4", "LAB127", "220000100003"), std::vector<std::string>{"AFFILIATE_TERMINATED"});
  EXPECT_EQ(elig("p5", "MED410", "220000100001"), std::vector<std::string>{"TOKEN_REQUIRED"});
  EXPECT_EQ(elig("p6", "NOPE", "999"), (std::vector<std::string>{"PROVIDER_NOT_FOUND", "AFFILIATE_NOT_FOUND"}));
}

TEST_F(RequestRules, RequestRefusalRejectsEveryItemWithZeroAmounts) {
  Json a = h.run("authorize", lab_authorize("r1", "220000100002", {{{"code", "000118"}}, {{"code", "000012"}}}), kAt);
  EXPECT_EQ(a["status"], "REJECTED");
  EXPECT_EQ(codes(a["reasons"]), std::vector<std::string>{"AFFILIATE_SUSPENDED"});
  ASSERT_EQ(a["items"].size(), 2u);
  for (const auto& item : a["items"]) {
    EXPECT_EQ(item["status"], "REJECTED");
    EXPECT_TRUE(item["reasons"].empty());
    EXPECT_EQ(item["total"], "0.00");
  }
  EXPECT_FALSE(a.contains("order"));
  EXPECT_EQ(a["totals"]["total"], "0.00");
}

TEST_F(RequestRules, PrescriptionRules) {
  Json no_rx = {{"request_id", "x1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"items", {{{"code", "000118"}}}}};
  EXPECT_EQ(codes(h.run("authorize", no_rx, kAt)["reasons"]), std::vector<std::string>{"PRESCRIPTION_REQUIRED"});
  Json only_date = no_rx;
  only_date["request_id"] = "x2";
  only_date["prescribed_on"] = "2026-10-30";
  EXPECT_EQ(codes(h.run("authorize", only_date, kAt)["reasons"]), std::vector<std::string>{"PRESCRIPTION_REQUIRED"});
  Json unknown = lab_authorize("x3", "110000783851", {{{"code", "000118"}}}, {{"prescriber", {{"kind", "MD"}, {"license", "9"}}}});
  EXPECT_EQ(codes(h.run("authorize", unknown, kAt)["reasons"]), std::vector<std::string>{"PRESCRIBER_NOT_FOUND"});
  Json future = lab_authorize("x4", "110000783851", {{{"code", "000118"}}}, {{"prescribed_on", "2026-11-03"}});
  EXPECT_EQ(codes(h.run("authorize", future, kAt)["reasons"]), std::vector<std::string>{"PRESCRIPTION_IN_FUTURE"});
  // 30 days old is still valid; 31 is expired.
  Json day30 = lab_authorize("x5", "110000783851", {{{"code", "000118"}}}, {{"prescribed_on", "2026-10-03"}});
  EXPECT_EQ(h.run("authorize", day30, kAt)["status"], "AUTHORIZED");
  Json day31 = lab_authorize("x6", "110000783851", {{{"code", "000118"}}}, {{"prescribed_on", "2026-10-02"}});
  EXPECT_EQ(codes(h.run("authorize", day31, kAt)["reasons"]), std::vector<std::string>{"PRESCRIPTION_EXPIRED"});
  // An OD prescriber with a license only an MD has is not found.
  Json wrong_kind = lab_authorize("x7", "110000783851", {{{"code", "000118"}}}, {{"prescriber", {{"kind", "OD"}, {"license", "1234"}}}});
  EXPECT_EQ(codes(h.run("authorize", wrong_kind, kAt)["reasons"]), std::vector<std::string>{"PRESCRIBER_NOT_FOUND"});
}

TEST_F(RequestRules, DentalPrescriptionIsStillChecked) {
  Json body = {{"request_id", "d1"}, {"provider", "DEN333"}, {"credential", "354495"}, {"diagnosis", "K029"},
               {"prescribed_on", "2026-09-01"}, {"prescriber", {{"kind", "OD"}, {"license", "3333"}}},
               {"items", {{{"code", "10101"}}}}};
  EXPECT_EQ(codes(h.run("authorize", body, kAt)["reasons"]), std::vector<std::string>{"PRESCRIPTION_EXPIRED"});
}

TEST_F(RequestRules, DiagnosisRequiredForDentalAndAudit) {
  Json dental = {{"request_id", "g1"}, {"provider", "DEN333"}, {"credential", "354495"}, {"items", {{{"code", "10101"}}}}};
  EXPECT_EQ(codes(h.run("authorize", dental, kAt)["reasons"]), std::vector<std::string>{"DIAGNOSIS_REQUIRED"});
  Json audit = lab_authorize("g2", "110000783851", {{{"code", "000016"}}}, {{"mode", "audit"}});
  Json a = h.run("authorize", audit, kAt);
  EXPECT_EQ(a["status"], "REJECTED");
  EXPECT_EQ(codes(a["reasons"]), std::vector<std::string>{"DIAGNOSIS_REQUIRED"});
  EXPECT_FALSE(a.contains("sap"));
}

TEST_F(RequestRules, SeveralReasonsInSpecOrder) {
  // Terminated affiliate, no prescription, dental item without diagnosis at a lab.
  Json body = {{"request_id", "m1"}, {"provider", "LAB127"}, {"credential", "220000100003"},
               {"items", {{{"code", "000118"}}, {{"code", "10101"}}}}};
  EXPECT_EQ(codes(h.run("authorize", body, kAt)["reasons"]),
            (std::vector<std::string>{"AFFILIATE_TERMINATED", "PRESCRIPTION_REQUIRED", "DIAGNOSIS_REQUIRED"}));
}

TEST_F(RequestRules, ReasonsCarrySpanishMessages) {
  Json a = h.run("eligibility", {{"request_id", "s1"}, {"provider", "LAB127"}, {"credential", "220000100002"}}, kAt);
  ASSERT_EQ(a["reasons"].size(), 1u);
  EXPECT_FALSE(a["reasons"][0]["message"].get<std::string>().empty());
}

}  // namespace
}  // namespace autoriza::testing
