// autoriza.reference: a load publishes what is new or changed, every role
// reads the topic to its end before serving and follows later updates; its
// reference table equals a store loaded from the same files.
#include <gtest/gtest.h>

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
  EXPECT_EQ(next, int64_t(records_.size()) + 1);
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
    fb::ReferenceRecordUnion practice;
    for (const auto& r : records_) {
      if (r.type == fb::ReferenceRecord::Practice) practice = r;
    }
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
  // Restarted on its store: the records are there already; nothing is recorded again.
  kafka::ReferenceFollower again(*from_topic, broker_->bootstrap());
  ASSERT_TRUE(again.start().is_ok());
  EXPECT_EQ(again.loaded(), 0u);
}

}  // namespace
}  // namespace autoriza::testing
