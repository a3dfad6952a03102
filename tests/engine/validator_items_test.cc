// Item-level rules, amounts, teeth and faces (docs/rules.md §6-8).
#include <gtest/gtest.h>

#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

class ItemRules : public ::testing::Test {
 protected:
  Json lab(const std::string& id, const std::string& credential, Json items, const std::string& at = kAt,
           const std::string& provider = "LAB127", const std::string& prescribed_on = "2026-10-30") {
    return h.run("authorize",
                 {{"request_id", id}, {"provider", provider}, {"credential", credential}, {"prescribed_on", prescribed_on},
                  {"prescriber", {{"kind", "MD"}, {"license", "1234"}}}, {"items", items}},
                 at);
  }
  Json dental(const std::string& id, const std::string& credential, Json items, const std::string& at = kAt) {
    return h.run("authorize",
                 {{"request_id", id}, {"provider", "DEN333"}, {"credential", credential}, {"diagnosis", "K02.9"}, {"items", items}},
                 at);
  }
  static std::vector<std::string> item_codes(const Json& answer, size_t i) { return codes(answer["items"][i]["reasons"]); }
  Harness h;
};

TEST_F(ItemRules, AmountsWithCategoryAndCoverage) {
  Json a = lab("a1", "110000783851", {{{"code", "000118"}}, {{"code", "000012"}, {"qty", 3}}}, kAt, "LAB200");
  ASSERT_EQ(a["status"], "AUTHORIZED");
  // 180.00 + 10% category = 198.00, copay 20% = 39.60
  EXPECT_EQ(a["items"][0]["professional"], "198.00");
  EXPECT_EQ(a["items"][0]["copay"], "39.60");
  // expenses 53.80 x 3 = 161.40 (no category on expenses), copay 32.28
  EXPECT_EQ(a["items"][1]["expenses"], "161.40");
  EXPECT_EQ(a["items"][1]["copay"], "32.28");
  EXPECT_EQ(a["totals"]["total"], "359.40");
  EXPECT_EQ(a["totals"]["copay"], "71.88");
  EXPECT_EQ(a["totals"]["covered"], "287.52");
  EXPECT_EQ(a["order"], a["transaction"]);
}

TEST_F(ItemRules, PracticeNotFoundAndNotAllowed) {
  Json a = lab("n1", "110000783851", {{{"code", "999999"}}, {{"code", "420101"}}});
  EXPECT_EQ(item_codes(a, 0), std::vector<std::string>{"PRACTICE_NOT_FOUND"});
  EXPECT_EQ(item_codes(a, 1), std::vector<std::string>{"PRACTICE_NOT_ALLOWED_FOR_PROVIDER"});
  EXPECT_EQ(a["status"], "REJECTED");
  EXPECT_FALSE(a.contains("order"));
}

TEST_F(ItemRules, NotCoveredQuantityAgeSex) {
  Json a = dental("c1", "220000100004", {{{"code", "10101"}}});
  EXPECT_EQ(item_codes(a, 0), std::vector<std::string>{"NOT_COVERED"});
  EXPECT_EQ(a["items"][0]["copay"], a["items"][0]["total"]);
  a = lab("q1", "110000783851", {{{"code", "000015"}, {"qty", 3}}});
  EXPECT_EQ(item_codes(a, 0), std::vector<std::string>{"QUANTITY_EXCEEDED"});
  // PAP: F only, min age 15 (inclusive). Tomas (M, 14) gets both.
  a = lab("s1", "110000783853", {{{"code", "000870"}}});
  EXPECT_EQ(item_codes(a, 0), (std::vector<std::string>{"AGE_NOT_ALLOWED", "SEX_NOT_ALLOWED"}));
  a = lab("s2", "110000783852", {{{"code", "000870"}}});
  EXPECT_EQ(a["items"][0]["status"], "AUTHORIZED");
  // max_age 0 is inclusive: a newborn is 0.
  a = lab("s3", "110000783854", {{{"code", "000858"}}});
  EXPECT_EQ(a["items"][0]["status"], "AUTHORIZED");
}

TEST_F(ItemRules, FrequencyWindowInLocalDays) {
  ASSERT_EQ(lab("f1", "110000783851", {{{"code", "000865"}}})["status"], "AUTHORIZED");  // TSH, 30 days
  // Day 29 blocks, day 30 does not (blocks while days since < frequency_days).
  Json a = lab("f2", "110000783851", {{{"code", "000865"}}}, "2026-12-01T23:59:00-03:00", "LAB127", "2026-11-30");
  EXPECT_EQ(item_codes(a, 0), std::vector<std::string>{"FREQUENCY_EXCEEDED"});
  a = lab("f3", "110000783851", {{{"code", "000865"}}}, "2026-12-02T00:01:00-03:00", "LAB127", "2026-11-30");
  EXPECT_EQ(a["items"][0]["status"], "AUTHORIZED");
  // Another affiliate is not blocked; another provider is.
  EXPECT_EQ(lab("f4", "110000783852", {{{"code", "000865"}}})["status"], "AUTHORIZED");
  a = lab("f5", "110000783852", {{{"code", "000865"}}}, "2026-11-03T10:00:00-03:00", "LAB200");
  EXPECT_EQ(item_codes(a, 0), std::vector<std::string>{"FREQUENCY_EXCEEDED"});
}

TEST_F(ItemRules, ValidateNeitherRecordsNorCountsForFrequency) {
  Json v = h.run("authorize",
                 {{"request_id", "v1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"mode", "validate"},
                  {"prescribed_on", "2026-10-30"}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                  {"items", {{{"code", "000865"}}}}},
                 kAt);
  EXPECT_EQ(v["status"], "AUTHORIZED");
  EXPECT_TRUE(v["transaction"].is_null());
  EXPECT_FALSE(v.contains("order"));
  EXPECT_EQ(lab("v2", "110000783851", {{{"code", "000865"}}})["status"], "AUTHORIZED");
}

TEST_F(ItemRules, DuplicateItemIsTheLaterOne) {
  Json a = dental("d1", "354495", {{{"code", "100100"}, {"tooth", 12}}, {{"code", "100100"}, {"tooth", 13}},
                                   {{"code", "100100"}, {"tooth", 12}}, {{"code", "10101"}}, {{"code", "10101"}}});
  EXPECT_EQ(a["items"][0]["status"], "AUTHORIZED");
  EXPECT_EQ(a["items"][1]["status"], "AUTHORIZED");
  EXPECT_EQ(item_codes(a, 2), std::vector<std::string>{"DUPLICATE_ITEM"});
  EXPECT_EQ(a["items"][3]["status"], "AUTHORIZED");
  EXPECT_EQ(item_codes(a, 4), std::vector<std::string>{"DUPLICATE_ITEM"});
  EXPECT_EQ(a["status"], "PARTIALLY_AUTHORIZED");
}

TEST_F(ItemRules, TeethAndFaces) {
  Json a = dental("t1", "354495",
                  {{{"code", "100100"}},                                  // TOOTH_REQUIRED
                   {{"code", "100100"}, {"tooth", 59}},                   // TOOTH_INVALID (deciduous 5 max)
                   {{"code", "10101"}, {"tooth", 11}},                    // TOOTH_NOT_APPLICABLE
                   {{"code", "20800"}, {"tooth", 26}},                    // FACE_REQUIRED
                   {{"code", "20800"}, {"tooth", 27}, {"faces", ""}},     // empty = missing
                   {{"code", "20800"}, {"tooth", 36}, {"faces", "om"}},   // lower-case
                   {{"code", "20800"}, {"tooth", 37}, {"faces", "OO"}},   // repeated
                   {{"code", "20800"}, {"tooth", 21}, {"faces", "I"}},    // fits
                   {{"code", "100100"}, {"tooth", 14}, {"faces", "O"}},   // faces on a practice without faces
                   {{"code", "20800"}, {"tooth", 99}, {"faces", "I"}},    // invalid tooth: faces not checked against it
                   {{"code", "20800"}, {"tooth", 45}, {"faces", "LVD"}}}); // fits (lower, posterior)
  EXPECT_EQ(item_codes(a, 0), std::vector<std::string>{"TOOTH_REQUIRED"});
  EXPECT_EQ(item_codes(a, 1), std::vector<std::string>{"TOOTH_INVALID"});
  EXPECT_EQ(item_codes(a, 2), std::vector<std::string>{"TOOTH_NOT_APPLICABLE"});
  EXPECT_EQ(item_codes(a, 3), std::vector<std::string>{"FACE_REQUIRED"});
  EXPECT_EQ(item_codes(a, 4), std::vector<std::string>{"FACE_REQUIRED"});
  EXPECT_EQ(item_codes(a, 5), std::vector<std::string>{"FACE_INVALID"});
  EXPECT_EQ(item_codes(a, 6), std::vector<std::string>{"FACE_INVALID"});
  EXPECT_EQ(a["items"][7]["status"], "AUTHORIZED");
  EXPECT_EQ(item_codes(a, 8), std::vector<std::string>{"FACE_INVALID"});
  EXPECT_EQ(item_codes(a, 9), std::vector<std::string>{"TOOTH_INVALID"});
  EXPECT_EQ(a["items"][10]["status"], "AUTHORIZED");
  EXPECT_EQ(a["items"][10]["tooth"], 45);
  EXPECT_EQ(a["items"][10]["faces"], "LVD");
}

TEST_F(ItemRules, FrequencyPerTooth) {
  ASSERT_EQ(dental("p1", "354495", {{{"code", "20800"}, {"tooth", 25}, {"faces", "O"}}})["status"], "AUTHORIZED");
  Json a = dental("p2", "354495", {{{"code", "20800"}, {"tooth", 25}, {"faces", "M"}}, {{"code", "20800"}, {"tooth", 24}, {"faces", "M"}}},
                  "2026-12-02T10:00:00-03:00");
  EXPECT_EQ(item_codes(a, 0), std::vector<std::string>{"FREQUENCY_EXCEEDED"});
  EXPECT_EQ(a["items"][1]["status"], "AUTHORIZED");
}

TEST_F(ItemRules, NeedsAuditInAuthorizeModeIsNotInTheOrder) {
  Json a = lab("u1", "110000783851", {{{"code", "000016"}}});
  EXPECT_EQ(a["items"][0]["status"], "NEEDS_AUDIT");
  EXPECT_EQ(a["status"], "REJECTED");
  EXPECT_FALSE(a.contains("order"));
}

TEST_F(ItemRules, ConsumeNowConsumesAuthorizedItems) {
  Json body = {{"request_id", "cn1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"consume_now", true},
               {"prescribed_on", "2026-10-30"}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
               {"items", {{{"code", "000118"}}, {{"code", "000016"}}}}};
  Json a = h.run("authorize", body, kAt);
  EXPECT_EQ(a["status"], "PARTIALLY_AUTHORIZED");
  EXPECT_EQ(a["items"][0]["status"], "CONSUMED");
  EXPECT_EQ(a["items"][1]["status"], "NEEDS_AUDIT");
  EXPECT_EQ(a["totals"]["total"], "180.00");
  Json again = h.run("consume", {{"request_id", "cn2"}, {"provider", "LAB127"}, {"credential", "110000783851"},
                                 {"order", a["order"]}, {"items", {0}}}, kAt);
  EXPECT_EQ(codes(again["reasons"]), std::vector<std::string>{"ITEM_ALREADY_CONSUMED"});
}

}  // namespace
}  // namespace autoriza::testing
