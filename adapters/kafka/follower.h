#pragma once
// EventFollower: folds autoriza.events into a local engine (a mirror store)
// through Engine::apply_event, so a gateway or a projections worker can
// answer reads, and projections fold from the mirror's journal as in the
// embedded mode. Duplicates (a sequence already applied) change nothing.
// Each partition is read from the cursor the mirror stored with the last
// events it applied (events_cursor.h), or from the beginning of the topic
// for a new mirror; re-reading is harmless: the mirror's dedup by sequence
// makes it idempotent (see ops/kafka.md on retention).
// A mirror whose disk fills refuses the events it is handed (kStoreFull):
// the follower stops handing it that partition's events and, once the store
// takes writes again, seeks the partition back to the first refused one,
// so the mirror catches up by itself instead of failing for good.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/kafka/kafka_client.h"
#include "engine/engine.h"

namespace autoriza::kafka {

struct FollowerOptions {
  Properties consumer;
};

class EventFollower {
 public:
  EventFollower(Engine& mirror, std::string brokers, FollowerOptions options = {});
  ~EventFollower();  // stops the thread
  Status start();
  // Blocks until every event written before the call is applied to the
  // mirror (or timeout: kUnavailable). Queries the high watermarks first.
  Status sync(std::chrono::milliseconds timeout = std::chrono::milliseconds(30'000));
  uint64_t applied() const { return applied_.load(); }
  uint64_t duplicates() const { return duplicates_.load(); }
  // Set when an event could not be applied (corruption or a gap): fatal.
  Status failure() const {
    std::lock_guard lock(mutex_);
    return failure_;
  }
  uint64_t rewinds() const { return rewinds_.load(); }  // seeks back after a full disk

 private:
  void run();
  void apply(const rd_kafka_message_t* m);
  // A refusal of partition's message at offset; under mutex_. True when it
  // is the full disk's (to re-read), false when fatal.
  bool absorb_refusal(size_t partition, int64_t offset, const Status& refusal);
  void rewind_when_writable();  // the poll thread: seeks back partitions refused by a full disk
  static constexpr size_t kInFlightMax = 8192;  // apply_event calls not yet answered

  Engine& mirror_;
  std::string brokers_;
  FollowerOptions options_;
  Handle consumer_;
  int32_t partitions_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable progress_;
  std::vector<int64_t> next_offset_;  // per partition: offset after the last applied message
  std::vector<int64_t> rewind_to_;    // per partition: first message refused for a full disk, or -1
  std::chrono::steady_clock::time_point rewind_tried_{};
  std::atomic<uint64_t> rewinds_{0};
  size_t in_flight_ = 0;
  Status failure_;
  std::atomic<uint64_t> applied_{0}, duplicates_{0};
};

}  // namespace autoriza::kafka
