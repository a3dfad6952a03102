#pragma once
// RequestClaims: who may use an idempotency key first, across partitions,
// decided by the order of one Kafka log (autoriza.claims).
//
// Each validator's idempotency index holds its own partitions, so a request
// id reused with another body for a command that routes to ANOTHER partition
// is not seen by the validator that decides it. A gateway therefore claims
// the key before it sends a command:
//
// autoriza.claims, partition = hash(key) % partitions (every gateway puts a
// key's claims in the same partition), key = idempotency key
// ("provider:LAB127\0req-1"), value:
//   [0..4)   "AZK1"
//   [4..20)  16 bytes: the command's digest (SHA-256 of the packed command)
//   [20..22) u16 the engine partition the command routes to
//
// The first claim of a key in its partition's log wins. A gateway learns the
// outcome of its own claim by reading that partition up to the claim's own
// offset (known from the delivery report): every claim before it is then
// known, so every process that reads the log reaches the same verdict, and
// two gateways can never both accept two bodies for one key, whatever their
// lag and whichever validators own the partitions. A claim is accepted when
// the first claim of its key has the same digest (a retry) or routes to the
// same partition (that partition's validator decides with its own index, as
// the embedded engine does). Otherwise the command is refused with 409
// before it reaches Kafka's commands topic.
//
// The index of first claims is in memory, rebuilt at start by reading every
// partition from its first offset (the topic keeps 7 days, like the
// commands), and bounded by keys_max (the oldest keys are forgotten first;
// the validators' own indexes still catch a reuse on the same partition).
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "adapters/kafka/kafka_client.h"
#include "engine/core/idempotency.h"
#include "engine/core/ids.h"

namespace autoriza::kafka {

struct ClaimsOptions {
  std::string brokers;
  Properties producer, consumer;
  size_t keys_max = 4'000'000;  // first claims remembered (~100 bytes each)
};

class RequestClaims {
 public:
  // ok: send the command; kConflict: 409 (reused request id); other: 503.
  using Done = std::function<void(Status)>;

  explicit RequestClaims(ClaimsOptions options);
  ~RequestClaims();
  // Connects and starts reading every partition of autoriza.claims from its
  // first offset; claims made before the reader has caught up simply wait.
  Status start();
  // Claims `key` for a command with `digest` routed to `target`; done is
  // called exactly once, on the caller's thread (known key) or a Kafka thread.
  void claim(std::string key, const Digest& digest, PartitionId target, std::string_view request_id, Done done);
  uint64_t claims_sent() const { return sent_.load(); }
  uint64_t refused() const { return refused_.load(); }

 private:
  struct First {
    Digest digest{};
    PartitionId target = 0;
  };
  struct Waiter {
    std::string key;
    Digest digest{};
    PartitionId target = 0;
    std::string request_id;
    Done done;
  };
  struct Partition {
    int64_t read_upto = 0;                         // next offset the reader will process
    std::multimap<int64_t, Waiter> waiting;        // own claims by offset, until read
  };
  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque);
  void delivered(std::unique_ptr<Waiter> waiter, rd_kafka_resp_err_t err, int32_t partition, int64_t offset);
  void run_reader();
  void read(const rd_kafka_message_t* m);
  // Under mutex_: the verdict for a key whose first claim is known.
  Status verdict(const Waiter& w) const;
  void remember(const std::string& key, const First& first);  // under mutex_

  ClaimsOptions options_;
  Handle producer_, consumer_;
  int32_t partitions_ = 0;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, First> first_;
  std::deque<std::string> order_;  // keys in the order they were first claimed (eviction)
  std::vector<Partition> read_;
  std::atomic<bool> stop_{false};
  std::thread reader_, poller_;
  std::atomic<uint64_t> sent_{0}, refused_{0};
};

}  // namespace autoriza::kafka
