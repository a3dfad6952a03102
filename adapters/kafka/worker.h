#pragma once
// ValidatorWorker (`serve --role validator`): consume-process-produce for the
// partitions this process owns, with an exactly-once *effect* that does not
// rest on Kafka transactions.
//
// For each command message (autoriza.commands, partition p, offset o):
//   decide + apply + commit locally (the local engine's writer: the event,
//   with sequence and command_offset = o inside, and the state it changes, in
//   one RocksDB WriteBatch), then produce the event to autoriza.events[p]
//   (idempotent producer, acks=all), and only once Kafka acknowledged it
//   produce the reply. Answers that record nothing (errors, retries) wait
//   behind every event of their partition produced before them.
// On assignment of p (group rebalance or manual):
//   1. fold autoriza.events[p] into the local store (duplicates by sequence
//      are ignored; an empty disk is rebuilt from the topic), from the cursor
//      the store recorded (events_cursor.h) when the topic still matches it;
//   2. re-produce local events the topic does not have (a crash between the
//      local commit and the produce); decisions are deterministic, so another
//      worker that decided the same commands wrote the same events;
//   3. consume commands from 1 + the command_offset of the last event.
// A command seen twice is applied once: every command that records an event
// has an idempotency key (scope + request id), so a redelivery is answered
// from the index with the original answer and records nothing (authorize in
// VALIDATE mode, the only command without a key, records nothing anyway).
// Errors: retriable (librdkafka retries), rewind (an event's delivery failed
// for good: re-run the assignment steps for every owned partition), fatal
// (fatal producer error, undecodable event: failure() is set, stop, exit).
#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "adapters/kafka/kafka_client.h"
#include "engine/engine.h"
#include "adapters/kafka/reply_batcher.h"

namespace autoriza::kafka {

struct EventsStart;  // events_cursor.h

struct WorkerOptions {
  std::string brokers;
  std::string group = "autoriza-validators";  // consumer group; ignored with manual partitions
  bool manual = false;                        // own `partitions` (no group, no rebalance)
  std::vector<int32_t> partitions;
  Properties producer, consumer;              // producer: the events' and the replies' producers alike
  size_t in_flight_max = 16'384;              // commands submitted and not yet answered
  // A reply not delivered within this is dropped: the gateway has answered
  // 504 by then and the client retries (answered from the idempotency index).
  int64_t reply_timeout_ms = 10'000;
  // A partition whose events Kafka has not acknowledged for events_stall_ms
  // (its leader is away), or that has more than events_backlog_max of them
  // waiting, stops taking commands (its consumption is paused) and tells the
  // gateways, which answer 503 at once instead of sending more. It resumes by
  // itself once its events are acknowledged. The bound keeps the events'
  // producer queue from filling, so the committer never blocks on it.
  int64_t events_stall_ms = 3'000;
  size_t events_backlog_max = 100'000;
  // Whether the reference topic has been read far enough to decide a command
  // stamped t (ReferenceFollower::ready_for); a command waits until it is.
  // Unset: reference data given some other way (--data, tests).
  std::function<bool(Millis)> reference_ready;
};

struct WorkerStats {
  uint64_t commands = 0, events_produced = 0, replies = 0, caught_up = 0, reproduced = 0, rewinds = 0;
  uint64_t replies_lost = 0;  // reply messages Kafka did not take within reply_timeout_ms
  uint64_t stalls = 0;        // times a partition stopped taking commands (events not acknowledged)
  uint64_t stalled_now = 0;   // partitions stopped now
};

class ValidatorWorker {
 public:
  ValidatorWorker(Engine& engine, WorkerOptions options);
  ~ValidatorWorker();
  Status start();
  void stop();
  // Not ok once a fatal error happened (the worker stopped taking commands).
  Status failure() const;
  WorkerStats stats() const;
  std::set<int32_t> owned() const;

 private:
  struct Lane;
  struct Tag;
  void run();
  Status take(int32_t partition, int64_t* resume_offset);
  // Steps 1 and 2 of an assignment (top of this file), for take(): fold
  // autoriza.events into the store, re-produce the local events it lacks.
  Status catch_up(int32_t partition, const EventsStart& from, int64_t low, int64_t high, Sequence* kafka_last,
                  uint64_t* read_count);
  Status reproduce(int32_t partition, Sequence kafka_last, Sequence local, uint64_t* reproduced);
  Status fold(int32_t partition, int64_t from, int64_t high, Sequence* kafka_last, uint64_t* read_count);
  Status assign(rd_kafka_topic_partition_list_t* partitions);
  void on_command(const rd_kafka_message_t* m);
  // Waits (the consumer's thread) until reference_ready(t) or a stop.
  void await_reference(Millis t);
  void answer(int32_t partition, fb::Command type, std::string key, uint64_t correlation, uint16_t reply_partition,
              Outcome o);
  // value: a reply batch (messages.h) holding `replies` replies.
  void produce_reply(uint16_t reply_partition, const std::string& value, size_t replies);
  void flush_replies();
  void delivered(Tag& tag, rd_kafka_resp_err_t err, int64_t offset);
  void store_cursors();  // the lanes' cursors that moved, in one small commit
  // Poll thread: which partitions' events are stalled; tells the gateways.
  void watch_stalls();
  void tell_gateways(PartitionId partition, bool stalled);
  // Run loop (the consumer's thread): pauses or resumes commands[p] to match.
  void pause_stalled();
  void fail(Status s);
  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque);
  static void on_reply_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque);
  static void on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                           void* opaque);

  Engine& engine_;
  WorkerOptions options_;
  // Events never expire (producer_); replies have a producer of their own
  // whose messages do (replier_): a reply partition's outage fills only the
  // replies' queue, never blocks the next event, and lets a stop finish.
  Handle producer_, replier_, consumer_, reader_;
  int32_t reply_partitions_ = 0;
  std::vector<std::unique_ptr<Lane>> lanes_;
  ReplyBatcher replies_;  // released by delivery reports, produced by the poll thread after each round
  std::thread loop_, poller_;
  std::atomic<bool> stop_{false}, rewind_{false};
  std::atomic<size_t> in_flight_{0};
  mutable std::mutex mutex_;  // guards failure_, owned_, stats_
  Status failure_;
  std::set<int32_t> owned_;
  WorkerStats stats_;
};

}  // namespace autoriza::kafka
