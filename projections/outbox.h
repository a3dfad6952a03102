#pragma once
// The outbox: a projection of events into mail messages that a mail relay
// drains. Two kinds of events send one:
//   - an affiliate's registration or password recovery (docs/rules.md §12-13,
//     OSSEG): REGISTRATION_STARTED and PASSWORD_RECOVERY_STARTED events of
//     the partitions, whose command carries the code sealed;
//   - a providers' portal user's forgotten password: a PortalUser upsert of
//     the reference stream carrying recovery_sealed_code, which only the
//     upsert that issues a code does (adapters/auth/portal_users.h).
// One JSON object per line in FILE (mode 0600: it holds verification codes,
// which a mail holds), with a stable "id" (stream-sequence; the reference
// stream is 65535) so a relay can drop duplicates:
//   {"id":"0-12","time":"...","to":"a@b","subject":"...","body":"..."}
//
// Once per event: the checkpoint (last sequence per stream) is
// FILE.checkpoint, written after each run of at most kMessagesPerAppendMax
// messages is appended and synced. When it loads, the ids in the last
// kTailBytesMax of FILE advance it too, so a crash between an append and its
// checkpoint (or a lost checkpoint) sends nothing twice.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engine/journal.h"

namespace autoriza {

class KeyRing;

// The associated data a portal user's recovery code is sealed with, and the
// context of its keyed hash: adapters/auth/portal_users.cc seals and hashes
// under it, the outbox opens with it.
inline std::string portal_code_context(std::string_view user) { return "portal-code:" + std::string(user); }

class OutboxProjection {
 public:
  static constexpr size_t kMessagesPerAppendMax = 256;
  static constexpr size_t kTailBytesMax = 1 << 20;  // > 256 messages of a few KiB at most

  OutboxProjection(const Journal& journal, std::shared_ptr<const KeyRing> keys, std::filesystem::path file);

  // Appends the messages of events after the checkpoint; thread-safe.
  // *appended: how many messages this call appended.
  Status catch_up(size_t* appended = nullptr);
  const std::filesystem::path& file() const { return file_; }

 private:
  Status load_checkpoint();
  // Advances the checkpoint over the ids already in the tail of the file.
  Status advance_over_file();
  Status save_checkpoint() const;
  // Appends *lines (synced), then saves the checkpoint; wipes *lines.
  Status flush(std::string* lines);
  // Forgets the checkpoint in memory after a failure; returns s.
  Status failed(Status s);

  const Journal& journal_;
  std::shared_ptr<const KeyRing> keys_;
  std::filesystem::path file_;
  std::mutex mutex_;
  bool loaded_ = false;
  bool torn_ = false;  // the file ends in a line cut short: the next append starts a new line
  std::map<PartitionId, Sequence> checkpoint_;
};

}  // namespace autoriza
