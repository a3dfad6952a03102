// The family index of the affiliate history: a titular's group comes from
// the projection's own index (O(members)), follows reference updates, and
// the HTTP history endpoint uses it.
#include <algorithm>

#include "adapters/service/projection_api.h"
#include "tests/projections/projections_fixture.h"

namespace autoriza::testing {
namespace {

class Family : public ProjectionsTest {
 protected:
  std::vector<std::string> family(const std::string& credential) {
    std::vector<std::string> out;
    Status s = projections->family(credential, &out);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }
  static std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  // Moves an affiliate of the fixtures to another titular (a reference update).
  void move_to(const std::string& credential, const std::string& titular) {
    const fb::AffiliateT* a = h.engine().reference()->affiliate(credential);
    ASSERT_NE(a, nullptr);
    fb::AffiliateT moved = *a;
    moved.titular = titular;
    std::vector<fb::ReferenceRecordUnion> records(1);
    records[0].Set(std::move(moved));
    ReferenceLoadStats stats;
    ASSERT_TRUE(h.engine().load_reference(records, &stats).is_ok());
    ASSERT_EQ(stats.updated, 1u);
  }
};

TEST_F(Family, TitularListsItsMembersFirstItself) {
  catch_up();
  const std::vector<std::string> group = family("110000783851");
  ASSERT_FALSE(group.empty());
  EXPECT_EQ(group[0], "110000783851");
  EXPECT_EQ(sorted(group), (std::vector<std::string>{"110000783851", "110000783852", "110000783853", "110000783854"}));
  EXPECT_EQ(family("110000783852"), (std::vector<std::string>{"110000783852"}));  // a member: only themself
  EXPECT_EQ(family("999999999999"), (std::vector<std::string>{"999999999999"}));  // not seen (yet)
  std::vector<std::string> out;
  EXPECT_EQ(projections->family("", &out).kind(), StatusKind::kInvalidRequest);
}

TEST_F(Family, MemberWhoMovesLeavesTheGroupAndRebuildAgrees) {
  catch_up();
  move_to("110000783853", "110000783853");  // becomes the titular of a family of their own
  catch_up();
  EXPECT_EQ(sorted(family("110000783851")), (std::vector<std::string>{"110000783851", "110000783852", "110000783854"}));
  EXPECT_EQ(family("110000783853"), (std::vector<std::string>{"110000783853"}));
  move_to("110000783853", "110000783851");  // and back
  catch_up();
  EXPECT_EQ(family("110000783851").size(), 4u);

  auto rebuilt = open_projections(temp_dir("family-rebuild"));
  ASSERT_TRUE(rebuilt->catch_up().is_ok());
  EXPECT_EQ(digest(*rebuilt), digest(*projections));
}

TEST_F(Family, HttpHistoryOfATitularIncludesTheFamily) {
  Json a = authorize("110000783851", {"000118"}, "2026-11-02T10:00:00-03:00");
  Json b = authorize("110000783852", {"000003"}, "2026-11-03T10:00:00-03:00");
  catch_up();
  auto credentials = [&](const std::string& credential, const std::string& query = "") {
    const std::string target = "/v1/affiliates/" + credential + "/history" + query;
    const Reply reply = projection_api::history_reply(h.engine(), *projections, credential, target);
    EXPECT_EQ(reply.status, 200) << reply.body;
    std::vector<std::string> out;
    const Json answer = Json::parse(reply.body);
    for (const Json& e : answer["items"]) out.push_back(e["credential"].get<std::string>());
    return out;
  };
  EXPECT_EQ(credentials("110000783851"), (std::vector<std::string>{"110000783852", "110000783851"}));
  EXPECT_EQ(credentials("110000783851", "?family=no"), (std::vector<std::string>{"110000783851"}));
  EXPECT_EQ(credentials("110000783852"), (std::vector<std::string>{"110000783852"}));
  const Reply unknown = projection_api::history_reply(h.engine(), *projections, "999999999999",
                                                      "/v1/affiliates/999999999999/history");
  EXPECT_EQ(unknown.status, 404);
}

}  // namespace
}  // namespace autoriza::testing
