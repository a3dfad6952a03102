// Gateway -> Kafka (dev broker) -> validators -> answer, against the
// embedded engine fed the same commands: same answers, same state digests,
// no effect applied twice, nothing acknowledged lost.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/kafka/kafka_rig.h"
#include "tests/support/full_disk_journal.h"
#include "engine/core/ids.h"
#include "engine/state_store.h"

namespace autoriza::testing {
namespace {

TEST(KafkaCluster, AnswersAndStateEqualEmbedded) {
  KafkaRig rig;
  for (int i = 0; i < 120; ++i) rig.run(i);
  rig.expect_same_state(0);
  // Answers come only after their event is in Kafka: the gateway's mirror,
  // folded from the topic alone, has every answered transaction.
  EXPECT_EQ(rig.gateway().engine().committed_sequence(0), rig.embedded().engine().committed_sequence(0));
}

TEST(KafkaCluster, RetryOfAnsweredRequestGetsOriginalAnswer) {
  KafkaRig rig;
  for (int i = 0; i < 10; ++i) rig.run(i);
  auto [command, body, at] = command_at(4);
  Json again = rig.gateway().run(command, body, at);
  EXPECT_EQ(again, rig.embedded().run(command, body, at));
  body["items"] = Json::array({Json{{"code", "000118"}}});
  Json reused = rig.gateway().run(command, body, at);
  EXPECT_EQ(rig.gateway().last_status(), 409) << reused.dump();
  rig.expect_same_state(0);
}

TEST(KafkaCluster, RequestIdReusedOnAPartitionOfAnotherValidatorIs409) {
  KafkaRig rig({}, /*partitions=*/2);  // validator 0 owns partition 0, validator 1 partition 1
  const char* credentials[] = {"110000783851", "110000783852", "110000783853", "110000783854", "220000100001"};
  std::string first, other;
  for (const char* c : credentials) {
    if (first.empty()) {
      first = c;
    } else if (partition_of_credential(c, 2) != partition_of_credential(first, 2)) {
      other = c;
      break;
    }
  }
  ASSERT_FALSE(other.empty());
  Json body{{"request_id", "reused-1"}, {"provider", "LAB127"}, {"credential", first}};
  EXPECT_EQ(rig.gateway().run("eligibility", body, kAt), rig.embedded().run("eligibility", body, kAt));
  ASSERT_TRUE(rig.cluster().sync().is_ok());  // the first use is in the gateway's mirror
  body["credential"] = other;                  // routed to the other validator's partition
  const Json embedded = rig.embedded().run("eligibility", body, kAt);
  EXPECT_EQ(rig.embedded().last_status(), 409) << embedded.dump();
  EXPECT_EQ(rig.gateway().run("eligibility", body, kAt), embedded);
  EXPECT_EQ(rig.gateway().last_status(), 409);
  // Nothing was recorded for the refused reuse: the mirror equals the embedded twin.
  ASSERT_TRUE(rig.cluster().sync().is_ok());
  for (StateTable t : {StateTable::kIdempotency, StateTable::kOrders}) {
    std::string want, mirror;
    ASSERT_TRUE(rig.embedded().engine().journal().digest(t, &want).is_ok());
    ASSERT_TRUE(rig.gateway().engine().journal().digest(t, &mirror).is_ok());
    EXPECT_EQ(mirror, want) << state_table_name(t);
  }
  for (PartitionId p = 0; p < 2; ++p) {
    EXPECT_EQ(rig.gateway().engine().committed_sequence(p), rig.embedded().engine().committed_sequence(p));
  }
}

// Without a mirror (a forwarding gateway) and without waiting for any
// follower, the claim of the request id in autoriza.claims refuses the reuse:
// the first claim in the log wins, whoever reads it.
TEST(KafkaCluster, RequestIdReusedOnAnotherPartitionIs409WithoutAMirror) {
  kafka::DevClusterOptions options;
  options.mirror = false;
  KafkaRig rig(options, /*partitions=*/2);
  const std::string first = "110000783851";
  std::string other;
  for (const char* c : {"110000783852", "110000783853", "110000783854", "220000100001"}) {
    if (partition_of_credential(c, 2) != partition_of_credential(first, 2)) {
      other = c;
      break;
    }
  }
  ASSERT_FALSE(other.empty());
  Json body{{"request_id", "reused-2"}, {"provider", "LAB127"}, {"credential", first}};
  const Json answer = rig.gateway().run("eligibility", body, kAt);
  ASSERT_EQ(rig.gateway().last_status(), 200) << answer.dump();
  Json reused = body;
  reused["credential"] = other;
  const Json refused = rig.gateway().run("eligibility", reused, kAt);
  EXPECT_EQ(rig.gateway().last_status(), 409) << refused.dump();
  EXPECT_EQ(refused["error"]["code"], "REQUEST_ID_REUSED") << refused.dump();
  // The retry with the first body is answered with the original answer.
  EXPECT_EQ(rig.gateway().run("eligibility", body, kAt), answer);
  EXPECT_EQ(rig.gateway().last_status(), 200);
  // Another request id for the other credential goes through.
  reused["request_id"] = "fresh-2";
  rig.gateway().run("eligibility", reused, kAt);
  EXPECT_EQ(rig.gateway().last_status(), 200);
  ASSERT_NE(rig.cluster().gateway().claims(), nullptr);
  EXPECT_GE(rig.cluster().gateway().claims()->claims_sent(), 2u);
  EXPECT_EQ(rig.cluster().gateway().claims()->refused(), 1u);
}

// One partition: the gateway claims nothing (no round trip per command); the
// one validator's index refuses a reuse with another body, as embedded.
TEST(KafkaCluster, OnePartitionNeedsNoClaimAndStillRefusesAReuse) {
  kafka::DevClusterOptions options;
  options.mirror = false;
  KafkaRig rig(options, /*partitions=*/1);
  EXPECT_EQ(rig.cluster().gateway().claims(), nullptr);
  Json body{{"request_id", "reused-1"}, {"provider", "LAB127"}, {"credential", "110000783851"}};
  const Json answer = rig.gateway().run("eligibility", body, kAt);
  ASSERT_EQ(rig.gateway().last_status(), 200) << answer.dump();
  Json reused = body;
  reused["credential"] = "110000783852";
  const Json refused = rig.gateway().run("eligibility", reused, kAt);
  EXPECT_EQ(rig.gateway().last_status(), 409) << refused.dump();
  EXPECT_EQ(rig.gateway().run("eligibility", body, kAt), answer);
}

TEST(KafkaCluster, DuplicateEventMessagesAreAppliedOnce) {
  KafkaRig rig;
  for (int i = 0; i < 40; ++i) rig.run(i);
  ASSERT_TRUE(rig.cluster().sync().is_ok());
  const uint64_t applied = rig.cluster().follower().applied();
  // Write every event a second time (what a retried produce whose ack was
  // lost does on the mock), then fold again.
  Status s;
  kafka::Handle producer = kafka::make_producer(rig.cluster().broker().bootstrap(), {}, nullptr, nullptr, &s);
  ASSERT_TRUE(producer) << s.to_string();
  Engine& worker = rig.cluster().worker_engine(0);
  const Sequence last = worker.committed_sequence(0);
  ASSERT_GT(last, 0u);
  for (Sequence seq = 1; seq <= last; ++seq) {
    std::string bytes;
    ASSERT_TRUE(worker.journal().read_event(0, seq, &bytes).is_ok());
    ASSERT_EQ(rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC(kafka::kEventsTopic), RD_KAFKA_V_PARTITION(0),
                                RD_KAFKA_V_VALUE(bytes.data(), bytes.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                RD_KAFKA_V_END),
              RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  ASSERT_EQ(rd_kafka_flush(producer.get(), 10'000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(rig.cluster().sync().is_ok());
  EXPECT_EQ(rig.cluster().follower().applied(), applied);
  EXPECT_GE(rig.cluster().follower().duplicates(), last);
  // A worker that rebuilds from this topic applies each effect once too.
  rig.cluster().kill_worker(0, /*lose_disk=*/true);
  ASSERT_TRUE(rig.cluster().start_worker(0).is_ok());
  for (int i = 40; i < 60; ++i) rig.run(i);
  rig.expect_same_state(0);
}

TEST(KafkaCluster, LostDiskIsRebuiltFromTheEventsTopic) {
  KafkaRig rig;
  for (int i = 0; i < 80; ++i) rig.run(i);
  const Sequence before = rig.cluster().worker_engine(0).committed_sequence(0);
  rig.cluster().kill_worker(0, /*lose_disk=*/true);
  ASSERT_TRUE(rig.cluster().start_worker(0).is_ok());
  EXPECT_EQ(rig.cluster().worker_engine(0).committed_sequence(0), before);
  EXPECT_EQ(rig.cluster().worker(0).stats().caught_up, before);
  for (int i = 80; i < 120; ++i) rig.run(i);
  rig.expect_same_state(0);
}

TEST(KafkaCluster, RestartKeepingTheDiskResumesAfterTheLastCommand) {
  KafkaRig rig;
  for (int i = 0; i < 50; ++i) rig.run(i);
  rig.cluster().kill_worker(0, /*lose_disk=*/false);
  ASSERT_TRUE(rig.cluster().start_worker(0).is_ok());
  // Its own events were acknowledged before it stopped and its cursor stored
  // (cursor_test.cc): nothing of autoriza.events is read again.
  EXPECT_EQ(rig.cluster().worker(0).stats().caught_up, 0u);
  for (int i = 50; i < 90; ++i) rig.run(i);
  rig.expect_same_state(0);
}

// What a validator finds after a power cut: serve --kafka does not fsync the
// local store (Kafka's acknowledgement makes an answer durable), so the store
// may come back as an older, consistent prefix of what was acknowledged. The
// worker folds the rest from autoriza.events and resumes after the last
// command the topic answered: nothing is lost, nothing applied twice.
TEST(KafkaCluster, StoreOlderThanTheTopicCatchesUpFromIt) {
  KafkaRig rig;
  const std::filesystem::path store = rig.gateway().dir() / "cluster" / "validator-0";
  const std::filesystem::path older = rig.gateway().dir() / "validator-0.older";
  for (int i = 0; i < 40; ++i) rig.run(i);
  const Sequence at_copy = rig.cluster().worker_engine(0).committed_sequence(0);
  rig.cluster().kill_worker(0, /*lose_disk=*/false);
  std::filesystem::copy(store, older, std::filesystem::copy_options::recursive);
  ASSERT_TRUE(rig.cluster().start_worker(0).is_ok());
  for (int i = 40; i < 80; ++i) rig.run(i);
  const Sequence acknowledged = rig.cluster().worker_engine(0).committed_sequence(0);
  ASSERT_GT(acknowledged, at_copy);
  rig.cluster().kill_worker(0, /*lose_disk=*/true);
  std::filesystem::rename(older, store);
  ASSERT_TRUE(rig.cluster().start_worker(0).is_ok());
  EXPECT_EQ(rig.cluster().worker_engine(0).committed_sequence(0), acknowledged);
  EXPECT_EQ(rig.cluster().worker(0).stats().caught_up, acknowledged - at_copy);
  for (int i = 80; i < 120; ++i) rig.run(i);
  rig.expect_same_state(0);
}

TEST(KafkaCluster, InjectedProduceErrorsLoseNothingAndApplyNothingTwice) {
  AUTORIZA_SKIP_ON_REAL_KAFKA();
  KafkaRig rig;
  for (int i = 0; i < 20; ++i) rig.run(i);
  rd_kafka_mock_cluster_t* mock = rig.cluster().broker().cluster();
  // Produce requests (ApiKey 0) fail, then succeed: librdkafka retries them.
  rd_kafka_mock_push_request_errors(mock, 0, 6, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT);
  for (int i = 20; i < 60; ++i) rig.run(i);
  // Fetch requests (ApiKey 1) fail for a while: consumers retry.
  rd_kafka_mock_push_request_errors(mock, 1, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT);
  for (int i = 60; i < 100; ++i) rig.run(i);
  rig.expect_same_state(0);
}

// Partition 0 of commands and events led by mock broker 2, every replies
// partition by broker 3 (broker 1 leads nothing).
void lead_commands_and_events_on_2_replies_on_3(rd_kafka_mock_cluster_t* mock) {
  rd_kafka_mock_partition_set_leader(mock, kafka::kCommandsTopic, 0, 2);
  rd_kafka_mock_partition_set_leader(mock, kafka::kEventsTopic, 0, 2);
  for (int32_t p = 0; p < kafka::DevBrokerOptions{}.reply_partitions; ++p) {
    rd_kafka_mock_partition_set_leader(mock, kafka::kRepliesTopic, p, 3);
  }
}

TEST(KafkaCluster, LeaderBrokerDownAndUp) {
  AUTORIZA_SKIP_ON_REAL_KAFKA();
  kafka::DevClusterOptions options;
  options.timeout_ms = 3'000;
  KafkaRig rig(options);
  for (int i = 0; i < 20; ++i) rig.run(i);
  rd_kafka_mock_cluster_t* mock = rig.cluster().broker().cluster();
  // Move the leaders away from broker 1, take it down, work, bring it back.
  lead_commands_and_events_on_2_replies_on_3(mock);
  rd_kafka_mock_broker_set_down(mock, 1);
  for (int i = 20; i < 50; ++i) rig.run(i);
  rd_kafka_mock_broker_set_up(mock, 1);
  for (int i = 50; i < 70; ++i) rig.run(i);
  rig.expect_same_state(0);
}

// The broker leading autoriza.replies goes down while commands and events
// flow: the validator goes on deciding and producing events (replies have a
// producer of their own), drops the replies Kafka does not take within its
// reply timeout, and the switches' retries after the outage get the original
// answers.
TEST(KafkaCluster, RepliesBrokerDownDropsRepliesNotEvents) {
  AUTORIZA_SKIP_ON_REAL_KAFKA();
  kafka::DevClusterOptions options;
  options.timeout_ms = 1'500;
  options.reply_timeout_ms = 1'000;
  KafkaRig rig(options);
  for (int i = 0; i < 20; ++i) rig.run(i);
  rd_kafka_mock_cluster_t* mock = rig.cluster().broker().cluster();
  lead_commands_and_events_on_2_replies_on_3(mock);
  const uint64_t events_before = rig.cluster().worker(0).stats().events_produced;
  const Sequence sequence_before = rig.cluster().worker_engine(0).committed_sequence(0);
  rd_kafka_mock_broker_set_down(mock, 3);
  for (int i = 20; i < 23; ++i) {
    auto [command, body, at] = command_at(i);
    const Json got = rig.gateway().run(command, body, at);
    EXPECT_EQ(rig.gateway().last_status(), 504) << got.dump();
  }
  // Their events were decided, committed and acknowledged during the outage...
  const Sequence recorded = rig.cluster().worker_engine(0).committed_sequence(0) - sequence_before;
  EXPECT_GT(recorded, 0u);
  EXPECT_EQ(rig.cluster().worker(0).stats().events_produced, events_before + recorded);
  // ... and their replies are given up after the reply timeout.
  for (int t = 0; t < 100 && rig.cluster().worker(0).stats().replies_lost == 0; ++t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(rig.cluster().worker(0).stats().replies_lost, 1u);
  rd_kafka_mock_broker_set_up(mock, 3);
  for (int i = 20; i < 40; ++i) rig.run(i);  // 20-22: retries, answered from the idempotency index
  rig.expect_same_state(0);  // the retries recorded nothing twice
}

// The broker leading autoriza.events[0] goes down: the validator stops
// taking partition 0's commands once its events wait longer than the stall
// bound, tells the gateway, and the gateway answers 503 at once (nothing
// sent) instead of 504s after its timeout; the committer never blocks, a
// stop does not wait for the cluster, and after the outage everything
// acknowledged is there once, the retries answered from the index.
TEST(KafkaCluster, EventsLeaderDownGivesClear503sAndRecovers) {
  AUTORIZA_SKIP_ON_REAL_KAFKA();
  kafka::DevClusterOptions options;
  options.timeout_ms = 1'500;
  options.events_stall_ms = 500;
  KafkaRig rig(options);
  for (int i = 0; i < 10; ++i) rig.run(i);
  rd_kafka_mock_cluster_t* mock = rig.cluster().broker().cluster();
  rd_kafka_mock_partition_set_leader(mock, kafka::kCommandsTopic, 0, 1);
  rd_kafka_mock_partition_set_leader(mock, kafka::kClaimsTopic, 0, 1);
  rd_kafka_mock_partition_set_leader(mock, kafka::kEventsTopic, 0, 2);
  for (int32_t p = 0; p < kafka::DevBrokerOptions{}.reply_partitions; ++p) {
    rd_kafka_mock_partition_set_leader(mock, kafka::kRepliesTopic, p, 3);
  }
  rd_kafka_mock_broker_set_down(mock, 2);
  std::vector<int> statuses;
  for (int i = 10; i < 20; ++i) {
    auto [command, body, at] = command_at(i);
    const Json got = rig.gateway().run(command, body, at);
    statuses.push_back(rig.gateway().last_status());
    if (statuses.back() == 503) {
      EXPECT_NE(got["error"]["message"].get<std::string>().find("was not sent"), std::string::npos) << got.dump();
    }
  }
  // The first command(s) wait for the stall to be seen (504); then 503s.
  EXPECT_EQ(statuses.back(), 503);
  EXPECT_GE(std::count(statuses.begin(), statuses.end(), 503), 5);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 0);
  EXPECT_GE(rig.cluster().worker(0).stats().stalls, 1u);
  EXPECT_EQ(rig.cluster().worker(0).stats().stalled_now, 1u);
  EXPECT_GE(rig.cluster().gateway().refused_stalled(), 5u);
  // A stop during the outage does not wait for the cluster; the restart
  // re-produces what the topic lacks once the leader is back.
  const auto stop_started = std::chrono::steady_clock::now();
  rig.cluster().kill_worker(0, /*lose_disk=*/false);
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(30));
  rd_kafka_mock_broker_set_up(mock, 2);
  ASSERT_TRUE(rig.cluster().start_worker(0).is_ok());
  for (int i = 10; i < 30; ++i) rig.run(i);  // 10-19 again: answered once, as the embedded twin did
  EXPECT_EQ(rig.cluster().worker(0).stats().stalled_now, 0u);
  rig.expect_same_state(0);
}


// Issue 17: a validator whose disk fills refuses commands with 503
// STORE_FULL through the gateway, records and produces nothing, and takes
// commands again by itself once there is space (its store watch looks every
// second); the refused commands, retried as a switch does, are then decided
// once, and every store equals the embedded twin's.
TEST(KafkaCluster, ValidatorWithAFullDiskAnswers503StoreFullAndResumesByItself) {
  FullDiskJournal* disk = nullptr;  // the validator's store opens on this thread, in the rig's constructor
  kafka::DevClusterOptions options;
  options.validators = 1;
  options.worker_engine = [&disk](size_t, EngineOptions& o) { o.wrap_journal = full_disk_wrapper(&disk); };
  KafkaRig rig(options);
  ASSERT_NE(disk, nullptr);
  for (int i = 0; i < 10; ++i) rig.run(i);
  Engine& validator = rig.cluster().worker_engine(0);
  const Sequence before = validator.committed_sequence(0);
  const uint64_t produced = rig.cluster().worker(0).stats().events_produced;

  disk->full = true;
  for (int i = 10; i < 13; ++i) {
    auto [command, body, at] = command_at(i);
    const Json refused = rig.gateway().run(command, body, at);
    EXPECT_EQ(rig.gateway().last_status(), 503) << refused;
    ASSERT_TRUE(refused.contains("error")) << refused;
    EXPECT_EQ(refused["error"]["code"], "STORE_FULL") << refused;
  }
  EXPECT_EQ(validator.committed_sequence(0), before);
  EXPECT_EQ(rig.cluster().worker(0).stats().events_produced, produced);
  EXPECT_GE(validator.stats()[0].failed_commits, 1u);

  disk->full = false;
  for (int i = 10; i < 20; ++i) rig.run(i, /*tries_max=*/300);  // 503 until the watch resumes the store
  EXPECT_TRUE(validator.store_health().writable);
  rig.expect_same_state(0);
}


// Issue 17: the gateway's mirror of autoriza.events on a full disk. Its
// store refuses the events; the gateway goes on forwarding commands (its
// disk does not decide them); once there is space the follower seeks back
// to the first refused event and the mirror catches up by itself, equal to
// the embedded twin, where it used to stop for good until a restart.
TEST(KafkaCluster, MirrorWithAFullDiskCatchesUpByItselfOnceThereIsSpace) {
  FullDiskJournal* disk = nullptr;
  KafkaRig rig({}, 1, [&disk](EngineOptions& o) {
    o.store_check_period = std::chrono::milliseconds(100);
    o.wrap_journal = full_disk_wrapper(&disk);
  });
  ASSERT_NE(disk, nullptr);
  for (int i = 0; i < 10; ++i) rig.run(i);
  ASSERT_TRUE(rig.cluster().sync().is_ok());
  Engine& mirror = rig.gateway().engine();
  const Sequence before = mirror.committed_sequence(0);

  disk->full = true;
  for (int i = 10; i < 30; ++i) rig.run(i);  // decided by the validators: 200s all along
  for (int t = 0; t < 300 && rig.cluster().follower().rewinds() == 0 && mirror.stats()[0].failed_commits == 0; ++t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GE(mirror.stats()[0].failed_commits, 1u);
  EXPECT_EQ(mirror.committed_sequence(0), before);

  disk->full = false;
  rig.expect_same_state(0);  // sync(): the mirror re-read what it refused
  EXPECT_TRUE(rig.cluster().follower().failure().is_ok()) << rig.cluster().follower().failure().to_string();
  EXPECT_GE(rig.cluster().follower().rewinds(), 1u);
  for (int i = 30; i < 35; ++i) rig.run(i);
  rig.expect_same_state(0);
}

}  // namespace
}  // namespace autoriza::testing
