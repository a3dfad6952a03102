// Stores that fold autoriza.events (a validator catching up, a gateway
// mirror) resume at the cursor they recorded with the events they applied,
// and distrust a cursor the topic does not match.
#include <gtest/gtest.h>

#include "adapters/kafka/events_cursor.h"
#include "tests/kafka/kafka_rig.h"
#include "engine/state_store.h"

namespace autoriza::testing {
namespace {

std::unique_ptr<Engine> open_store(KafkaRig& rig, const std::filesystem::path& dir) {
  Status s;
  auto engine = kafka::open_worker_engine(dir, rig.gateway().engine().options(), {}, &s);
  EXPECT_TRUE(engine) << s.to_string();
  return engine;
}

TEST(KafkaCursor, CursorsAreNotStateAndStayOutOfDigests) {
  // A store's cursor says where it read a topic, not what the events led to:
  // a replay of its log (or an embedded twin) has none and must still match.
  KafkaRig rig;
  auto store = open_store(rig, rig.gateway().dir() / "plain");  // no worker writes to it
  ASSERT_TRUE(store);
  Engine& worker = *store;
  std::string before, after;
  ASSERT_TRUE(worker.journal().digest(StateTable::kMeta, &before).is_ok());
  CommitBatch batch;
  write_topic_cursor(0, {12345, 99}, batch);
  ASSERT_TRUE(worker.journal().commit(batch).is_ok());
  ASSERT_TRUE(worker.journal().digest(StateTable::kMeta, &after).is_ok());
  EXPECT_EQ(after, before);
  TopicCursor read;
  ASSERT_TRUE(read_topic_cursor(worker.journal(), 0, &read).is_ok());
  EXPECT_EQ(read.next_offset, 12345);
  EXPECT_EQ(read.sequence, 99u);
}

TEST(KafkaCursor, ValidatorDistrustsACursorTheTopicDoesNotMatch) {
  KafkaRig rig;
  for (int i = 0; i < 30; ++i) rig.run(i);
  const Sequence before = rig.cluster().worker_engine(0).committed_sequence(0);
  rig.cluster().kill_worker(0, /*lose_disk=*/false);
  {
    // As if the store had followed another topic: the event before the cursor
    // carries another sequence.
    auto engine = open_store(rig, rig.gateway().dir() / "cluster" / "validator-0");
    ASSERT_TRUE(engine);
    CommitBatch batch;
    write_topic_cursor(0, {int64_t(before), before + 7}, batch);
    ASSERT_TRUE(engine->journal().commit(batch).is_ok());
  }
  ASSERT_TRUE(rig.cluster().start_worker(0).is_ok());
  EXPECT_GE(rig.cluster().worker(0).stats().caught_up, before);  // read from the start instead
  for (int i = 30; i < 50; ++i) rig.run(i);
  rig.expect_same_state(0);
}

TEST(KafkaCursor, RestartedMirrorResumesAtItsCursor) {
  KafkaRig rig;
  for (int i = 0; i < 40; ++i) rig.run(i);
  ASSERT_TRUE(rig.cluster().sync().is_ok());
  const Sequence events = rig.cluster().worker_engine(0).committed_sequence(0);
  const std::filesystem::path dir = rig.gateway().dir() / "mirror-2";
  const std::string brokers = rig.cluster().broker().bootstrap();
  {
    auto mirror = open_store(rig, dir);
    ASSERT_TRUE(mirror);
    kafka::EventFollower follower(*mirror, brokers);
    ASSERT_TRUE(follower.start().is_ok());
    ASSERT_TRUE(follower.sync().is_ok());
    EXPECT_EQ(follower.applied(), events);
  }
  for (int i = 40; i < 60; ++i) rig.run(i);
  ASSERT_TRUE(rig.cluster().sync().is_ok());
  const Sequence now = rig.cluster().worker_engine(0).committed_sequence(0);
  ASSERT_GT(now, events);
  {
    auto mirror = open_store(rig, dir);
    ASSERT_TRUE(mirror);
    kafka::EventFollower follower(*mirror, brokers);
    ASSERT_TRUE(follower.start().is_ok());
    ASSERT_TRUE(follower.sync().is_ok());
    EXPECT_EQ(follower.applied(), now - events);  // only what came after the restart
    EXPECT_EQ(follower.duplicates(), 0u);         // nothing before the cursor read again
    EXPECT_EQ(mirror->committed_sequence(0), now);
  }
  {
    // A cursor the topic does not match (sequence 999 at offset 0) is ignored.
    auto mirror = open_store(rig, dir);
    ASSERT_TRUE(mirror);
    CommitBatch batch;
    write_topic_cursor(0, {1, 999}, batch);
    ASSERT_TRUE(mirror->journal().commit(batch).is_ok());
    kafka::EventFollower follower(*mirror, brokers);
    ASSERT_TRUE(follower.start().is_ok());
    ASSERT_TRUE(follower.sync().is_ok());
    EXPECT_EQ(follower.applied(), 0u);
    EXPECT_GE(follower.duplicates(), now);  // read again from the beginning
  }
}

}  // namespace
}  // namespace autoriza::testing
