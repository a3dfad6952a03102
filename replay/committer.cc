#include "replay/committer.h"

#include <cassert>

namespace autoriza {

Committer::Committer(Journal& target) : target_(target) {
  thread_ = std::thread([this] { run(); });
}

Committer::~Committer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

Status Committer::submit(CommitBatch batch) {
  std::unique_lock lock(mutex_);
  AUTORIZA_CHECK(!stopping_);
  changed_.wait(lock, [&] { return !queued_ || !error_; });
  if (!error_) return error_;
  assert(!queued_);  // bound: one batch queued, one committing
  queued_ = std::move(batch);
  changed_.notify_all();
  return Status::ok();
}

Status Committer::drain() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return (!queued_ && !busy_) || !error_; });
  return error_;
}

void Committer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [&] { return queued_ || stopping_; });
    if (!queued_) return;  // stopping, nothing left
    CommitBatch batch = std::move(*queued_);
    queued_.reset();
    busy_ = true;
    changed_.notify_all();  // room for the next batch while this one commits
    lock.unlock();
    Status s = error_ ? target_.commit(batch) : Status::ok();  // after an error, nothing more
    lock.lock();
    busy_ = false;
    if (!s && error_) error_ = s;
    changed_.notify_all();
  }
}

}  // namespace autoriza
