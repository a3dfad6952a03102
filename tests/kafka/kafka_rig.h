#pragma once
// A Kafka cluster in the test process (dev broker, validators, gateway on a
// Harness engine) and its embedded twin fed the same commands, so answers
// and state digests can be compared.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "adapters/dev/dev_cluster.h"
#include "tests/support/harness.h"
#include "engine/journal.h"

namespace autoriza::testing {

// Fault injection (brokers down, leaders moved, request errors) needs the
// dev broker's mock; against a real cluster (AUTORIZA_TEST_KAFKA) such a test
// is skipped, and ops/kafka.md ("A real cluster") says how to see the same there.
#define AUTORIZA_SKIP_ON_REAL_KAFKA()                                                                     \
  if (const char* real = std::getenv(kafka::kRealClusterEnv); real && *real)                             \
  GTEST_SKIP() << "fault injection needs the dev broker (librdkafka mock); on a real cluster see "       \
                  "ops/kafka.md, A real cluster"

// The i-th command of a deterministic stream: eligibility and authorizations
// of the fixture affiliates, one simulated minute apart.
inline std::tuple<std::string, Json, std::string> command_at(int i) {
  static const char* credentials[] = {"110000783851", "110000783852"};
  const std::string credential = credentials[i % 2];
  char at[64];
  std::snprintf(at, sizeof at, "2026-11-%02dT%02d:%02d:00-03:00", 2 + (i / 600) % 20, 8 + (i / 60) % 10, i % 60);
  if (i % 3 == 0) {
    return {"eligibility", Json{{"request_id", "k-e-" + std::to_string(i)}, {"provider", "LAB127"}, {"credential", credential}},
            at};
  }
  Json items = Json::array({Json{{"code", "000118"}}, Json{{"code", "000012"}, {"qty", 1 + i % 2}}});
  return {"authorize",
          Json{{"request_id", "k-a-" + std::to_string(i)},
               {"provider", i % 2 ? "LAB127" : "LAB200"},
               {"credential", credential},
               {"prescribed_on", "2026-10-30"},
               {"prescriber", Json{{"kind", "MD"}, {"license", "1234"}}},
               {"items", items}},
          at};
}

class KafkaRig {
 public:
  // gateway_engine: adjusts the gateway's (the mirror's) engine options.
  explicit KafkaRig(kafka::DevClusterOptions options = {}, PartitionId partitions = 1,
                    std::function<void(EngineOptions&)> gateway_engine = {})
      : gateway_(partitions, {}, std::move(gateway_engine)), embedded_(partitions) {
    ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, Reference());
    AUTORIZA_CHECK(load.ok());
    Status s;
    cluster_ = kafka::DevCluster::start(gateway_.engine(), gateway_.dir() / "cluster", load.records, options, &s);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    AUTORIZA_CHECK(cluster_ != nullptr);
  }
  ~KafkaRig() { cluster_.reset(); }

  // Runs command i through Kafka (retrying with the same body on 503/504,
  // as a switch does) and through the embedded twin; the answers must match.
  void run(int i, int tries_max = 20) {
    auto [command, body, at] = command_at(i);
    Json expected = embedded_.run(command, body, at);
    Json got;
    for (int t = 0; t < tries_max; ++t) {
      got = gateway_.run(command, body, at);
      const int status = gateway_.last_status();
      if (status != 503 && status != 504) break;
      if (status == 503) std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a switch backs off too
      if (status == 504) {
        EXPECT_EQ(got["error"]["request_id"], body["request_id"]);
      }
      ++retries_;
    }
    EXPECT_EQ(got, expected) << "command " << i;
  }

  // Every state table of validator worker w (and of the gateway's mirror)
  // equals the embedded twin's.
  void expect_same_state(size_t w) {
    ASSERT_TRUE(cluster_->sync().is_ok());
    for (StateTable t : kStateTables) {
      if (t == StateTable::kMeta) continue;  // positions of each store's own bookkeeping
      std::string want, worker, mirror;
      ASSERT_TRUE(embedded_.engine().journal().digest(t, &want).is_ok());
      ASSERT_TRUE(cluster_->worker_engine(w).journal().digest(t, &worker).is_ok());
      ASSERT_TRUE(gateway_.engine().journal().digest(t, &mirror).is_ok());
      EXPECT_EQ(worker, want) << state_table_name(t);
      EXPECT_EQ(mirror, want) << state_table_name(t);
    }
    for (PartitionId p = 0; p < embedded_.engine().options().partitions; ++p) {
      EXPECT_EQ(cluster_->worker_engine(w).committed_sequence(p), embedded_.engine().committed_sequence(p));
    }
  }

  kafka::DevCluster& cluster() { return *cluster_; }
  Harness& gateway() { return gateway_; }
  Harness& embedded() { return embedded_; }
  int retries() const { return retries_; }

 private:
  Harness gateway_, embedded_;
  std::unique_ptr<kafka::DevCluster> cluster_;
  int retries_ = 0;
};

}  // namespace autoriza::testing
