#pragma once
// The event log the projections benchmark folds: the padrón of
// bench/loadgen (reference events) followed by the reference mix driven through
// an in-process engine with the WAL not synced (the log is a fixture here,
// not the thing measured). Command time is simulated, `step_ms` apart, so a
// long log spans months (billing and register ranges differ).
//
// Files under `dir`:
//   log/             the engine's store (its journal is the event log)
//   bench-log.json   what was generated: {"affiliates","providers","prescribers",
//                    "seed","start","step_ms","commands","events"}; a later run
//                    with the same dir reuses the log when this file matches.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <string>

#include "engine/engine.h"
#include "engine/journal.h"
#include "bench/loadgen/padron.h"
#include "engine/core/status.h"

namespace autoriza::bench {

inline constexpr uint64_t kLogEventsMax = 100'000'000;
// How the benchmark drives its engine: padron records per load chunk, commands in flight.
inline constexpr size_t kLoadChunkRecords = 100'000;
inline constexpr size_t kWindow = 8'192;
// Nanoseconds as milliseconds, for reports.
inline double ms(uint64_t ns) { return double(ns) / 1e6; }

struct LogOptions {
  std::filesystem::path data = "ops/sample-data";  // nomenclator of the padrón
  std::filesystem::path dir;                       // where log/ and bench-log.json go
  uint64_t events = 10'000'000;                    // events wanted in all (reference + commands)
  size_t affiliates = 1'000'000;
  size_t providers = 3'000;
  size_t prescribers = 400;
  uint64_t seed = 1;
  std::string start = "2026-07-01T08:00:00-03:00";  // time of the first command
  int64_t step_ms = 1'000;                          // simulated time between commands
};

struct LogReport {
  bool reused = false;          // an earlier run's log matched the options
  uint64_t reference_events = 0;
  uint64_t commands = 0;        // commands driven (each answer is one event)
  uint64_t events = 0;          // events in the log (counted after building)
  double seconds = 0;           // building time (0 when reused)
};

// Builds the log (or reuses a matching one). Progress goes to progress.
// kInvalidRequest when the options cannot make `events` events (fewer
// events than the padrón has records).
Status build_log(const LogOptions& options, std::ostream& progress, LogReport* report);

// Opens an engine on `store` (WAL synced per group commit when `sync`) with
// room for kWindow commands in flight, and loads the padron into it.
Status open_loaded_engine(const std::filesystem::path& store, bool sync, const Padron& padron, std::ostream& progress,
                          std::unique_ptr<Engine>* engine, LoadReport* load);

// Path of the engine store (the journal) under dir.
std::filesystem::path log_store(const std::filesystem::path& dir);

// Number of events in a journal: the sum over streams of the last sequence
// (sequences start at 1 and have no gaps), found by galloping point reads.
uint64_t count_events(const Journal& log);

}  // namespace autoriza::bench
