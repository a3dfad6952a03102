#pragma once
// Catch-up of the projections from scratch: a fresh projections store folds
// the whole log while the caller's thread prints a progress bar (folded
// events from Projections::positions(), rate now and overall, ETA).
#include <filesystem>
#include <iosfwd>
#include <memory>

#include "engine/journal.h"
#include "projections/projections.h"

namespace autoriza::bench {

struct CatchUpReport {
  uint64_t events = 0;  // folded
  double seconds = 0;
  double cpu_seconds = 0;  // CPU time of the folding thread: stable on a shared machine
  // CPU time of the whole process meanwhile: the folding thread, the one
  // writing its batches (fold_pipeline.h) and RocksDB's flushes and
  // compactions. What the catch-up costs in all.
  double process_cpu_seconds = 0;
  double events_per_s() const { return seconds > 0 ? double(events) / seconds : 0; }
  double events_per_cpu_s() const { return cpu_seconds > 0 ? double(events) / cpu_seconds : 0; }
  double events_per_process_cpu_s() const {
    return process_cpu_seconds > 0 ? double(events) / process_cpu_seconds : 0;
  }
};

// Removes dir, opens projections there over log and folds everything.
// *out keeps the projections open for the queries that follow.
Status measure_catch_up(const Journal& log, const std::filesystem::path& dir, std::ostream& progress,
                        CatchUpReport* report, std::unique_ptr<Projections>* out);

// "[#####-----]  50% 5,000,000/10,000,000 events, 110,512/s now, 98,200/s overall, ETA 51 s"
std::string progress_line(uint64_t done, uint64_t total, double rate_now, double rate_overall);

}  // namespace autoriza::bench
