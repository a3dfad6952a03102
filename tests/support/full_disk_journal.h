#pragma once
// A journal whose disk is full while `full` is set: its commits fail as
// RocksDB's do on ENOSPC (and writes stay stopped until resume() succeeds),
// reads go on. Wrapped around an engine's journal through
// EngineOptions::wrap_journal (store_full_test, the Kafka validator's).
#include <atomic>
#include <functional>
#include <memory>

#include "engine/journal.h"

namespace autoriza::testing {

class FullDiskJournal final : public Journal {
 public:
  explicit FullDiskJournal(std::unique_ptr<Journal> inner) : inner_(std::move(inner)) {}
  std::atomic<bool> full{false};

  Status commit(const CommitBatch& batch) override {
    if (full.load()) {
      stopped_ = true;  // as RocksDB: a failed write stops writes until resumed
      return Status::store_full("committing a batch: IO error: No space left on device");
    }
    if (stopped_.load()) return Status::store_full("committing a batch: the store stopped writing");
    return inner_->commit(batch);
  }
  Status write_health() const override {
    return stopped_.load() ? Status::store_full("the store stopped writing: No space left on device") : Status::ok();
  }
  Status resume() override {
    if (full.load()) return Status::store_full("resuming the store: No space left on device");
    stopped_ = false;
    return Status::ok();
  }
  Status read_event(PartitionId stream, Sequence sequence, std::string* bytes) const override {
    return inner_->read_event(stream, sequence, bytes);
  }
  Status scan_events(PartitionId stream, Sequence from,
                     const std::function<bool(Sequence, std::string_view)>& visit) const override {
    return inner_->scan_events(stream, from, visit);
  }
  Status read_state(StateTable table, std::string_view key, std::string* value) const override {
    return inner_->read_state(table, key, value);
  }
  Status scan_state(StateTable table,
                    const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    return inner_->scan_state(table, visit);
  }
  Status digest(StateTable table, std::string* hex) const override { return inner_->digest(table, hex); }
  std::vector<PartitionId> streams() const override { return inner_->streams(); }

 private:
  std::unique_ptr<Journal> inner_;
  std::atomic<bool> stopped_{false};
};

// For EngineOptions::wrap_journal: wraps the engine's journal in a
// FullDiskJournal and points *out at it (the test fills and frees its disk).
inline std::function<std::unique_ptr<Journal>(std::unique_ptr<Journal>)> full_disk_wrapper(FullDiskJournal** out) {
  return [out](std::unique_ptr<Journal> inner) {
    auto wrapped = std::make_unique<FullDiskJournal>(std::move(inner));
    *out = wrapped.get();
    return wrapped;
  };
}

}  // namespace autoriza::testing
