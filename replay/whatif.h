#pragma once
// What-if: the recorded commands of a period decided again against changed
// reference data (another coverage, a frequency rule, a suspended affiliate),
// reporting every decision or amount that would change.
//
// The what-if world (all in memory; the store is only read):
//  1. Before the period, every event is applied as recorded (not decided
//     again), reference data included, so orders, consumptions, SAPs and the
//     frequency index are as they were when the period started.
//  2. Just before the period's first command the changed data (any of the
//     five CSV files in --data, each validated whole like `autoriza load`
//     does; affiliates.csv needs plans.csv beside it) is laid over the
//     reference as that command would have seen it: from then on its rows
//     win over the log's; rows it lacks follow the log (a later reference
//     event for one of its keys is skipped, others apply at their time).
//  3. Each recorded command of the period, in log order (command time across
//     streams; each stream in sequence order), is decided again by the
//     validator at its recorded time, and the new decision is applied: later
//     commands meet the what-if world (a consume of an order that is now
//     refused is refused too), not the recorded one.
//  4. The new answer is compared with the recorded one: status, request and
//     item reasons, item statuses and amounts, totals.
//
// Not decided again, applied as recorded instead ("kept"): commands given a
// token (the log keeps "*", not the token, so it cannot be checked again),
// and token, card, registration and sharing commands (sealed material;
// none depends on the nomenclator or coverage). A kept consume whose order
// no longer fits (refused, annulled or its item not authorized in the
// what-if world) is "dropped": not applied, and listed among the changes
// with the new status DROPPED.
//
// Ids stay those of the log: every recorded event takes its own sequence in
// the what-if world, also when the new decision is an error (no event; its
// sequence is skipped), so "T-0-42" names the same command in both worlds.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/journal.h"
#include "replay/log_range.h"
#include "replay/progress.h"
#include "schemas/results_generated.h"

namespace autoriza {

// Changes kept in WhatIfReport::changes; every change goes to on_change.
inline constexpr size_t kWhatIfChangesKept = 1000;
// Changed reference keys listed in the report.
inline constexpr size_t kWhatIfDataChangesKept = 20;

struct WhatIfChange {
  PartitionId stream = 0;
  Sequence sequence = 0;
  std::string transaction;  // the recorded id (the same in the what-if world)
  int64_t time_ms = 0;
  std::string command;  // "authorize"
  std::string provider;
  std::string credential;
  std::string old_status;
  // An error's code when the command is now refused (INVALID_REQUEST);
  // DROPPED for a kept command that no longer fits.
  std::string new_status;
  int64_t old_total_cents = 0, new_total_cents = 0;
  int64_t old_copay_cents = 0, new_copay_cents = 0;
  // "+NOT_COVERED; item 0 AUTHORIZED->REJECTED +NOT_COVERED total 180.00->0.00"
  std::string details;
};

struct WhatIfOptions {
  std::filesystem::path data;  // changed reference data: any of plans.csv ... affiliates.csv
  LogRange range;              // the period; default the whole log
  ProgressFn progress;
  std::function<void(const WhatIfChange&)> on_change;  // every change, in log order
};

struct WhatIfReport {
  uint64_t events_before = 0;  // applied as recorded to reach the period
  uint64_t examined = 0;       // commands of the period decided again
  uint64_t changed = 0;
  uint64_t kept_token = 0;   // kept: given a token
  uint64_t kept_sealed = 0;  // kept: token, card, registration, sharing commands
  uint64_t dropped = 0;      // kept consumes that no longer fit (listed in changes too)
  uint64_t reference_in_period = 0;
  uint64_t reference_overridden = 0;      // of those, skipped: --data has the row (after it was laid)
  ReferenceLoadStats data;                // --data against the reference before the period's first command
  std::vector<std::string> data_changed;  // first keys --data adds or changes
  std::map<std::string, uint64_t> changed_by_command;
  // new - recorded, over the answers decided again and the dropped commands.
  int64_t total_delta_cents = 0, copay_delta_cents = 0;
  std::vector<WhatIfChange> changes;  // the first kWhatIfChangesKept (in log order)
  double seconds = 0;
};

// Runs a what-if over store (opened read-only). Errors: a bad range, --data
// that does not load (kInvalidRequest naming file:line), the store.
Status what_if(const std::filesystem::path& store, const WhatIfOptions& options, WhatIfReport* report);
Status what_if(const Journal& journal, const WhatIfOptions& options, WhatIfReport* report);

// The differences between a recorded answer and a new one ("" when the
// decision and its amounts are the same): request status and reasons, item
// statuses, reasons and amounts, totals.
std::string diff_answers(const fb::ResultT& recorded, const fb::ResultT& now);

// The report as a person reads it: summary, then up to rows_max changes.
void print_what_if(const WhatIfReport& report, const WhatIfOptions& options, size_t rows_max, std::ostream& out);
// CSV of changes: a header, then one line per change.
std::string what_if_csv_header();
std::string what_if_csv_row(const WhatIfChange& change);

}  // namespace autoriza
