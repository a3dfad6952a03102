#pragma once
// How far the projections trail the engine under a steady load
// (`bench_projections --follow-rate 1000,5000,10000`).
//
// An in-process engine, durable as `serve` runs it (WAL synced per group
// commit, one partition), takes the reference mix at a fixed rate (open loop,
// bench/loadgen's driver), while the projections follow it as `serve`
// starts them: adapters/service's Service opens them, starts the follower and
// makes the engine's commit listener notify() it. For every event,
//   lag = when its group commit was durable (commit listener)
//         -> when a commit of the fold covered it (fold listener),
// so every event counts once, weighted by its group commit. The padron is
// loaded and folded before the first rate; rates run one after another on
// the same engine.
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/loadgen/histogram.h"
#include "engine/core/status.h"

namespace autoriza::bench {

struct FollowOptions {
  std::filesystem::path data;  // nomenclator of the padron
  std::filesystem::path dir;   // the engine's store (removed first, kept after)
  std::vector<double> rates;   // commands/s, each > 0
  double seconds = 10;         // per rate
  size_t affiliates = 100'000;
  size_t providers = 3'000;
  uint64_t seed = 1;
  std::string start = "2026-07-01T08:00:00-03:00";
};

struct FollowReport {
  double rate = 0;           // offered, commands/s
  double achieved = 0;       // answered / seconds
  uint64_t commands = 0;
  uint64_t events = 0;       // events whose lag was measured
  uint64_t group_commits = 0;
  Histogram lag;             // commit -> folded, ns
  Histogram answer;          // due -> answered (the driver's latency), ns
  double seconds = 0;
  double load_average = -1;  // at the end of the rate
};

Status measure_follow(const FollowOptions& options, std::ostream& progress, std::vector<FollowReport>* out);

// The figures as one document (follow_report.cc):
//   {"mode":"follow","config":{...},"rates":[{"rate","achieved","commands",
//    "events","group_commits","seconds","lag_p50_ms","lag_p99_ms","lag_max_ms",
//    "lag_mean_ms","answer_p50_ms","answer_p99_ms","load_average_1m"}]}
nlohmann::json follow_json(const FollowOptions& options, const std::vector<FollowReport>& reports);
std::string follow_csv(const nlohmann::json& results);  // one row per rate, CRLF
void print_follow(std::ostream& out, const nlohmann::json& results);

}  // namespace autoriza::bench
