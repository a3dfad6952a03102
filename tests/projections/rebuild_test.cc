// Rebuild == live: folding incrementally and folding the whole log from
// scratch reach byte-identical projections; positions and lag; the follower.
#include <chrono>
#include <thread>

#include "tests/projections/projections_fixture.h"

namespace autoriza::testing {
namespace {

class Rebuild : public ProjectionsTest {
 protected:
  Rebuild() : ProjectionsTest(/*partitions=*/3) {}

  // Every kind of event, on several streams, with a catch_up after each.
  void drive(bool catch_up_each) {
    auto step = [&](const Json& answer) {
      EXPECT_FALSE(answer.contains("error")) << answer.dump();
      if (catch_up_each) catch_up();
      return answer;
    };
    Json a = step(authorize("110000783851", {"000118", "000003", "000016"}, "2026-11-02T10:00:00-03:00"));
    Json c = step(consume("110000783851", a["order"], {0}, "2026-11-02T11:00:00-03:00"));
    step(authorize("110000783852", {"000118"}, "2026-11-02T12:00:00-03:00", "LAB127", true));
    step(authorize("220000100002", {"000118"}, "2026-11-02T12:30:00-03:00"));  // refused
    Json s = step(open_sap("354495", {"000118", "000016"}, "2026-11-03T10:00:00-03:00"));
    step(verdict(s["sap"], "REQUEST_DOCS", "HC", "2026-11-03T11:00:00-03:00"));
    Json v = step(verdict(s["sap"], "AUTHORIZE", "ok", "2026-11-03T12:00:00-03:00"));
    Json vc = step(consume("354495", v["order"], {0, 1}, "2026-11-03T13:00:00-03:00"));
    step(annul(vc["transaction"], "2026-11-03T14:00:00-03:00"));
    step(annul(c["transaction"], "2026-11-04T09:00:00-03:00"));
    step(annul(a["order"], "2026-11-04T10:00:00-03:00"));
    step(h.run("token_issue", {{"request_id", next_id()}, {"credential", "220000100001"}, {"kind", "DYNAMIC"}},
               "2026-11-04T11:00:00-03:00"));
    fb::ReferenceRecordUnion record;
    fb::ClosedPeriodT closed;
    closed.provider = "LAB127";
    closed.month = "2026-11";
    record.Set(closed);
    ReferenceLoadStats stats;
    ASSERT_TRUE(h.engine().load_reference({record}, &stats, *parse_instant("2026-12-01T08:00:00-03:00")).is_ok());
    if (catch_up_each) catch_up();
    Json late = step(authorize("438908", {"000012"}, "2026-11-30T10:00:00-03:00"));
    step(consume("438908", late["order"], {0}, "2026-12-01T10:00:00-03:00", "2026-11-30T11:00:00-03:00"));
  }

  uint64_t lag(const Json& positions) {
    EXPECT_EQ(positions.size(), 4u);
    return positions[0]["lag"].get<uint64_t>();
  }
};

TEST_F(Rebuild, IncrementalAndFromScratchAreIdentical) {
  drive(/*catch_up_each=*/true);
  EXPECT_GT(h.engine().journal().streams().size(), 2u);  // several partitions and the reference stream
  auto rebuilt = open_projections(temp_dir("projections-rebuild"));
  size_t applied = 0;
  ASSERT_TRUE(rebuilt->catch_up(&applied).is_ok());
  EXPECT_GT(applied, 20u);
  const std::string live = digest(*projections);
  EXPECT_EQ(live.size(), 64u);
  EXPECT_EQ(digest(*rebuilt), live);
  Json a, b;
  ASSERT_TRUE(projections->billing("LAB127", "2026-11", &a).is_ok());
  ASSERT_TRUE(rebuilt->billing("LAB127", "2026-11", &b).is_ok());
  EXPECT_EQ(a, b);
  EXPECT_EQ(a["late_items"].size(), 1u);
}

TEST_F(Rebuild, PositionsLagAndReopen) {
  catch_up();  // the fixtures' reference events
  Json p = projections->positions();
  EXPECT_EQ(lag(p), 0u);
  EXPECT_EQ(p[0]["name"], "register");
  EXPECT_EQ(p[3]["name"], "history");
  EXPECT_GT(p[0]["position"]["65535"].get<uint64_t>(), 20u);  // the fixtures

  authorize("110000783851", {"000118"}, "2026-11-02T10:00:00-03:00");
  authorize("354495", {"000118"}, "2026-11-02T10:00:00-03:00");
  authorize("438908", {"000118"}, "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(lag(projections->positions()), 3u);
  size_t applied = 0;
  ASSERT_TRUE(projections->catch_up(&applied).is_ok());
  EXPECT_EQ(applied, 3u);
  p = projections->positions();
  EXPECT_EQ(lag(p), 0u);
  uint64_t folded = 0;
  for (const auto& [stream, seq] : p[0]["position"].items()) folded += seq.get<uint64_t>();
  EXPECT_GT(folded, 3u);

  // The checkpoint is durable with the rows: a reopened store folds nothing again.
  const std::string before = digest(*projections);
  projections.reset();
  projections = open_projections(dir);
  ASSERT_TRUE(projections->catch_up(&applied).is_ok());
  EXPECT_EQ(applied, 0u);
  EXPECT_EQ(digest(*projections), before);
  EXPECT_EQ(projections->positions(), p);
}

TEST_F(Rebuild, FollowerCatchesUpAfterNotify) {
  projections->start();
  h.engine().set_commit_listener([this] { projections->notify(); });
  Json a = authorize("110000783851", {"000118"}, "2026-11-02T10:00:00-03:00");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);  // a hang, not a speed
  while (lag(projections->positions()) != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  h.engine().set_commit_listener(nullptr);
  EXPECT_EQ(lag(projections->positions()), 0u);
  RegisterQuery q;
  q.provider = "LAB127";
  EXPECT_EQ(register_rows(q)["items"].size(), 1u);
}

}  // namespace
}  // namespace autoriza::testing
