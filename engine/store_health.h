#pragma once
// Whether the store takes writes now. A full disk must not stop the node:
// it refuses commands (kStoreFull: 503 STORE_FULL) while the store's file
// system has less free space than a reserve or the journal stopped writing
// (RocksDB after a failed write), keeps answering reads, and takes commands
// again by itself once there is room: a thread checks every period (wall
// clock and statvfs: store health, outside the deterministic validator),
// resumes the journal and has the partitions whose commit failed reload
// their state from the store (partition.h).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "engine/journal.h"

namespace autoriza {

// What GET /healthz and GET /metrics show of the store.
struct StoreHealthReport {
  bool writable = true;
  std::string reason;            // why it takes no writes (Spanish, for people); empty when writable
  uint64_t available_bytes = 0;  // free for this process on the store's file system (statvfs f_bavail)
  uint64_t size_bytes = 0;       // of that file system
  uint64_t reserve_bytes = 0;    // below this free, commands are refused
  uint64_t refused_writes = 0;   // commands refused because the store took no writes, since start
  uint64_t resumes = 0;          // times it took writes again by itself, since start
};

// Free space of the file system holding path. kIoError when statvfs fails.
Status disk_space(const std::filesystem::path& path, uint64_t* available_bytes, uint64_t* size_bytes);

// "12,5 MiB": bytes for people.
std::string mebibytes_text(uint64_t bytes);

class StoreWatch {
 public:
  // recover: asks every partition whose commit failed to reload its state
  // from the store (now that the journal takes writes); true when none is
  // failed any more. Called from the watch's thread.
  StoreWatch(std::filesystem::path store, Journal& journal, uint64_t reserve_bytes, std::function<bool()> recover);
  ~StoreWatch();  // stops the thread

  // Starts checking every period (> 0).
  void start(std::chrono::milliseconds period);
  // One check now: free space against the reserve, the journal's state
  // (resumed when there is room), the partitions (reloaded).
  void check();
  // Cheap: for every command.
  bool writable() const { return writable_.load(std::memory_order_acquire); }
  // The answer to a command while !writable(); counts it as refused.
  Status refuse();
  StoreHealthReport report() const;

 private:
  // Why the store takes no writes now; empty when it does.
  std::string unwritable_reason(uint64_t available, bool space_known, StatusKind* kind);
  void run(std::chrono::milliseconds period);

  const std::filesystem::path store_;
  Journal& journal_;
  const uint64_t reserve_bytes_;
  std::function<bool()> recover_;

  std::atomic<bool> writable_{true};
  std::atomic<uint64_t> refused_{0};
  std::atomic<uint64_t> resumes_{0};
  mutable std::mutex mutex_;  // guards the fields below
  std::string reason_;
  StatusKind refusal_kind_ = StatusKind::kStoreFull;
  uint64_t available_bytes_ = 0, size_bytes_ = 0;

  std::mutex check_mutex_;  // one check at a time
  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // guarded by stop_mutex_
  std::thread thread_;
};

}  // namespace autoriza
