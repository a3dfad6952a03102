#pragma once
// A whole cluster in one process, on the dev broker: what `autoriza scenario
// --kafka dev`, `autoriza bench --kafka dev` and the kafka tests run.
//   dev broker (mock, 3 brokers) + N validator workers (each its own engine
//   and store under dir/validator-<i>, the same reference data and keys) +
//   a gateway on the caller's engine, whose store becomes the mirror of
//   autoriza.events (reads, projections), folded continuously; sync() waits
//   until it holds every event written so far.
// FOR DEVELOPMENT AND TESTS: production runs each role as its own process
// against a real cluster (ops/kafka.md).
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "adapters/dev/devbroker.h"
#include "adapters/kafka/follower.h"
#include "adapters/kafka/gateway.h"
#include "adapters/dev/runner.h"
#include "adapters/kafka/worker.h"

namespace autoriza::kafka {

struct DevClusterOptions {
  int validators = 2;
  bool group = false;         // consumer group (rebalances) instead of partitions split i % validators
  Properties producer;        // gateway and validators (linger.ms, batch.num.messages...)
  Properties consumer;        // gateway replies and validators (fetch.wait.max.ms...)
  int64_t timeout_ms = 10'000;      // the gateway answers 504 after this
  int64_t reply_timeout_ms = 10'000;  // a validator drops a reply Kafka has not taken by then
  bool mirror = true;         // the gateway folds autoriza.events (reads, sync()); false: a forwarding gateway
  int64_t events_stall_ms = 3'000;  // WorkerOptions::events_stall_ms
  // Tests: adjusts validator i's engine options before its store opens
  // (fault injection through EngineOptions::wrap_journal); null: none.
  std::function<void(size_t validator, EngineOptions&)> worker_engine;
};

class DevCluster : public ScenarioTransport {
 public:
  static std::unique_ptr<DevCluster> start(Engine& gateway_engine, const std::filesystem::path& dir,
                                           const std::vector<fb::ReferenceRecordUnion>& reference,
                                           const DevClusterOptions& options, Status* status);
  ~DevCluster() override;
  Status sync() override;  // the mirror holds every event written so far (kUnavailable without a mirror)

  DevBroker& broker() { return *broker_; }
  KafkaGateway& gateway() { return *gateway_; }
  EventFollower& follower() { return *follower_; }
  size_t validators() const { return workers_.size(); }
  ValidatorWorker& worker(size_t i) { return *workers_.at(i); }
  Engine& worker_engine(size_t i) { return *engines_.at(i); }
  // Stops worker i and throws its engine and store away (a lost disk).
  void kill_worker(size_t i, bool lose_disk);
  // (Re)starts worker i on its store (rebuilt from autoriza.events if lost).
  Status start_worker(size_t i);

 private:
  DevCluster() = default;
  std::filesystem::path dir_;
  std::vector<fb::ReferenceRecordUnion> reference_;
  DevClusterOptions options_;
  Engine* gateway_engine_ = nullptr;
  std::unique_ptr<DevBroker> broker_;
  std::vector<std::unique_ptr<Engine>> engines_;
  std::vector<std::unique_ptr<ValidatorWorker>> workers_;
  std::unique_ptr<KafkaGateway> gateway_;
  std::unique_ptr<EventFollower> follower_;
};

// The validator's engine: store dir, same partitions and keys as `like`,
// reference data loaded when the store is new.
std::unique_ptr<Engine> open_worker_engine(const std::filesystem::path& store, const EngineOptions& like,
                                           const std::vector<fb::ReferenceRecordUnion>& reference, Status* status);

}  // namespace autoriza::kafka
