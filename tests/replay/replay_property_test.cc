// Property: for random command streams, replaying the event log into a fresh
// store gives byte-identical state (every state table's digest), and a store
// closed and reopened mid-stream answers exactly like one that never was.
#include <gtest/gtest.h>

#include "tests/support/harness.h"
#include "tests/support/random_commands.h"
#include "replay/replay.h"

#include <iostream>
#include <map>

namespace autoriza::testing {
namespace {

constexpr int kPropertySteps = 1500;

std::vector<std::string> digests(Journal& journal) {
  std::vector<std::string> out;
  for (StateTable t : kStateTables) {
    std::string hex;
    EXPECT_TRUE(journal.digest(t, &hex).is_ok());
    out.push_back(std::string(state_table_name(t)) + ":" + hex);
  }
  return out;
}

class ReplayProperty : public ::testing::TestWithParam<std::tuple<uint64_t, int>> {};

TEST_P(ReplayProperty, ReplayRebuildsIdenticalState) {
  const auto [seed, partitions] = GetParam();
  Harness h{PartitionId(partitions)};
  RandomCommands gen(seed);
  int answered = 0;
  std::map<std::string, int> outcomes;  // "command status"
  for (int i = 0; i < kPropertySteps; ++i) {
    RandomStep s = gen.next();
    Json answer = h.run(s.command, s.body, s.at);
    answered += h.last_status() == 200;
    outcomes[s.command + " " + (answer.contains("status") ? answer["status"].get<std::string>() : std::to_string(h.last_status()))]++;
    gen.observe(s, answer);
  }
  EXPECT_GT(answered, kPropertySteps / 2);
  // The stream must have changed state in every way replay has to rebuild.
  for (const char* kind : {"authorize AUTHORIZED", "authorize AUDIT_PENDING", "consume ACCEPTED", "annul ANNULLED",
                           "audit_verdict DOCS_REQUESTED", "eligibility ELIGIBLE"}) {
    EXPECT_GT(outcomes[kind], 0) << kind;
  }
  EXPECT_GT(outcomes["audit_verdict AUTHORIZED"] + outcomes["audit_verdict PARTIALLY_AUTHORIZED"], 0);
  for (const auto& [k, n] : outcomes) std::cout << "  " << k << ": " << n << "\n";
  const std::vector<std::string> live = digests(h.engine().journal());
  h.close();
  const auto target = temp_dir("replay");
  std::filesystem::remove_all(target);
  ReplayReport report;
  ASSERT_TRUE(replay_store(h.dir(), target, &report).is_ok());
  EXPECT_GT(report.events, uint64_t(kPropertySteps / 2));
  for (const auto& d : report.digests) EXPECT_TRUE(d.equal()) << d.table << " differs after replay";
  EXPECT_TRUE(report.equal());
  // Reopening the rebuilt store restores the same state again.
  Harness rebuilt{PartitionId(partitions), target};
  EXPECT_EQ(digests(rebuilt.engine().journal()), live);
  rebuilt.close();
  std::filesystem::remove_all(target);
}

TEST_P(ReplayProperty, RestartAnswersLikeNoRestart) {
  const auto [seed, partitions] = GetParam();
  Harness straight{PartitionId(partitions)};
  Harness restarted{PartitionId(partitions)};
  RandomCommands gen(seed + 1000);
  for (int i = 0; i < kPropertySteps; ++i) {
    if (i % 500 == 250) restarted.open(PartitionId(partitions));  // close and recover from the store alone
    RandomStep s = gen.next();
    Json a = straight.run(s.command, s.body, s.at);
    Json b = restarted.run(s.command, s.body, s.at);
    ASSERT_EQ(a, b) << "step " << i << " " << s.command << " " << s.body.dump();
    gen.observe(s, a);
  }
  EXPECT_EQ(digests(straight.engine().journal()), digests(restarted.engine().journal()));
}

INSTANTIATE_TEST_SUITE_P(Seeds, ReplayProperty,
                         ::testing::Values(std::make_tuple(1u, 1), std::make_tuple(2u, 1), std::make_tuple(3u, 3),
                                           std::make_tuple(4u, 4)));

}  // namespace
}  // namespace autoriza::testing
