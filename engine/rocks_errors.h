#pragma once
// RocksDB's background errors (a flush, the WAL or the MANIFEST failing to
// write, mostly a full disk) handled by the process instead of by RocksDB's
// automatic recovery. A background error stops the database's writes; RocksDB
// would then poll the free space itself (its SstFileManager) and resume on
// its own schedule. With this listener attached it never starts that: the
// owner sees stopped() and calls DB::Resume() when it decides there is room
// (RocksJournal::resume from the engine's store watch, which then reloads
// the partitions whose commit failed; the projections' follower), so the
// journal and the partitions resume in step. Reads go on meanwhile. (The
// abort a full disk used to cause came from RocksDB's info log: rocks_log.h.)
#include <atomic>
#include <mutex>
#include <string>

#include <rocksdb/listener.h>

namespace autoriza {

class RocksErrors final : public rocksdb::EventListener {
 public:
  explicit RocksErrors(std::string store) : store_(std::move(store)) {}

  const char* Name() const override { return "autoriza.RocksErrors"; }

  // Called by RocksDB with its mutex held: only records, never blocks.
  void OnBackgroundError(rocksdb::BackgroundErrorReason /*reason*/, rocksdb::Status* error) override {
    if (error == nullptr || error->ok()) return;
    std::lock_guard lock(mutex_);
    last_ = error->ToString();
    no_space_ = error->IsNoSpace();
    stopped_.store(true, std::memory_order_release);
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason /*reason*/, rocksdb::Status error,
                            bool* auto_recovery) override {
    error.PermitUncheckedError();
    if (auto_recovery != nullptr) *auto_recovery = false;  // the owner resumes (see above)
  }

  // Writes are stopped by a background error not yet resumed.
  bool stopped() const { return stopped_.load(std::memory_order_acquire); }
  // The error that stopped them ("IO error: No space left on device: ...").
  std::string last_error() const {
    std::lock_guard lock(mutex_);
    return last_;
  }
  bool no_space() const {
    std::lock_guard lock(mutex_);
    return no_space_;
  }
  // After a DB::Resume() that returned OK.
  void resumed() { stopped_.store(false, std::memory_order_release); }
  const std::string& store() const { return store_; }

 private:
  const std::string store_;
  std::atomic<bool> stopped_{false};
  mutable std::mutex mutex_;
  std::string last_;
  bool no_space_ = false;
};

}  // namespace autoriza
