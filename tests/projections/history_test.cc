// Affiliate history: orders, consumptions, annulments and token uses of a
// family group, newest first.
#include "tests/projections/projections_fixture.h"

namespace autoriza::testing {
namespace {

class History : public ProjectionsTest {
 protected:
  Json history(const std::vector<std::string>& credentials, HistoryQuery q = {}) {
    Json out;
    Status s = projections->history(credentials, q, &out);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }
  static std::vector<std::string> kinds(const Json& items) {
    std::vector<std::string> out;
    for (const Json& e : items) out.push_back(e["kind"].get<std::string>());
    return out;
  }
};

TEST_F(History, FamilyGroupNewestFirst) {
  Json a = authorize("110000783851", {"000118"}, "2026-11-02T10:00:00-03:00");
  Json c = consume("110000783851", a["order"], {0}, "2026-11-02T11:00:00-03:00");
  Json b = authorize("110000783852", {"000003"}, "2026-11-03T10:00:00-03:00");
  Json n = annul(b["order"], "2026-11-04T10:00:00-03:00");
  authorize("354495", {"000003"}, "2026-11-03T12:00:00-03:00");  // another family
  catch_up();

  Json family = history({"110000783851", "110000783852"});
  EXPECT_EQ(kinds(family["items"]),
            (std::vector<std::string>{"annulment", "authorization", "consumption", "authorization"}));
  EXPECT_TRUE(family["next"].is_null());
  const Json& annulment = family["items"][0];
  EXPECT_EQ(annulment["credential"], "110000783852");
  EXPECT_EQ(annulment["affiliate"], "CATALDI, MARIA LAURA");
  EXPECT_EQ(annulment["target"], b["order"]);
  EXPECT_EQ(annulment["transaction"], n["transaction"]);
  EXPECT_EQ(annulment["time"], "2026-11-04T10:00:00-03:00");
  const Json& consumption = family["items"][2];
  EXPECT_EQ(consumption["transaction"], c["transaction"]);
  EXPECT_EQ(consumption["order"], a["order"]);
  EXPECT_EQ(consumption["items"][0]["status"], "CONSUMED");
  EXPECT_EQ(consumption["totals"]["copay"], "36.00");
  const Json& order = family["items"][3];
  EXPECT_EQ(order["order"], a["order"]);
  EXPECT_EQ(order["provider"], "LAB127");
  EXPECT_EQ(order["status"], "AUTHORIZED");

  // One member alone.
  EXPECT_EQ(kinds(history({"110000783852"})["items"]), (std::vector<std::string>{"annulment", "authorization"}));

  // Page by page gives the same entries.
  HistoryQuery q;
  q.limit = 1;
  Json paged = Json::array();
  for (int i = 0; i < 10; ++i) {
    Json page = history({"110000783851", "110000783852"}, q);
    for (const Json& e : page["items"]) paged.push_back(e);
    if (page["next"].is_null()) break;
    q.after = page["next"].get<std::string>();
  }
  EXPECT_EQ(paged, family["items"]);
}

TEST_F(History, TokenIssueAndUse) {
  Json t = h.run("token_issue", {{"request_id", next_id()}, {"credential", "220000100001"}, {"kind", "DYNAMIC"}},
                 "2026-11-04T08:00:00-03:00");
  ASSERT_TRUE(t["tokens"][0]["token"].is_string()) << t.dump();
  Json a = h.run("authorize",
                 {{"request_id", next_id()},
                  {"provider", "MED410"},
                  {"credential", "220000100001"},
                  {"token", t["tokens"][0]["token"]},
                  {"prescribed_on", "2026-11-04"},
                  {"prescriber", {{"kind", "MD"}, {"license", "5678"}}},
                  {"items", {{{"code", "420101"}}}}},
                 "2026-11-04T08:00:40-03:00");
  ASSERT_EQ(a["status"], "AUTHORIZED");
  Json e =
      h.run("eligibility",
            {{"request_id", next_id()}, {"provider", "MED410"}, {"credential", "220000100001"}, {"token", "000000"}},
            "2026-11-04T08:05:00-03:00");
  catch_up();
  Json items = history({"220000100001"})["items"];
  ASSERT_GE(items.size(), 2u);
  const Json& issue = items.back();
  EXPECT_EQ(issue["kind"], "token_issue");
  EXPECT_EQ(issue["token_kind"], "DYNAMIC");
  EXPECT_EQ(issue["count"], 1);
  EXPECT_EQ(issue.dump().find(t["tokens"][0]["token"].get<std::string>()), std::string::npos);  // no token in clear
  const Json& use = items[items.size() - 2];
  EXPECT_EQ(use["kind"], "authorization");
  EXPECT_EQ(use["token"], (Json{{"kind", "DYNAMIC"}, {"outcome", "USED"}}));
  if (e["status"] == "NOT_ELIGIBLE" && items.size() == 3u) {
    EXPECT_EQ(items[0]["kind"], "token_use");  // a failed try with a wrong token
    EXPECT_EQ(items[0]["token"]["outcome"], "FAILED");
  }
}

TEST_F(History, BadArguments) {
  Json out;
  EXPECT_EQ(projections->history({}, {}, &out).kind(), StatusKind::kInvalidRequest);
  HistoryQuery q;
  q.after = "AAAA";
  EXPECT_EQ(projections->history({"110000783851"}, q, &out).field(), "after");
}

}  // namespace
}  // namespace autoriza::testing
