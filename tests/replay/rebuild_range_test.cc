// A rebuild bounded by --to-time / --to-seq is the state as of then: equal,
// table by table, to a live engine that ran the same commands and stopped
// there. Bounds that make no sense for a rebuild are refused.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/harness.h"
#include "tests/support/random_commands.h"
#include "replay/replay.h"
#include "engine/state_store.h"

namespace autoriza::testing {
namespace {

constexpr int kRangeSteps = 600;
constexpr int kStopAfter = 350;  // the live engine that stops early runs this many steps

std::vector<std::string> digests(const Journal& journal) {
  std::vector<std::string> out;
  for (StateTable t : kStateTables) {
    std::string hex;
    EXPECT_TRUE(journal.digest(t, &hex).is_ok());
    out.push_back(std::string(state_table_name(t)) + ":" + hex);
  }
  return out;
}

std::vector<std::string> digests_of(const std::filesystem::path& dir) {
  Status s;
  RocksJournalOptions ro;
  ro.read_only = true;
  auto journal = open_rocks_journal(dir, ro, &s);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return journal ? digests(*journal) : std::vector<std::string>{};
}

class RebuildTo : public ::testing::TestWithParam<std::tuple<uint64_t, int>> {
 protected:
  void SetUp() override {
    const auto [seed, partitions] = GetParam();
    full = std::make_unique<Harness>(PartitionId(partitions));
    stopped = std::make_unique<Harness>(PartitionId(partitions));
    RandomCommands gen(seed);
    for (int i = 0; i < kRangeSteps; ++i) {
      RandomStep s = gen.next();
      Json answer = full->run(s.command, s.body, s.at);
      if (i < kStopAfter) {
        EXPECT_EQ(stopped->run(s.command, s.body, s.at), answer) << "step " << i;
        // Retries carry an earlier time; they record nothing.
        if (!stop_at || *parse_instant(s.at) > *stop_at) stop_at = *parse_instant(s.at);
      }
      gen.observe(s, answer);
    }
    ASSERT_TRUE(full->service().catch_up_projections().is_ok());
    ASSERT_TRUE(stopped->service().catch_up_projections().is_ok());
    full->close();
    stopped->close();
    target = temp_dir("rebuild-to");
    std::filesystem::remove_all(target);
  }
  void TearDown() override { std::filesystem::remove_all(target); }

  std::unique_ptr<Harness> full, stopped;
  std::optional<Millis> stop_at;
  std::filesystem::path target;
};

TEST_P(RebuildTo, TimeGivesTheStateOfThen) {
  ReplayOptions options;
  options.verify = false;
  options.range.to_time = *stop_at;
  options.projections = true;
  ReplayReport report;
  ASSERT_TRUE(replay_store(full->dir(), target, options, &report).is_ok());
  EXPECT_FALSE(report.verified);
  EXPECT_LE(report.last_time_ms, stop_at->value);
  EXPECT_EQ(digests_of(target), digests_of(stopped->dir()));
  EXPECT_NE(digests_of(target), digests_of(full->dir()));
  // The projections as of then too.
  ASSERT_TRUE(report.projections);
  EXPECT_FALSE(report.projections->compared);
  Status s;
  RocksJournalOptions ro;
  ro.read_only = true;
  auto stopped_log = open_rocks_journal(stopped->dir(), ro, &s);
  ASSERT_TRUE(s.is_ok());
  ProjectionRebuild then;
  compare_live_projections(*stopped_log, stopped->dir() / "projections", &then);
  ASSERT_TRUE(then.compared) << then.not_compared;
  EXPECT_EQ(report.projections->digest, then.live_digest);
}

TEST_P(RebuildTo, SequenceGivesTheStateOfThen) {
  // Per stream: each partition's last sequence in the stopped store.
  const auto [seed, partitions] = GetParam();
  ReplayOptions options;
  options.verify = false;
  {
    Status s;
    RocksJournalOptions ro;
    ro.read_only = true;
    auto journal = open_rocks_journal(stopped->dir(), ro, &s);
    ASSERT_TRUE(s.is_ok());
    for (PartitionId p = 0; p < partitions; ++p) {
      Sequence last = 0;
      ASSERT_TRUE(read_stream_meta(*journal, p, &last).is_ok());
      ASSERT_GT(last, 0u);
      ASSERT_TRUE(add_seq_bound(std::to_string(p) + "=" + std::to_string(last), false, &options.range).is_ok());
    }
  }
  ReplayReport report;
  ASSERT_TRUE(replay_store(full->dir(), target, options, &report).is_ok());
  EXPECT_EQ(digests_of(target), digests_of(stopped->dir()));
}

TEST_P(RebuildTo, UnboundedVerifiesAgainstLive) {
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  ReplayOptions options;
  options.progress = [&](uint64_t done, uint64_t total) { calls.emplace_back(done, total); };
  options.projections = true;
  ReplayReport report;
  ASSERT_TRUE(replay_store(full->dir(), target, options, &report).is_ok());
  EXPECT_TRUE(report.verified);
  EXPECT_TRUE(report.equal());
  ASSERT_TRUE(report.projections);
  EXPECT_TRUE(report.projections->compared) << report.projections->not_compared;
  EXPECT_TRUE(report.projections->equal());
  EXPECT_EQ(report.projections->events, report.events);
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back(), std::make_pair(report.events, report.events));
}

INSTANTIATE_TEST_SUITE_P(Seeds, RebuildTo, ::testing::Values(std::make_tuple(7u, 1), std::make_tuple(8u, 3)));

TEST(RebuildOptions, RefusesFromBoundsVerifyWithToAndNonEmptyTargets) {
  Harness h;
  h.close();
  const auto target = temp_dir("rebuild-opts");
  ReplayReport report;
  ReplayOptions from;
  from.verify = false;
  from.range.from_time = Millis{0};
  Status s = replay_store(h.dir(), target / "a", from, &report);
  EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(s.field(), "--from");
  ReplayOptions verify_to;
  verify_to.range.to_seq_all = 10;
  EXPECT_EQ(replay_store(h.dir(), target / "b", verify_to, &report).field(), "--verify");
  std::ofstream(target / "file") << "x";
  EXPECT_EQ(replay_store(h.dir(), target, ReplayOptions{}, &report).field(), "--into");
  std::filesystem::remove_all(target);
}

}  // namespace
}  // namespace autoriza::testing
