#pragma once
// Replay: rebuilds the validator state from the event log alone into a fresh
// store, with the same applier the live engine uses, and compares the state
// tables of both stores digest by digest ("replay == live").
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "journal.h"

namespace autoriza {

struct TableDigest {
  std::string table;
  std::string source;
  std::string rebuilt;
  bool equal() const { return source == rebuilt; }
};

struct ReplayReport {
  uint64_t events = 0;
  double seconds = 0;
  std::vector<TableDigest> digests;
  bool equal() const;
};

// Called every ~100,000 events with the events done so far and the total.
using ReplayProgress = std::function<void(uint64_t done, uint64_t total)>;

// source: an existing store (opened read-only); target: a new directory.
Status replay_store(const std::filesystem::path& source, const std::filesystem::path& target, ReplayReport* report,
                    const ReplayProgress& progress = {});

// Digests of every state table of two journals.
Status compare_state(const Journal& source, const Journal& rebuilt, std::vector<TableDigest>* digests);

}  // namespace autoriza
