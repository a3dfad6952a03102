#pragma once
// KafkaGateway: the command sink of an engine in gateway mode. The JSON
// service decodes, seals drawn material and routes as in the embedded mode;
// the engine hands each command with its partition here, we produce it to
// autoriza.commands (that partition, key = routing key) and answer when the
// validator's reply arrives on our partition of autoriza.replies. No reply
// within timeout_ms: 504 TIMEOUT with the request id, and the client retries
// with the same request id (the validator answers it from its idempotency
// index with the original answer).
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "adapters/kafka/claims.h"
#include "adapters/kafka/kafka_client.h"
#include "engine/engine.h"

namespace autoriza::kafka {

struct PartitionWord;  // messages.h

struct GatewayOptions {
  std::string brokers;
  uint16_t instance = 0;            // picks the reply partition: instance % partitions
  int64_t timeout_ms = 5'000;       // no reply by then: 504
  size_t pending_max = 100'000;     // answers awaited at once; beyond: 503
  Properties producer;              // e.g. linger.ms, batch.num.messages
  Properties consumer;              // of the replies consumer, e.g. fetch.wait.max.ms
  size_t claims_keys_max = 4'000'000;  // request-id claims remembered (claims.h)
};

class KafkaGateway {
 public:
  KafkaGateway(Engine& engine, GatewayOptions options);
  ~KafkaGateway();  // answers every pending request 503, then stops
  // Connects, positions the reply consumer at the end of our partition and
  // installs itself as the engine's command sink.
  Status start();
  size_t pending() const {
    std::lock_guard lock(mutex_);
    return pending_.size();
  }
  uint64_t timeouts() const { return timeouts_.load(); }
  // Commands answered 503 at once because a validator said their partition's
  // events are not being acknowledged (messages.h, AZS1).
  uint64_t refused_stalled() const { return refused_stalled_.load(); }
  const RequestClaims* claims() const { return claims_.get(); }  // null with one partition: nothing to claim

 private:
  struct Pending {
    Callback done;
    int64_t deadline_ms;
    std::string request_id;
  };
  void submit(PartitionId partition, Submission s);
  // Produces an encoded command (after its request id was claimed).
  void send(PartitionId partition, uint64_t correlation, const std::string& key, const std::string& value);
  void run_replies();
  void run_timeouts();
  void finish(uint64_t correlation, Outcome outcome);
  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque);

  Engine& engine_;
  GatewayOptions options_;
  Handle producer_, consumer_;
  std::unique_ptr<RequestClaims> claims_;
  int32_t reply_partition_ = 0;
  uint64_t epoch_ = 0;
  std::atomic<uint64_t> counter_{0};
  mutable std::mutex mutex_;
  std::unordered_map<uint64_t, Pending> pending_;
  std::deque<std::pair<int64_t, uint64_t>> deadlines_;  // (deadline, correlation), FIFO = deadline order
  std::atomic<bool> stop_{false};
  std::thread replies_, timer_, poller_;
  std::atomic<uint64_t> timeouts_{0}, refused_stalled_{0};
  // Per engine partition: until when (steady ms) commands are refused 503,
  // renewed by each AZS1 "stalled" word (every second), cleared by "ok".
  std::unique_ptr<std::atomic<int64_t>[]> stalled_until_;
  void heard(const PartitionWord& word);
};

}  // namespace autoriza::kafka
