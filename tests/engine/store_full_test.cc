// A full disk (engine/store_health.h, partition.h): a commit that fails is
// not acknowledged and leaves no state ahead of the store; commands are
// refused with 503 STORE_FULL while reads go on; once the store takes writes
// again the partition reloads its state from it and takes commands, and the
// store replays to the very state it holds. The disk is a journal that fails
// its commits while `full` is set (tests/support/full_disk_journal.h;
// tests/ops/disk_full_test.sh fills a real one).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "replay/replay.h"
#include "tests/support/full_disk_journal.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

Json full_disk_authorize(const std::string& id, const std::string& code) {
  return {{"request_id", id}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"prescribed_on", "2026-10-30"},
          {"prescriber", {{"kind", "MD"}, {"license", "1234"}}}, {"items", {{{"code", code}}}}};
}

struct FullDisk {
  FullDiskJournal* journal = nullptr;
  Harness h{1, {}, [this](EngineOptions& o) {
              o.store_check_period = std::chrono::milliseconds(0);  // checked by the test
              o.disk_reserve_bytes = 0;
              o.wrap_journal = full_disk_wrapper(&journal);
            }};
};

// Checks until the store takes commands again (the partition reloads on its writer thread).
bool wait_writable(Engine& engine) {
  for (int i = 0; i < 200; ++i) {
    engine.check_store();
    if (engine.store_health().writable) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(StoreFull, RefusesWritesKeepsReadsAndResumesWithStateEqualToTheStore) {
  FullDisk disk;
  Harness& h = disk.h;
  const Json first = h.run("authorize", full_disk_authorize("r1", "000118"), kAt);
  ASSERT_EQ(h.last_status(), 200) << first;

  disk.journal->full = true;
  Json refused = h.run("authorize", full_disk_authorize("r2", "000012"), kAt);  // decided, applied, never committed
  EXPECT_EQ(h.last_status(), 503) << refused;
  EXPECT_EQ(refused["error"]["code"], "STORE_FULL") << refused;
  EXPECT_NE(refused["error"]["message"].get<std::string>().find("disco"), std::string::npos) << refused;
  EXPECT_EQ(h.engine().stats()[0].failed_commits, 1u);

  h.engine().check_store();
  StoreHealthReport health = h.engine().store_health();
  EXPECT_FALSE(health.writable);
  EXPECT_NE(health.reason.find("lleno"), std::string::npos) << health.reason;
  refused = h.run("eligibility", {{"request_id", "e1"}, {"provider", "LAB127"}, {"credential", "110000783851"}}, kAt);
  EXPECT_EQ(h.last_status(), 503) << refused;
  EXPECT_EQ(refused["error"]["code"], "STORE_FULL");
  EXPECT_GE(h.engine().store_health().refused_writes, 1u);
  // Reads go on.
  const Json read = h.get("/v1/transactions/" + first["transaction"].get<std::string>());
  EXPECT_EQ(h.last_status(), 200) << read;
  const Json health_page = h.request("GET", "/healthz", nullptr, kAt);
  EXPECT_EQ(health_page["status"], "degraded") << health_page;
  EXPECT_EQ(health_page["store"]["writable"], false) << health_page;

  disk.journal->full = false;
  ASSERT_TRUE(wait_writable(h.engine())) << h.engine().store_health().reason;
  EXPECT_EQ(h.engine().stats()[0].reloads, 1u);
  // The request whose commit failed was never recorded: it is decided afresh
  // (its idempotency key was forgotten), under the sequence it could not take.
  const Json second = h.run("authorize", full_disk_authorize("r2", "000012"), kAt);
  ASSERT_EQ(h.last_status(), 200) << second;
  const Json recorded = h.get("/v1/transactions/" + second["transaction"].get<std::string>());
  EXPECT_EQ(h.last_status(), 200) << recorded;
  EXPECT_NE(recorded.dump().find("\"r2\""), std::string::npos) << recorded;
  EXPECT_EQ(h.run("authorize", full_disk_authorize("r1", "000118"), kAt), first);  // a retry: the first answer
  EXPECT_EQ(h.request("GET", "/healthz", nullptr, kAt)["status"], "ok");

  // The store holds exactly what the events lead to.
  h.close();
  const auto target = temp_dir("store-full-replay");
  std::filesystem::remove_all(target);
  ReplayReport report;
  ASSERT_TRUE(replay_store(h.dir(), target, &report).is_ok());
  EXPECT_TRUE(report.equal());
  std::filesystem::remove_all(target);
}

// Below the reserve nothing reaches the journal: refused up front.
TEST(StoreFull, BelowTheReserveCommandsAreRefusedBeforeDeciding) {
  Harness h;
  h.close();
  EngineOptions o;
  o.store = h.dir();
  o.sync = false;
  o.store_check_period = std::chrono::milliseconds(0);
  o.disk_reserve_bytes = ~uint64_t(0) >> 1;  // more than any disk has free
  Status s;
  std::unique_ptr<Engine> engine = Engine::open(o, &s);
  ASSERT_TRUE(engine) << s.to_string();
  EXPECT_FALSE(engine->store_health().writable);
  fb::CommandUnion command;
  ASSERT_TRUE(decode_command("eligibility", Json{{"request_id", "e1"}, {"provider", "LAB127"}, {"credential", "110000783851"}},
                             &command).is_ok());
  const Outcome refused = engine->execute(std::move(command), *parse_instant(kAt));
  EXPECT_EQ(refused.status.kind(), StatusKind::kStoreFull);
  EXPECT_NE(refused.status.message().find("reserva"), std::string::npos) << refused.status.message();
  EXPECT_EQ(engine->stats()[0].commands, 0u);
  EXPECT_EQ(engine->store_health().refused_writes, 1u);
}

}  // namespace
}  // namespace autoriza::testing
