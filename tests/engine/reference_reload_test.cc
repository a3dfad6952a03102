// Loading reference data through the engine: every new or changed row is one
// event; loading the same files again changes nothing; a store reopened
// recovers the same reference data from the store alone.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

namespace fs = std::filesystem;

uint64_t reference_events(Journal& journal) {
  uint64_t n = 0;
  EXPECT_TRUE(journal.scan_events(kReferenceStream, 1, [&](Sequence, std::string_view) { return ++n, true; }).is_ok());
  return n;
}

TEST(ReferenceReload, SameFilesAreANoOpAndChangesAreEvents) {
  Harness h;  // loads the fixtures once
  const uint64_t first = reference_events(h.engine().journal());
  EXPECT_EQ(first, 3u + 10u + 4u + 3u + 17u);

  ReferenceLoad again = load_reference_dir(AUTORIZA_TEST_FIXTURES, *h.engine().reference());
  ASSERT_TRUE(again.ok());
  ReferenceLoadStats stats;
  ASSERT_TRUE(h.engine().load_reference(again.records, &stats).is_ok());
  EXPECT_EQ(stats.added, 0u);
  EXPECT_EQ(stats.updated, 0u);
  EXPECT_EQ(stats.unchanged, first);
  EXPECT_EQ(reference_events(h.engine().journal()), first);

  // Suspend one affiliate: one update event, and the engine sees it at once.
  const fs::path dir = temp_dir("ref");
  for (const auto& entry : fs::directory_iterator(AUTORIZA_TEST_FIXTURES)) fs::copy(entry.path(), dir / entry.path().filename());
  {
    std::ifstream in(dir / "affiliates.csv");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string from = "CARLOS,1968-02-28,M,NORMAL,ACTIVE";
    text.replace(text.find(from), from.size(), "CARLOS,1968-02-28,M,NORMAL,SUSPENDED");
    std::ofstream(dir / "affiliates.csv") << text;
  }
  ReferenceLoad changed = load_reference_dir(dir, *h.engine().reference());
  ASSERT_TRUE(changed.ok());
  stats = {};
  ASSERT_TRUE(h.engine().load_reference(changed.records, &stats).is_ok());
  EXPECT_EQ(stats.updated, 1u);
  EXPECT_EQ(reference_events(h.engine().journal()), first + 1);
  Json e = h.run("eligibility", {{"request_id", "e1"}, {"provider", "DEN333"}, {"credential", "354495"}}, "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(codes(e["reasons"]), std::vector<std::string>{"AFFILIATE_SUSPENDED"});

  // Reopened, the store holds the changed data without any CSV.
  h.open(1);
  EXPECT_EQ(h.engine().reference()->affiliate("354495")->status, fb::AffiliateStatus::SUSPENDED);
  EXPECT_EQ(h.engine().reference()->practices.size(), 17u);
  fs::remove_all(dir);
}

TEST(ReferenceReload, ARejectedFileLoadsNothingOfIt) {
  Harness h;
  const fs::path dir = temp_dir("ref");
  for (const auto& entry : fs::directory_iterator(AUTORIZA_TEST_FIXTURES)) fs::copy(entry.path(), dir / entry.path().filename());
  std::ofstream(dir / "practices.csv", std::ios::app) << "999001,BIOCHEM,NUEVA,10.00,0.00,1,no,no,,,,no,\n"
                                                      << "999002,BIOCHEM,MALA,10.001,0.00,1,no,no,,,,no,\n";
  ReferenceLoad load = load_reference_dir(dir, *h.engine().reference());
  EXPECT_FALSE(load.ok());
  ReferenceLoadStats stats;
  ASSERT_TRUE(h.engine().load_reference(load.records, &stats).is_ok());
  EXPECT_EQ(h.engine().reference()->practice("999001"), nullptr);
  EXPECT_EQ(stats.added, 0u);
  fs::remove_all(dir);
}

TEST(ReferenceReload, StoreRefusesAnotherPartitionCount) {
  Harness h;
  h.close();
  EngineOptions o;
  o.store = h.dir();
  o.partitions = 4;
  Status s;
  EXPECT_EQ(Engine::open(o, &s), nullptr);
  EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
  EXPECT_NE(s.message().find("1 partitions"), std::string::npos);
}

}  // namespace
}  // namespace autoriza::testing
