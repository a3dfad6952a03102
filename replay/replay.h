#pragma once
// Rebuild: the validator state from the event log alone, into a fresh store,
// with the same applier the live engine uses (PartitionState::apply and
// write_dirty / write_reference), then, when asked, a comparison of every
// state table of both stores digest by digest ("replay == live").
//
// The read-side projections can be rebuilt too (projection_rebuild.h).
//
// A rebuild bounded by "to" (--to-seq, --to-time) is the state as of then:
// each stream (the reference-data stream too) folds its events up to the
// bound, and the target store opens as an engine that would have stopped
// there. It always starts at each stream's first event: state is a fold.
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/journal.h"
#include "replay/log_range.h"
#include "replay/progress.h"
#include "replay/projection_rebuild.h"

namespace autoriza {

struct TableDigest {
  std::string table;
  std::string source;
  std::string rebuilt;
  bool equal() const { return source == rebuilt; }
};

struct ReplayOptions {
  LogRange range;       // "to" bounds only
  bool verify = true;   // compare with live; refused with a "to" bound (live is later)
  ProgressFn progress;  // called every kProgressEveryEvents events and at the end
  // Also fold the read-side projections from the rebuilt log into
  // TARGET/projections (where `serve` keeps them) and, with verify, compare
  // them with SOURCE/projections.
  bool projections = false;
  ProgressFn projections_progress;
};

struct ReplayReport {
  uint64_t events = 0;
  double seconds = 0;                    // reading + folding + writing, without the digests
  std::map<PartitionId, Sequence> last;  // per stream, the last sequence folded
  int64_t last_time_ms = 0;              // the latest command time folded
  bool verified = false;                 // digests holds the comparison
  std::vector<TableDigest> digests;
  std::optional<ProjectionRebuild> projections;  // with ReplayOptions::projections
  // The state (and the projections, when compared) equal the live ones.
  bool equal() const;
};

// Called every ~100,000 events with the events done so far and the total.
using ReplayProgress = std::function<void(uint64_t done, uint64_t total)>;

// source: an existing store (opened read-only); target: a new (absent or
// empty) directory. A not-ok Status names what failed: a bad range or a
// non-empty target (kInvalidRequest), the stores (kIoError, kCorruption).
// A difference found by verify is not an error: see report->equal().
Status replay_store(const std::filesystem::path& source, const std::filesystem::path& target,
                    const ReplayOptions& options, ReplayReport* report);
// The unbounded, verified rebuild.
Status replay_store(const std::filesystem::path& source, const std::filesystem::path& target, ReplayReport* report,
                    const ReplayProgress& progress = {});

// Digests of every state table of two journals.
Status compare_state(const Journal& source, const Journal& rebuilt, std::vector<TableDigest>* digests);

// Events in the journal: the sum of every stream's last sequence.
Status count_events(const Journal& journal, uint64_t* total);

// The "partitions" meta record of a store (decimal), as a number.
Status read_partition_count(const Journal& journal, PartitionId* partitions);

}  // namespace autoriza
