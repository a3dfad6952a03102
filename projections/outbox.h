#pragma once
// The outbox: a projection of registration and password-recovery events into
// mail messages that a mail relay drains (docs/rules.md §12-13, OSSEG). One JSON object per
// line in FILE (mode 0600: it holds verification codes, which a mail holds),
// with a stable "id" (stream-sequence) so a relay can drop duplicates:
//   {"id":"0-12","time":"...","to":"a@b","subject":"...","body":"..."}
// Its checkpoint (last sequence per stream) is FILE.checkpoint, written after
// the messages are synced: at-least-once delivery.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "engine/journal.h"

namespace autoriza {

class KeyRing;

class OutboxProjection {
 public:
  OutboxProjection(const Journal& journal, std::shared_ptr<const KeyRing> keys, std::filesystem::path file);

  // Appends the messages of events after the checkpoint; thread-safe.
  Status catch_up(size_t* appended = nullptr);
  const std::filesystem::path& file() const { return file_; }

 private:
  Status load_checkpoint();
  Status save_checkpoint() const;

  const Journal& journal_;
  std::shared_ptr<const KeyRing> keys_;
  std::filesystem::path file_;
  std::mutex mutex_;
  bool loaded_ = false;
  std::map<PartitionId, Sequence> checkpoint_;
};

}  // namespace autoriza
