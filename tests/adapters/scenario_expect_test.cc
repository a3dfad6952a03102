// Scenario helpers: ${STEP.path} substitution and subset matching (docs/scenarios.md).
#include <gtest/gtest.h>

#include "adapters/dev/expect.h"

namespace autoriza {
namespace {

TEST(ScenarioExpect, SubstitutesStringsAndWholeValues) {
  StepAnswers answers;
  answers["a1"] = Json::parse(R"({"order":"T-0-1","n":5,"tokens":[{"token":"012345"}]})");
  Json body = Json::parse(R"({"order":"${a1.order}","count":"${a1.n}","text":"order ${a1.order}!","t":"${a1.tokens[0].token}"})");
  std::string why;
  ASSERT_TRUE(substitute(body, answers, &why)) << why;
  EXPECT_EQ(body["order"], "T-0-1");
  EXPECT_EQ(body["count"], 5);  // only a reference: the value as is
  EXPECT_EQ(body["text"], "order T-0-1!");
  EXPECT_EQ(body["t"], "012345");  // leading zero kept
  Json bad = Json::parse(R"({"x":"${zz.order}"})");
  EXPECT_FALSE(substitute(bad, answers, &why));
  EXPECT_NE(why.find("zz.order"), std::string::npos);
  Json bad_index = Json::parse(R"({"x":"${a1.tokens[3].token}"})");
  EXPECT_FALSE(substitute(bad_index, answers, &why));
}

// std::stoul threw out_of_range on a long index (crashed scenario_fuzz; regressions/scenario/).
TEST(ScenarioExpect, IndexBeyondUnsignedLongIsAnUnknownReferenceNotAThrow) {
  StepAnswers answers;
  answers["a1"] = Json::parse(R"({"tokens":[{"token":"012345"}]})");
  Json body = Json::parse(R"({"x":"${a1.tokens[99999999999999999999999].token}"})");
  std::string why;
  EXPECT_FALSE(substitute(body, answers, &why));
  EXPECT_NE(why.find("unknown reference"), std::string::npos) << why;
  EXPECT_EQ(resolve_reference(answers, "a1.tokens[1000000000]"), nullptr);
}

TEST(ScenarioExpect, SubsetMatching) {
  const Json actual = Json::parse(R"({"status":"REJECTED","items":[{"status":"REJECTED","reasons":[{"code":"X","message":"m"}]},
                                     {"status":"AUTHORIZED","reasons":[]}],"totals":{"total":"1.00"}})");
  std::string why;
  EXPECT_TRUE(subset_match(Json::parse(R"({"status":"REJECTED"})"), actual, "", &why));
  EXPECT_TRUE(subset_match(Json::parse(R"({"items":[{"reasons":[{"code":"X"}]},{}]})"), actual, "", &why));
  EXPECT_FALSE(subset_match(Json::parse(R"({"items":[{"status":"REJECTED"}]})"), actual, "", &why));  // length differs
  EXPECT_NE(why.find("items"), std::string::npos);
  EXPECT_FALSE(subset_match(Json::parse(R"({"totals":{"total":"2.00"}})"), actual, "", &why));
  EXPECT_EQ(why, R"(totals.total: expected "2.00", got "1.00")");
  EXPECT_FALSE(subset_match(Json::parse(R"({"sap":"S"})"), actual, "", &why));
  EXPECT_EQ(why, "sap: missing");
  EXPECT_TRUE(subset_match(Json::object(), actual, "", &why));
}

}  // namespace
}  // namespace autoriza
