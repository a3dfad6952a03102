#pragma once
// One writer per partition. Commands queue (bounded: a full queue refuses
// with kUnavailable, i.e. backpressure, never unbounded memory); the writer
// takes them in batches, decides each against state, applies the resulting
// events to state at once (later commands of the batch see earlier ones),
// commits events + state in one journal batch (group commit, WAL synced),
// and only then answers.
//
// A failed commit (a full disk) leaves memory ahead of the store: the
// partition stops taking commands (none of the failed batches is answered
// with success) until reload_after_failure(), which the engine's store watch
// calls once the journal takes writes again (store_health.h): the writer
// then rebuilds the partition's state from the store and forgets the
// idempotency keys of the lost batches, so state equals the journal again.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "schemas/commands_generated.h"
#include "engine/histogram.h"
#include "engine/journal.h"
#include "engine/state_store.h"
#include "schemas/results_generated.h"
#include "engine/core/state.h"

namespace autoriza { class KeyRing; }

namespace autoriza {

struct Outcome {
  Status status;                               // not ok: an error answer, nothing recorded
  std::shared_ptr<const fb::ResultT> result;   // the answer when ok
  bool replayed = false;                       // an idempotent retry answered from the log
  Sequence recorded_sequence = 0;              // > 0: the new event of this partition that answered
  // recorded_sequence > 0: that event's bytes as journaled (a replicating
  // adapter publishes them without reading them back); empty otherwise.
  std::string event = {};
  // A forwarded command (Engine::set_command_sink): the answer as the
  // process that decided it rendered it, set instead of result, so the
  // forwarding side answers with those very bytes; its business status; and
  // whether it recorded a new event there (recorded_sequence is that side's).
  std::string forwarded_answer = {};
  fb::Status forwarded_status = fb::Status::NONE;
  bool forwarded_recorded = false;
};
using Callback = std::function<void(Outcome)>;

struct Submission {
  fb::CommandUnion command;
  Millis now;
  Callback done;
  std::string channel;  // recorded in the event ("http", "scenario"...)
  int64_t command_offset = -1;  // where the command was read from (a topic offset), recorded in the event (events.fbs)
  // Non-empty: not a command but an event of this partition decided elsewhere
  // (read from a replicated log): applied when its sequence is the next one, acknowledged
  // as replayed (and not applied) when already applied, refused on a gap.
  std::string event = {};
  // With event: its offset in the topic it was read from (-1: none); the
  // partition records the cursor after it (state_store.h: TopicCursor) in
  // the same commit.
  int64_t source_offset = -1;
};

struct PartitionStats {
  uint64_t commands = 0, batches = 0, events = 0, retries = 0;
  uint64_t failed_commits = 0;  // batches never committed: the one whose commit failed and those decided after it
  uint64_t reloads = 0;         // times the state was rebuilt from the store after a failed commit
};

// What GET /metrics shows of a partition beyond its counters.
struct PartitionMetrics {
  size_t queue_depth = 0;            // commands waiting for the writer (at most queue_max)
  HistogramSnapshot batch_commands;  // commands per group commit
  HistogramSnapshot commit_seconds;  // one journal commit of a batch: write + WAL fsync
};

class Partition {
 public:
  // index: the idempotency index shared by every partition, the one state uses.
  Partition(std::unique_ptr<PartitionState> state, IdempotencyIndex& index, Journal& journal,
            std::function<ReferenceEras()> reference,
            size_t batch_max, size_t queue_max, PartitionId partitions, std::shared_ptr<const KeyRing> keys,
            std::function<void()> on_commit = {});
  ~Partition();  // drains and stops

  void start();
  // Thread-safe. Calls done exactly once, from the writer thread (or at once
  // when refused).
  void submit(Submission submission);
  PartitionStats stats() const;
  PartitionMetrics metrics() const;
  size_t queue_depth() const;
  // A commit failed and the state was not rebuilt yet: commands are refused.
  bool failed() const { return failed_.load(std::memory_order_acquire); }
  // After a failed commit, once the journal takes writes again: the writer
  // rebuilds the state from the store (after the batches in flight are
  // answered) and takes commands again. No-op when not failed. Thread-safe.
  void reload_after_failure();
  // Last sequence durable in the journal.
  Sequence committed_sequence() const { return committed_sequence_.load(std::memory_order_acquire); }

 private:
  struct Pending;
  struct CommitJob;
  static constexpr size_t kCommitsInFlight = 2;
  void run();
  void process(std::vector<Submission>& batch);
  void run_committer();
  void commit(CommitJob& job);
  void handle(Submission& s, const Reference& ref, std::vector<Pending>& answers);
  void apply_replicated(Submission& s, std::vector<Pending>& answers);
  bool answer_retry(Submission& s, const IdempotencyEntry& entry, std::vector<Pending>& answers);
  Status failure_status() const;  // what commands get while failed_; needs mutex_
  void fail(const Status& commit_status);
  void reload();  // writer thread
  void forget_batch(const CommitJob& job);  // a batch applied in memory that will never be committed

  std::unique_ptr<PartitionState> state_;  // writer thread only (replaced by reload)
  const PartitionId id_;                  // state_->partition(), for any thread
  IdempotencyIndex& index_;
  Journal& journal_;
  std::function<ReferenceEras()> reference_;  // by command time (engine/core/reference.h)
  std::shared_ptr<const KeyRing> keys_;
  std::function<void()> on_commit_;
  const PartitionId partitions_;
  const size_t batch_max_;
  const size_t queue_max_;

  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Submission> queue_;
  bool stopping_ = false;
  std::atomic<bool> failed_{false};
  Status failure_;                // the failed commit's status; guarded by mutex_
  bool reload_requested_ = false;  // guarded by mutex_
  std::thread writer_;

  // Writer -> committer: batches decided and applied in memory, waiting to be
  // made durable; answered only after their commit (pipelined group commit).
  std::mutex commit_mutex_;
  std::condition_variable commit_ready_, commit_space_;
  std::deque<std::unique_ptr<CommitJob>> commit_queue_;
  bool commit_stopping_ = false;
  bool committing_ = false;  // a job is out of the queue and not answered yet
  // Idempotency keys of batches applied in memory but never committed: the
  // reload forgets them (the shared index would otherwise point at events
  // that are not in the store). Guarded by commit_mutex_.
  std::vector<std::string> lost_keys_;
  std::thread committer_;
  std::atomic<Sequence> committed_sequence_{0};

  // Writer-thread only.
  CommitBatch batch_;
  DirtySet dirty_;
  TopicCursor cursor_;  // of this batch's replicated events; recorded with them
  bool cursor_refused_ = false;  // a replicated event was refused: no cursor is recorded any more
  // Answers of batches not yet durable (unredacted), for retries meanwhile.
  std::unordered_map<Sequence, std::shared_ptr<const fb::ResultT>> uncommitted_;
  uint64_t retries_in_batch_ = 0;
  PartitionStats stats_;  // guarded by stats_mutex_
  mutable std::mutex stats_mutex_;
  // Upper bounds: powers of 2 up to the largest batch_max serve allows (65,536).
  Histogram batch_commands_{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536};
  // Upper bounds from a fast SSD's fsync (~50 us) to a stalled disk.
  Histogram commit_seconds_{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
};

// 16 bytes of SHA-256 over the packed command: "same body" for idempotency.
Digest command_digest(const fb::CommandUnion& command);

}  // namespace autoriza
