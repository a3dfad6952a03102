#pragma once
// Rebuild of the read-side projections (register, billing, audit queue,
// history: projections/) from an event log into a fresh directory, and the
// comparison with the live ones by digest. The outbox is not rebuilt: its
// mails hold verification codes, which a replay never opens.
//
// Bounded rebuilds need nothing more: the projections fold the log of the
// rebuilt store, which holds exactly the events up to the bound.
#include <filesystem>
#include <string>

#include "engine/journal.h"
#include "replay/progress.h"

namespace autoriza {

struct ProjectionRebuild {
  uint64_t events = 0;
  double seconds = 0;
  std::string digest;     // of the rebuilt projections
  bool compared = false;  // live_digest holds the live projections' digest
  std::string live_digest;
  std::string not_compared;  // why not, when not compared
  bool equal() const { return compared && digest == live_digest; }
};

// Folds every event of log into the projections at dir (absent or empty).
// total: the events of log, for progress.
Status rebuild_projections(const Journal& log, const std::filesystem::path& dir, uint64_t total,
                           const ProgressFn& progress, ProjectionRebuild* out);

// Fills out->live_digest from the live projections at dir when they have
// folded every event of log; otherwise out->not_compared says why (none
// there, in use by a running server, behind the log). Opens dir read-write
// (RocksDB) but writes no row.
void compare_live_projections(const Journal& log, const std::filesystem::path& dir, ProjectionRebuild* out);

}  // namespace autoriza
