#pragma once
// How `autoriza bench` shows its results: a table on stdout, the answers by
// kind and status, the reference figures of the issue next to what was
// measured, and the same as one JSON document (--json FILE):
//   {"version":1, "config":{...}, "padron":{records, seconds, records_per_s},
//    "runs":[{mode, loop, generation, commands, seconds, throughput_per_s,
//             authorizations_per_s, target_rate, failures, refusals, load_average_1m,
//             latency_ms:{p50,p90,p99,p999,max,mean},
//             engine:{commands, batches, commands_per_batch, events},
//             outcomes:{"authorize":{"AUTHORIZED":n,...},...}}],
//    "targets":[{name, target, measured, unit, met}]}
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/loadgen/driver.h"
#include "bench/loadgen/padron.h"

namespace autoriza::bench {

// The figures the issue asks the engine to reach.
inline constexpr double kTargetInprocessPerS = 200'000;
inline constexpr double kTargetP99Ms = 5.0;
inline constexpr double kTargetLatencyLoadFraction = 0.8;
inline constexpr double kTargetHttpPerS = 50'000;
inline constexpr size_t kTargetHttpConnections = 64;

struct TargetCheck {
  std::string name;
  double target = 0, measured = 0;
  std::string unit;
  bool met = false;
  std::string note;  // why it does not apply as such (no sync, several partitions...)
};

struct BenchSetting {
  bool sync = true;
  size_t partitions = 1;
};

void print_table(std::ostream& out, const std::vector<RunReport>& runs);
void print_outcomes(std::ostream& out, const RunReport& run);
std::vector<TargetCheck> check_targets(const std::vector<RunReport>& runs, const BenchSetting& setting);
void print_targets(std::ostream& out, const std::vector<TargetCheck>& checks);

nlohmann::json run_json(const RunReport& run);
nlohmann::json report_json(const nlohmann::json& config, const LoadReport& load, const std::vector<RunReport>& runs,
                           const std::vector<TargetCheck>& checks);

}  // namespace autoriza::bench
