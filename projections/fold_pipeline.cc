#include "projections/fold_pipeline.h"

#include <rocksdb/perf_level.h>

#include <utility>

namespace autoriza::projections {

namespace {

std::string checkpoint_key(PartitionId stream) {
  return "stream/" + std::to_string(stream);
}

}  // namespace

BatchPipeline::BatchPipeline(ProjectionStore& store, Checkpoint last, Written written)
    : sealed_(std::move(last)), written_(std::move(written)) {
  for (auto& slot : slots_) slot = std::make_unique<Slot>(store);
}

BatchPipeline::~BatchPipeline() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  if (writer_.joinable()) writer_.join();  // finishes a write in flight first
}

void BatchPipeline::write_loop() {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);  // see Projections::catch_up
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return stop_ || job_ != nullptr; });
    if (job_ == nullptr) return;  // stopping, nothing left to write
    Slot* slot = std::exchange(job_, nullptr);
    const Checkpoint checkpoint = std::move(job_checkpoint_);
    lock.unlock();
    Status s = slot->batch.write();
    if (s) written_(checkpoint);
    lock.lock();
    written_status_ = std::move(s);
    writing_ = false;
    changed_.notify_all();
  }
}

Fold& BatchPipeline::fold() {
  return slots_[current_]->fold;
}

Status BatchPipeline::wait_for_write() {
  if (!handed_over_) return Status::ok();
  handed_over_ = false;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !writing_; });
  Status s = std::exchange(written_status_, Status::ok());
  lock.unlock();
  slots_[1 - current_]->batch.clear();
  slots_[current_]->batch.set_previous(nullptr);
  return s;
}

bool BatchPipeline::seal(Slot& slot, const Checkpoint& folded) {
  if (slot.batch.empty() && folded == sealed_) return false;
  for (const auto& [stream, seq] : folded) slot.batch.append(Cf::kMeta, checkpoint_key(stream), std::to_string(seq));
  sealed_ = folded;
  return true;
}

Status BatchPipeline::hand_over(const Checkpoint& folded) {
  if (Status s = wait_for_write(); !s) return s;
  Slot& slot = *slots_[current_];
  if (!seal(slot, folded)) return Status::ok();
  {
    std::lock_guard lock(mutex_);
    job_ = &slot;
    job_checkpoint_ = folded;
    writing_ = true;
  }
  handed_over_ = true;
  if (!writer_.joinable()) writer_ = std::thread([this] { write_loop(); });
  changed_.notify_all();
  current_ = 1 - current_;
  slots_[current_]->batch.set_previous(&slot.batch);
  return Status::ok();
}

Status BatchPipeline::finish(const Checkpoint& folded) {
  if (Status s = wait_for_write(); !s) return s;
  Slot& slot = *slots_[current_];
  if (!seal(slot, folded)) return Status::ok();
  Status s = slot.batch.write();
  slot.batch.clear();
  if (s) written_(folded);
  return s;
}

}  // namespace autoriza::projections
