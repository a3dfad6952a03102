#pragma once
// The engine: opens the journal, recovers state from it, routes commands to
// partitions and loads reference data. Thread-safe.
//
// Routing: eligibility, authorize and token_issue by the affiliate
// credential; consume by the partition written in its order id; annul and
// audit_verdict by the partition written in the transaction / SAP id (so a
// command always meets the state it needs). Unknown ids route by hash.
#include <atomic>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <vector>

#include "engine/journal.h"
#include "engine/partition.h"
#include "engine/store_health.h"
#include "engine/core/reference.h"

namespace autoriza {

class KeyRing;

struct EngineOptions {
  std::filesystem::path store = "autoriza-data";
  PartitionId partitions = 1;
  size_t batch_max = 4096;     // commands per group commit
  size_t queue_max = 65536;    // per partition; beyond it: kUnavailable (503)
  bool sync = true;            // WAL fsync per batch; false only for experiments
  // Master keys for token secrets, codes and card signatures; null: token
  // features answer 503.
  std::shared_ptr<const KeyRing> keys;
  // Called (from a writer thread) after every durable commit of events, so
  // followers of the log (projections) need not poll hard. Must not block.
  std::function<void()> on_commit;
  // A full disk (store_health.h): commands are refused (kStoreFull, 503)
  // while the store's file system has less than this free, and taken again
  // by themselves once it has (serve --disk-reserve-mib).
  uint64_t disk_reserve_bytes = uint64_t(64) << 20;
  // How often free space and the journal are checked; 0: never by a thread
  // (check_store() does one check; tests).
  std::chrono::milliseconds store_check_period{1000};
  // Tests: wraps the opened journal (fault injection); null: none.
  std::function<std::unique_ptr<Journal>(std::unique_ptr<Journal>)> wrap_journal;
};

struct ReferenceLoadStats {
  size_t added = 0, updated = 0, unchanged = 0;
};

// A recorded transaction and, for orders, consumptions and SAPs, their
// current record.
struct TransactionView {
  fb::EventT event;
  std::unique_ptr<fb::OrderStateT> order;
  std::unique_ptr<fb::ConsumptionStateT> consumption;
  std::unique_ptr<fb::SapStateT> sap;
};

class Engine {
 public:
  static std::unique_ptr<Engine> open(const EngineOptions& options, Status* status);
  ~Engine();

  // Decides and records one command; done is called exactly once, after the
  // event is durable, from a writer thread.
  // command_offset: where the command was read from (a topic offset), recorded in the event (events.fbs).
  void submit(fb::CommandUnion command, Millis now, Callback done, std::string channel = "api",
              int64_t command_offset = -1);
  // Forward mode (e.g. the Kafka gateway): submit() hands each command, with
  // its partition, to the sink instead of a local writer (the sink calls done
  // exactly once, with a forwarded answer: partition.h, Outcome).
  // Set before any command is submitted; never changed afterwards.
  using CommandSink = std::function<void(PartitionId, Submission)>;
  void set_command_sink(CommandSink sink) { sink_ = std::move(sink); }
  // Applies an event decided elsewhere (read from a replicated log) to the
  // partition it names, through that partition's writer: duplicates (sequence
  // already applied) are answered replayed=true and change nothing; a gap is
  // kCorruption. done is called once, after the event is durable.
  // source_offset >= 0: the event's offset in its topic partition; the store
  // records the cursor after it with the event (read_topic_cursor).
  void apply_event(std::string event_bytes, Callback done, int64_t source_offset = -1);
  // Last sequence of a partition durable in the journal.
  Sequence committed_sequence(PartitionId partition) const { return partitions_.at(partition)->committed_sequence(); }
  // Blocking form of submit.
  Outcome execute(fb::CommandUnion command, Millis now);

  // Records every record that is new or changed as a reference event (in
  // commits of at most 10,000) and then publishes the new snapshot.
  // loaded_at is recorded as the records' update time (the card shows it).
  // in_force_from: the command time from which the new data decides
  // (Kafka mode: the load's mark, ops/kafka.md); earlier command times keep
  // the data in force before it (at most kReferenceErasMax eras are kept;
  // later eras than in_force_from are superseded). Millis{0}: in force for
  // every command time at once (the embedded engine: one era).
  Status load_reference(const std::vector<fb::ReferenceRecordUnion>& records, ReferenceLoadStats* stats,
                        Millis loaded_at = Millis{0}, Millis in_force_from = Millis{0});
  // The latest reference data (reads, cards, pages).
  ReferencePtr reference() const;
  // The data in force by command time (what the writers decide with).
  ReferenceEras reference_eras() const;
  static constexpr size_t kReferenceErasMax = 8;

  // The event that answered (scope, request_id), if any.
  std::optional<EventPosition> find_request(std::string_view scope, std::string_view request_id) const {
    auto e = idempotency_.find(idempotency_key(scope, request_id));
    return e ? std::optional<EventPosition>(e->position) : std::nullopt;
  }

  // id is a transaction id or a SAP number; kNotFound when unknown.
  Status transaction(std::string_view id, TransactionView* out) const;
  // An affiliate's account by document, as last committed (its password's
  // scrypt hash, lockout); kNotFound when the document has none.
  Status account(std::string_view document, fb::AccountStateT* out) const;
  // The shares of a card (credential) that are neither expired at `now` nor
  // revoked, as last committed, oldest first, each with its key (the hex of
  // its link's keyed hash, the shares table's key).
  struct Share {
    std::string key;
    fb::ShareStateT state;
  };
  Status active_shares(std::string_view credential, Millis now, std::vector<Share>* out) const;

  Journal& journal() { return *journal_; }
  const Journal& journal() const { return *journal_; }
  const EngineOptions& options() const { return options_; }
  PartitionId route(const fb::CommandUnion& command) const;
  std::vector<PartitionStats> stats() const;
  // Per partition, in partition order: queue depth, batch sizes, commit times.
  std::vector<PartitionMetrics> metrics() const;
  size_t queue_depth() const;
  // Whether the store takes writes now, and why not; free space (GET /healthz, /metrics).
  StoreHealthReport store_health() const { return watch_->report(); }
  // One store check now (the watch's thread does one every store_check_period).
  void check_store() { watch_->check(); }

  // Replaces the commit listener (EngineOptions::on_commit) at run time.
  void set_commit_listener(std::function<void()> listener) {
    std::lock_guard lock(listener_mutex_);
    listener_ = std::move(listener);
  }

 private:
  Engine() = default;
  Status recover();
  void watch_store();  // starts the store watch (open)
  void notify_commit() {
    std::lock_guard lock(listener_mutex_);
    if (listener_) listener_();
  }
  std::mutex listener_mutex_;
  std::function<void()> listener_;
  CommandSink sink_;

  EngineOptions options_;
  std::unique_ptr<Journal> journal_;
  IdempotencyIndex idempotency_;
  std::vector<std::unique_ptr<Partition>> partitions_;
  std::unique_ptr<StoreWatch> watch_;  // stopped before the partitions go
  std::mutex load_mutex_;               // one reference load at a time
  mutable std::mutex reference_mutex_;  // guards the snapshot pointers
  ReferencePtr reference_;              // the latest: eras_->back().reference
  ReferenceEras eras_;
  Sequence reference_sequence_ = 0;
};

}  // namespace autoriza
