// autoriza.reference: a load publishes what is new or changed, every role
// reads the topic to its end before serving and follows later updates; its
// reference table equals a store loaded from the same files.
#include <gtest/gtest.h>

#include <thread>

#include "tests/support/crash_process.h"
#include "adapters/dev/dev_cluster.h"
#include "engine/core/reference_loader.h"
#include "adapters/kafka/reference_topic.h"
#include "engine/state_store.h"

namespace autoriza::testing {
namespace {

constexpr int64_t kLoadedAt = 1'764'000'000'000;  // a fixed load time, ms

class ReferenceTopic : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s;
    broker_ = kafka::DevBroker::start({}, &s);
    ASSERT_TRUE(broker_) << s.to_string();
    ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, Reference());
    ASSERT_TRUE(load.ok());
    records_ = std::move(load.records);
    ASSERT_FALSE(records_.empty());
  }

  std::unique_ptr<Engine> open_store(const std::string& name) {
    EngineOptions like;
    like.sync = false;
    Status s;
    auto engine = kafka::open_worker_engine(tmp_.path() / name, like, {}, &s);
    EXPECT_TRUE(engine) << s.to_string();
    return engine;
  }

  static std::string reference_digest(Engine& engine) {
    std::string hex;
    EXPECT_TRUE(engine.journal().digest(StateTable::kReference, &hex).is_ok());
    return hex;
  }

  // Writes one record as a load writes it, without the load's mark; Kafka's
  // timestamp for it is written_ms.
  void write_without_mark(const fb::ReferenceRecordUnion& record, int64_t at_ms, int64_t written_ms) {
    Status s;
    kafka::Handle producer = kafka::make_producer(broker_->bootstrap(), {}, nullptr, nullptr, &s);
    ASSERT_TRUE(producer) << s.to_string();
    const std::string key = Reference::record_key(record);
    const std::string value = encode_reference_value(record, at_ms);
    ASSERT_EQ(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(kafka::kReferenceTopic), RD_KAFKA_V_PARTITION(0),
                                RD_KAFKA_V_KEY(key.data(), key.size()),
                                RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
                                RD_KAFKA_V_TIMESTAMP(written_ms), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
    ASSERT_EQ(rd_kafka_flush(producer.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  }

  fb::ReferenceRecordUnion a_practice() const {
    fb::ReferenceRecordUnion practice;
    for (const auto& r : records_) {
      if (r.type == fb::ReferenceRecord::Practice) practice = r;
    }
    EXPECT_EQ(practice.type, fb::ReferenceRecord::Practice);
    return practice;
  }

  crash::TempDir tmp_{"reference-topic"};
  std::unique_ptr<kafka::DevBroker> broker_;
  std::vector<fb::ReferenceRecordUnion> records_;
};

TEST_F(ReferenceTopic, PublishesOnlyWhatIsNewOrChanged) {
  ReferenceLoadStats first;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), records_, kLoadedAt, &first).is_ok());
  EXPECT_EQ(first.added, records_.size());
  EXPECT_EQ(first.updated + first.unchanged, 0u);

  ReferenceLoadStats again;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), records_, kLoadedAt + 1, &again).is_ok());
  EXPECT_EQ(again.unchanged, records_.size());
  EXPECT_EQ(again.added + again.updated, 0u);

  std::vector<fb::ReferenceRecordUnion> changed = {records_.back()};
  for (const auto& r : records_) {
    if (r.type == fb::ReferenceRecord::Practice) {
      changed[0] = r;
      changed[0].AsPractice()->professional_fee_cents += 100;
      break;
    }
  }
  ASSERT_EQ(changed[0].type, fb::ReferenceRecord::Practice);
  ReferenceLoadStats update;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), changed, kLoadedAt + 2, &update).is_ok());
  EXPECT_EQ(update.updated, 1u);

  Status s;
  kafka::Handle reader = kafka::reference_reader(broker_->bootstrap(), &s);
  ASSERT_TRUE(reader) << s.to_string();
  std::map<std::string, kafka::ReferenceEntry> read;
  int64_t next = 0;
  ASSERT_TRUE(kafka::read_reference_topic(reader.get(), &read, &next).is_ok());
  EXPECT_EQ(read.size(), records_.size());
  EXPECT_EQ(next, int64_t(records_.size()) + 1 + 3);  // and each load's mark
  const kafka::ReferenceEntry& practice = read.at(Reference::record_key(changed[0]));
  EXPECT_EQ(practice.at_ms, kLoadedAt + 2);
  EXPECT_EQ(practice.record.AsPractice()->professional_fee_cents, changed[0].AsPractice()->professional_fee_cents);
}

TEST_F(ReferenceTopic, FollowerLoadsTheTopicThenItsUpdatesAndSkipsGarbage) {
  ReferenceLoadStats stats;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), records_, kLoadedAt, &stats).is_ok());
  // A message that is not a reference record: logged with its offset, skipped.
  Status s;
  kafka::Handle producer = kafka::make_producer(broker_->bootstrap(), {}, nullptr, nullptr, &s);
  ASSERT_TRUE(producer) << s.to_string();
  ASSERT_EQ(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(kafka::kReferenceTopic), RD_KAFKA_V_PARTITION(0),
                              RD_KAFKA_V_KEY("plan:X", 6), RD_KAFKA_V_VALUE(const_cast<char*>("garbage!!"), 9),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END),
            RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);

  auto from_topic = open_store("from-topic");
  auto from_files = open_store("from-files");
  ASSERT_TRUE(from_topic && from_files);
  ASSERT_TRUE(from_files->load_reference(records_, &stats, Millis{kLoadedAt}).is_ok());
  {
    kafka::ReferenceFollower follower(*from_topic, broker_->bootstrap());
    ASSERT_TRUE(follower.start().is_ok());
    EXPECT_EQ(follower.loaded(), records_.size());
    EXPECT_EQ(reference_digest(*from_topic), reference_digest(*from_files));

    // An update published later reaches the running follower.
    fb::ReferenceRecordUnion practice = a_practice();
    ASSERT_EQ(practice.type, fb::ReferenceRecord::Practice);
    practice.AsPractice()->description += " (revisada)";
    ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), {practice}, kLoadedAt + 60'000, &stats).is_ok());
    ASSERT_TRUE(from_files->load_reference({practice}, &stats, Millis{kLoadedAt + 60'000}).is_ok());
    const std::string code = practice.AsPractice()->code;
    const auto deadline = crash::Clock::now() + std::chrono::seconds(20);
    while (from_topic->reference()->practice(code)->description != practice.AsPractice()->description &&
           crash::Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(from_topic->reference()->practice(code)->description, practice.AsPractice()->description);
    EXPECT_EQ(reference_digest(*from_topic), reference_digest(*from_files));
  }
  // Restarted on its store: the loads are read again in order (to know
  // which data was in force when); the store ends as it was.
  kafka::ReferenceFollower again(*from_topic, broker_->bootstrap());
  ASSERT_TRUE(again.start().is_ok());
  EXPECT_EQ(again.marks(), 2u);
  EXPECT_EQ(reference_digest(*from_topic), reference_digest(*from_files));
}

// Two validators, one reading the topic before a change is published and one
// after, decide with the same data for every command time: the data of a load
// is in force from the time its mark names, whoever reads it and whenever.
TEST_F(ReferenceTopic, ALoadIsInForceFromItsMarkWhoeverReadsItAndWhenever) {
  ReferenceLoadStats stats;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), records_, kLoadedAt, &stats).is_ok());
  auto early = open_store("early");
  auto late = open_store("late");
  ASSERT_TRUE(early && late);
  kafka::ReferenceFollower early_follower(*early, broker_->bootstrap(), /*settle_ms=*/1'000);
  ASSERT_TRUE(early_follower.start().is_ok());

  fb::ReferenceRecordUnion practice = a_practice();
  ASSERT_EQ(practice.type, fb::ReferenceRecord::Practice);
  const std::string code = practice.AsPractice()->code;
  const int64_t fee = practice.AsPractice()->professional_fee_cents;
  practice.AsPractice()->professional_fee_cents = fee + 100;
  int64_t in_force = 0;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), {practice}, kLoadedAt + 60'000, &stats, nullptr, &in_force,
                                       /*settle_ms=*/1'000)
                  .is_ok());
  ASSERT_GT(in_force, 0);
  kafka::ReferenceFollower late_follower(*late, broker_->bootstrap(), /*settle_ms=*/1'000);
  ASSERT_TRUE(late_follower.start().is_ok());
  const auto deadline = crash::Clock::now() + std::chrono::seconds(20);
  while (early_follower.marks() < 2 && crash::Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(early_follower.marks(), 2u);
  for (Engine* engine : {early.get(), late.get()}) {
    const ReferenceEras eras = engine->reference_eras();
    // The first load is in force for every time; the change from its mark on.
    EXPECT_EQ(reference_in_force(*eras, Millis{kLoadedAt - 86'400'000}).practice(code)->professional_fee_cents, fee);
    EXPECT_EQ(reference_in_force(*eras, Millis{in_force - 1}).practice(code)->professional_fee_cents, fee);
    EXPECT_EQ(reference_in_force(*eras, Millis{in_force}).practice(code)->professional_fee_cents, fee + 100);
    EXPECT_EQ(engine->reference()->practice(code)->professional_fee_cents, fee + 100);  // reads: the latest
  }
  // Both read the topic to its end at start: a command stamped a few seconds
  // ago may be decided (with 1 s of settle, "now" must wait for the next look
  // at the topic's end); a follower that never read it may decide nothing.
  const Millis recent{wall_clock_now().value - 5'000};
  EXPECT_TRUE(early_follower.ready_for(recent));
  EXPECT_TRUE(late_follower.ready_for(recent));
  kafka::ReferenceFollower unread(*late, broker_->bootstrap(), /*settle_ms=*/1'000);
  EXPECT_FALSE(unread.ready_for(recent));
}

// A load's records without their mark (the load was interrupted) are not in
// force; the next load's mark puts them in force with its own records. The
// load's stamp may be long past (a load stamped with an earlier date): the
// records still wait, for their age is when Kafka took them.
TEST_F(ReferenceTopic, RecordsWithoutTheirMarkWaitForTheNextMark) {
  ReferenceLoadStats stats;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), records_, kLoadedAt, &stats).is_ok());
  auto store = open_store("follower");
  ASSERT_TRUE(store);
  kafka::ReferenceFollower follower(*store, broker_->bootstrap(), /*settle_ms=*/1'000);
  ASSERT_TRUE(follower.start().is_ok());
  fb::ReferenceRecordUnion practice = a_practice();
  const std::string code = practice.AsPractice()->code;
  practice.AsPractice()->description += " (sin marca)";
  // Written as a load writes its records, then the load "dies" before its mark.
  write_without_mark(practice, kLoadedAt + 1'000, wall_clock_now().value);
  std::this_thread::sleep_for(std::chrono::milliseconds(1'500));  // read (and looked at twice) by now
  EXPECT_NE(store->reference()->practice(code)->description, practice.AsPractice()->description);
  // The next load (nothing changed in it) writes its mark: now it is in force.
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), {}, kLoadedAt + 2'000, &stats).is_ok());
  const auto deadline = crash::Clock::now() + std::chrono::seconds(20);
  while (store->reference()->practice(code)->description != practice.AsPractice()->description &&
         crash::Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(store->reference()->practice(code)->description, practice.AsPractice()->description);
}

// Records Kafka took long ago with no mark after them were written by an
// `autoriza load` from before marks: they are in force from their own stamp.
TEST_F(ReferenceTopic, RecordsFromBeforeMarksAreInForceFromTheirStamp) {
  ReferenceLoadStats stats;
  ASSERT_TRUE(kafka::publish_reference(broker_->bootstrap(), records_, kLoadedAt, &stats).is_ok());
  fb::ReferenceRecordUnion practice = a_practice();
  const std::string code = practice.AsPractice()->code;
  const std::string before = practice.AsPractice()->description;
  practice.AsPractice()->description += " (carga antigua)";
  const int64_t stamp = kLoadedAt + 5'000;
  write_without_mark(practice, stamp, wall_clock_now().value - kafka::ReferenceFollower::kUnmarkedMs - 60'000);
  auto store = open_store("follower");
  ASSERT_TRUE(store);
  kafka::ReferenceFollower follower(*store, broker_->bootstrap(), /*settle_ms=*/1'000);
  ASSERT_TRUE(follower.start().is_ok());
  EXPECT_EQ(store->reference()->practice(code)->description, practice.AsPractice()->description);
  const ReferenceEras eras = store->reference_eras();
  EXPECT_EQ(reference_in_force(*eras, Millis{stamp - 1}).practice(code)->description, before);
  EXPECT_EQ(reference_in_force(*eras, Millis{stamp}).practice(code)->description, practice.AsPractice()->description);
}

}  // namespace
}  // namespace autoriza::testing
