// bench_projections --follow-rate: the figures as JSON, CSV and a table.
#include <cstdio>
#include <ostream>
#include <thread>

#include "bench/projections/follow.h"
#include "bench/projections/log_builder.h"

namespace autoriza::bench {

namespace {


const char* const kColumns[] = {"rate",       "achieved",   "commands",   "events",      "group_commits",
                                "seconds",    "lag_p50_ms", "lag_p99_ms", "lag_max_ms",  "lag_mean_ms",
                                "answer_p50_ms", "answer_p99_ms", "load_average_1m"};

}  // namespace

nlohmann::json follow_json(const FollowOptions& o, const std::vector<FollowReport>& reports) {
  nlohmann::json rates = nlohmann::json::array();
  for (const FollowReport& r : reports) {
    rates.push_back({{"rate", r.rate},
                     {"achieved", r.achieved},
                     {"commands", r.commands},
                     {"events", r.events},
                     {"group_commits", r.group_commits},
                     {"seconds", r.seconds},
                     {"lag_p50_ms", ms(r.lag.percentile_ns(0.50))},
                     {"lag_p99_ms", ms(r.lag.percentile_ns(0.99))},
                     {"lag_max_ms", ms(r.lag.max_ns())},
                     {"lag_mean_ms", r.lag.mean_ns() / 1e6},
                     {"answer_p50_ms", ms(r.answer.percentile_ns(0.50))},
                     {"answer_p99_ms", ms(r.answer.percentile_ns(0.99))},
                     {"load_average_1m", r.load_average}});
  }
  return {{"mode", "follow"},
          {"config",
           {{"seconds_per_rate", o.seconds},
            {"affiliates", o.affiliates},
            {"providers", o.providers},
            {"seed", o.seed},
            {"durable", true},
            {"partitions", 1},
            {"hardware_threads", std::thread::hardware_concurrency()}}},
          {"rates", rates}};
}

std::string follow_csv(const nlohmann::json& results) {
  std::string out;
  for (const char* c : kColumns) out += std::string(out.empty() ? "" : ",") + c;
  out += "\r\n";
  for (const auto& r : results["rates"]) {
    std::string line;
    for (const char* c : kColumns) line += (line.empty() ? "" : ",") + r[c].dump();
    out += line + "\r\n";
  }
  return out;
}

void print_follow(std::ostream& out, const nlohmann::json& results) {
  char line[200];
  std::snprintf(line, sizeof line, "\n%10s %10s %9s %9s %8s %11s %11s %11s %12s %12s %6s\n", "rate/s", "achieved/s",
                "events", "commits", "seconds", "lag p50 ms", "lag p99 ms", "lag max ms", "answer p50", "answer p99",
                "load");
  out << line;
  for (const auto& r : results["rates"]) {
    std::snprintf(line, sizeof line, "%10.0f %10.0f %9llu %9llu %8.1f %11.2f %11.2f %11.2f %12.2f %12.2f %6.1f\n",
                  r["rate"].get<double>(), r["achieved"].get<double>(), (unsigned long long)r["events"].get<uint64_t>(),
                  (unsigned long long)r["group_commits"].get<uint64_t>(), r["seconds"].get<double>(),
                  r["lag_p50_ms"].get<double>(), r["lag_p99_ms"].get<double>(), r["lag_max_ms"].get<double>(),
                  r["answer_p50_ms"].get<double>(), r["answer_p99_ms"].get<double>(),
                  r["load_average_1m"].get<double>());
    out << line;
  }
  out << "lag = group commit durable -> fold commit covering the event (every event counted once)\n";
}

}  // namespace autoriza::bench
