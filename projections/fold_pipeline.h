#pragma once
// Two fold batches in turn: the fold fills one while the other is written
// to RocksDB on a second thread, so folding and the memtable inserts (about
// half the work each) overlap on two cores. At most one write is in flight
// and writes land in order; the batch being filled reads the one being
// written (FoldBatch::set_previous), so an event still sees every record
// the events before it wrote. Each batch carries the checkpoint (last
// sequence folded per stream) of its last event: rows and checkpoint land
// together or not at all. The writing thread is started at the first
// hand_over and lives as long as the pipeline (one catch-up).
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "projections/fold.h"
#include "engine/core/ids.h"

namespace autoriza::projections {

using Checkpoint = std::map<PartitionId, Sequence>;

class BatchPipeline {
 public:
  // written: called after each batch is in the store, with its checkpoint,
  // on the thread that wrote it.
  using Written = std::function<void(const Checkpoint& checkpoint)>;
  // last: the checkpoint already in the store.
  BatchPipeline(ProjectionStore& store, Checkpoint last, Written written);
  // Waits for a write in flight (a caller that stops on an error drops the
  // batch being filled: the store stays at the last batch written).
  ~BatchPipeline();
  BatchPipeline(const BatchPipeline&) = delete;
  BatchPipeline& operator=(const BatchPipeline&) = delete;

  // The fold filling the current batch (changes at every hand_over).
  Fold& fold();
  // Hands the current batch, checkpointed at `folded`, to the writing
  // thread and goes on with the other batch once the write before it has
  // finished. The error of that earlier write, if any.
  Status hand_over(const Checkpoint& folded);
  // Writes what is left on this thread and waits for everything: the last
  // step of a catch-up. Nothing to write (no row, same checkpoint): no write.
  Status finish(const Checkpoint& folded);

 private:
  struct Slot {
    explicit Slot(ProjectionStore& store) : batch(store), fold(batch) {}
    FoldBatch batch;
    Fold fold;
  };
  Status wait_for_write();
  // Adds the checkpoint rows; false when there is nothing to write.
  bool seal(Slot& slot, const Checkpoint& folded);
  void write_loop();

  std::unique_ptr<Slot> slots_[2];
  int current_ = 0;
  Checkpoint sealed_;         // the checkpoint of the last batch handed over
  bool handed_over_ = false;  // the other slot went to the writer and is not cleared yet
  Written written_;

  std::mutex mutex_;
  std::condition_variable changed_;
  Slot* job_ = nullptr;    // the batch to write; guarded by mutex_
  Checkpoint job_checkpoint_;  // its checkpoint; guarded by mutex_
  bool writing_ = false;   // a batch is handed over and not written yet; guarded by mutex_
  bool stop_ = false;      // guarded by mutex_
  Status written_status_;  // of the last write; guarded by mutex_
  std::thread writer_;
};

}  // namespace autoriza::projections
