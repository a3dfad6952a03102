#pragma once
// A rebuild's writes to the target store on their own thread, so that
// folding batch N+1 overlaps committing batch N (the commit is most of a
// rebuild's time: see replay/README.md, "Rate"). At most one batch waits
// while one commits: memory stays bounded by two batches.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/journal.h"

namespace autoriza {

class Committer {
 public:
  explicit Committer(Journal& target);
  ~Committer();  // commits what is queued, then stops

  // Queues batch (blocks while another one is queued). Returns the first
  // commit error so far, if any: from then on nothing more is committed.
  Status submit(CommitBatch batch);
  // Waits until everything queued is committed; the first error, if any.
  Status drain();

 private:
  void run();

  Journal& target_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<CommitBatch> queued_;
  bool busy_ = false;
  bool stopping_ = false;
  Status error_;
  std::thread thread_;
};

}  // namespace autoriza
