#include "bench/loadgen/report.h"

#include <cstdio>
#include <ostream>

namespace autoriza::bench {

namespace {

double ms(uint64_t ns) { return double(ns) / 1e6; }

std::string fixed(double v, int decimals) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "1,234,567"
std::string grouped(double v) {
  std::string digits = fixed(v, 0);
  std::string out;
  const size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i - first) % 3 == 0 && i >= first) out += ',';
    out += digits[i];
  }
  return out;
}

const RunReport* find_run(const std::vector<RunReport>& runs, const std::string& mode) {
  for (const RunReport& r : runs) {
    if (r.mode == mode) return &r;
  }
  return nullptr;
}

}  // namespace

void print_table(std::ostream& out, const std::vector<RunReport>& runs) {
  char line[256];
  std::snprintf(line, sizeof line, "%-15s %10s %8s %11s %11s %8s %8s %8s %8s %8s %9s\n", "mode", "commands", "seconds",
                "commands/s", "authorize/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "refused", "failures");
  out << line;
  for (const RunReport& r : runs) {
    const Histogram& h = r.tally.latency;
    const double refused_pct = 100.0 * double(r.tally.refusals()) / double(std::max<uint64_t>(1, r.commands));
    std::snprintf(line, sizeof line, "%-15s %10llu %8.2f %11s %11s %8.3f %8.3f %8.3f %8.2f %7.1f%% %9llu\n",
                  r.mode.c_str(), static_cast<unsigned long long>(r.commands), r.seconds, grouped(r.throughput()).c_str(),
                  grouped(r.authorizations_per_s()).c_str(), ms(h.percentile_ns(0.50)), ms(h.percentile_ns(0.99)),
                  ms(h.percentile_ns(0.999)), ms(h.max_ns()), refused_pct,
                  static_cast<unsigned long long>(r.tally.failures()));
    out << line;
  }
}

void print_outcomes(std::ostream& out, const RunReport& run) {
  out << run.mode << " (" << run.loop << ")";
  if (run.engine.batches > 0) {
    out << ", engine: " << run.engine.batches << " group commits, "
        << fixed(double(run.engine.commands) / double(run.engine.batches), 1) << " commands each";
  }
  if (run.load_average >= 0) out << ", load average " << fixed(run.load_average, 2) << " at the end";
  out << "\n  commands: " << run.generation << "\n";
  for (size_t k = 0; k < kCommandKinds; ++k) {
    const uint64_t total = run.tally.answered(CommandKind(k));
    if (total == 0) continue;
    char head[64];
    std::snprintf(head, sizeof head, "  %-14s %9llu (%4.1f%%):", command_kind_name(CommandKind(k)),
                  static_cast<unsigned long long>(total), 100.0 * double(total) / double(std::max<uint64_t>(1, run.commands)));
    out << head;
    for (size_t s = 0; s < kOutcomeSlots; ++s) {
      const uint64_t n = run.tally.outcomes[k][s];
      if (n != 0) out << " " << outcome_slot_name(s) << " " << n;
    }
    out << "\n";
  }
}

std::vector<TargetCheck> check_targets(const std::vector<RunReport>& runs, const BenchSetting& setting) {
  std::vector<TargetCheck> checks;
  std::string durable_note;
  if (!setting.sync) durable_note += "run with --no-sync: not durable; ";
  if (setting.partitions != 1) durable_note += "run with " + std::to_string(setting.partitions) + " partitions; ";
  if (const RunReport* r = find_run(runs, "inprocess")) {
    checks.push_back({"in-process durable, 1 partition (all commands)", kTargetInprocessPerS, r->throughput(),
                      "commands/s", r->throughput() >= kTargetInprocessPerS, durable_note});
    checks.push_back({"in-process durable, 1 partition (authorize commands only)", kTargetInprocessPerS,
                      r->authorizations_per_s(), "authorize/s", r->authorizations_per_s() >= kTargetInprocessPerS,
                      durable_note});
  }
  if (const RunReport* r = find_run(runs, "inprocess-open")) {
    const double p99 = ms(r->tally.latency.percentile_ns(0.99));
    checks.push_back({"in-process p99 at " + grouped(r->target_rate) + " commands/s offered (80% of target: " +
                          grouped(kTargetLatencyLoadFraction * kTargetInprocessPerS) + ")",
                      kTargetP99Ms, p99, "ms", p99 < kTargetP99Ms, durable_note});
  }
  if (const RunReport* r = find_run(runs, "http")) {
    checks.push_back({"HTTP loopback, " + r->loop, kTargetHttpPerS, r->throughput(), "requests/s",
                      r->throughput() >= kTargetHttpPerS, ""});
  }
  return checks;
}

void print_targets(std::ostream& out, const std::vector<TargetCheck>& checks) {
  out << "reference figures (issue):\n";
  for (const TargetCheck& c : checks) {
    const bool latency = c.unit == "ms";
    out << "  " << (c.met ? "MET    " : "NOT MET") << "  " << c.name << ": " << (latency ? fixed(c.measured, 3) : grouped(c.measured))
        << " " << c.unit << " (target " << (latency ? "< " + fixed(c.target, 1) : ">= " + grouped(c.target)) << ")";
    if (!c.note.empty()) out << " [" << c.note << "]";
    out << "\n";
  }
}

nlohmann::json run_json(const RunReport& r) {
  const Histogram& h = r.tally.latency;
  nlohmann::json outcomes = nlohmann::json::object();
  for (size_t k = 0; k < kCommandKinds; ++k) {
    nlohmann::json by = nlohmann::json::object();
    for (size_t s = 0; s < kOutcomeSlots; ++s) {
      if (r.tally.outcomes[k][s] != 0) by[outcome_slot_name(s)] = r.tally.outcomes[k][s];
    }
    if (!by.empty()) outcomes[command_kind_name(CommandKind(k))] = by;
  }
  return {{"mode", r.mode},
          {"loop", r.loop},
          {"generation", r.generation},
          {"commands", r.commands},
          {"seconds", r.seconds},
          {"throughput_per_s", r.throughput()},
          {"authorizations_per_s", r.authorizations_per_s()},
          {"target_rate", r.target_rate},
          {"failures", r.tally.failures()},
          {"refusals", r.tally.refusals()},
          {"load_average_1m", r.load_average},
          {"latency_ms",
           {{"p50", ms(h.percentile_ns(0.5))},
            {"p90", ms(h.percentile_ns(0.9))},
            {"p99", ms(h.percentile_ns(0.99))},
            {"p999", ms(h.percentile_ns(0.999))},
            {"max", ms(h.max_ns())},
            {"mean", h.mean_ns() / 1e6}}},
          {"engine",
           {{"commands", r.engine.commands},
            {"batches", r.engine.batches},
            {"commands_per_batch", r.engine.batches ? double(r.engine.commands) / double(r.engine.batches) : 0.0},
            {"events", r.engine.events}}},
          {"outcomes", outcomes}};
}

nlohmann::json report_json(const nlohmann::json& config, const LoadReport& load, const std::vector<RunReport>& runs,
                           const std::vector<TargetCheck>& checks) {
  nlohmann::json j;
  j["version"] = 1;
  j["config"] = config;
  j["padron"] = {{"records", load.records},
                 {"seconds", load.seconds},
                 {"records_per_s", load.seconds > 0 ? double(load.records) / load.seconds : 0.0},
                 {"added", load.stats.added},
                 {"updated", load.stats.updated},
                 {"unchanged", load.stats.unchanged}};
  j["runs"] = nlohmann::json::array();
  for (const RunReport& r : runs) j["runs"].push_back(run_json(r));
  j["targets"] = nlohmann::json::array();
  for (const TargetCheck& c : checks) {
    j["targets"].push_back({{"name", c.name}, {"target", c.target}, {"measured", c.measured}, {"unit", c.unit},
                            {"met", c.met}, {"note", c.note}});
  }
  return j;
}

}  // namespace autoriza::bench
