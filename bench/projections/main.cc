// bench_projections: how fast the projections follow the log and answer.
//   1. builds an event log of --events events (padrón + reference mix through an
//      in-process engine, WAL not synced), or reuses the one in --dir;
//   2. folds it from scratch into fresh projections: catch-up rate (events/s)
//      with a progress bar;
//   3. times register, billing and history queries (p50/p99/max).
// With --follow-rate R1,R2,... it measures instead how far the projections
// trail a durable engine taking commands at those rates (follow.h).
// Prints a table; --json and --csv write the same figures. Not a test.
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <thread>

#include "bench/projections/catch_up.h"
#include "bench/loadgen/driver.h"
#include "bench/projections/follow.h"
#include "bench/projections/log_builder.h"
#include "bench/loadgen/padron.h"
#include "bench/projections/query_bench.h"

namespace autoriza::bench {
namespace {

struct Options {
  LogOptions log;
  size_t queries = 2'000;
  FollowOptions follow;  // rates empty: the catch-up and query benchmark
  std::string json_file, csv_file;
};

void write_outputs(const Options& o, const nlohmann::json& r, const std::string& csv) {
  if (!o.json_file.empty()) {
    std::ofstream f(o.json_file, std::ios::trunc);
    f << r.dump(2) << "\n";
    if (!f) std::cerr << "bench_projections: cannot write " << o.json_file << "\n";
  }
  if (!o.csv_file.empty()) {
    std::ofstream f(o.csv_file, std::ios::trunc | std::ios::binary);
    f << csv;
    if (!f) std::cerr << "bench_projections: cannot write " << o.csv_file << "\n";
  }
}

int run_follow(const Options& o) {
  std::vector<FollowReport> reports;
  if (Status s = measure_follow(o.follow, std::cerr, &reports); !s) {
    std::cerr << "bench_projections: follow: " << s.to_string() << "\n";
    return 1;
  }
  const nlohmann::json r = follow_json(o.follow, reports);
  print_follow(std::cout, r);
  write_outputs(o, r, follow_csv(r));
  return 0;
}

std::vector<std::string> months_spanned(const LogOptions& o, uint64_t commands) {
  const Millis start = *parse_instant(o.start);
  const Millis end{start.value + int64_t(commands) * o.step_ms};
  std::vector<std::string> months;
  for (int64_t day = local_day(start).value; day <= local_day(end).value; ++day) {
    const CivilDate c = civil_from_day(LocalDay{int32_t(day)});
    char text[48];
    std::snprintf(text, sizeof text, "%04d-%02d", c.year, c.month);
    if (months.empty() || months.back() != text) months.emplace_back(text);
  }
  return months;
}


nlohmann::json results_json(const Options& o, const LogReport& log, const CatchUpReport& c,
                            const std::vector<QueryStats>& queries, const std::vector<std::string>& months) {
  nlohmann::json q = nlohmann::json::array();
  for (const QueryStats& s : queries) {
    q.push_back({{"query", s.name},
                 {"calls", s.latency.count()},
                 {"rows_per_call", s.latency.count() ? double(s.rows) / double(s.latency.count()) : 0.0},
                 {"p50_ms", ms(s.latency.percentile_ns(0.50))},
                 {"p99_ms", ms(s.latency.percentile_ns(0.99))},
                 {"max_ms", ms(s.latency.max_ns())},
                 {"mean_ms", s.latency.mean_ns() / 1e6},
                 {"errors", s.errors}});
  }
  return {{"config",
           {{"events", o.log.events}, {"affiliates", o.log.affiliates}, {"providers", o.log.providers},
            {"seed", o.log.seed}, {"start", o.log.start}, {"step_ms", o.log.step_ms}, {"queries", o.queries},
            {"months", months}, {"hardware_threads", std::thread::hardware_concurrency()}}},
          {"log",
           {{"events", log.events}, {"reference_events", log.reference_events}, {"commands", log.commands},
            {"reused", log.reused}, {"build_seconds", log.seconds}}},
          {"catch_up",
           {{"events", c.events},
            {"seconds", c.seconds},
            {"events_per_s", c.events_per_s()},
            {"cpu_seconds", c.cpu_seconds},
            {"events_per_cpu_s", c.events_per_cpu_s()},
            {"process_cpu_seconds", c.process_cpu_seconds},
            {"events_per_process_cpu_s", c.events_per_process_cpu_s()}}},
          {"queries", q},
          {"load_average_1m", load_average_1m()}};
}

std::string results_csv(const nlohmann::json& r) {
  std::string out =
      "metric,count,seconds,rate_per_s,cpu_seconds,rate_per_cpu_s,process_cpu_seconds,rate_per_process_cpu_s,"
      "p50_ms,p99_ms,max_ms,mean_ms,errors\r\n";
  const auto& c = r["catch_up"];
  out += "catch_up," + c["events"].dump() + "," + c["seconds"].dump() + "," + c["events_per_s"].dump() + "," +
         c["cpu_seconds"].dump() + "," + c["events_per_cpu_s"].dump() + "," + c["process_cpu_seconds"].dump() + "," +
         c["events_per_process_cpu_s"].dump() + ",,,,,0\r\n";
  for (const auto& q : r["queries"]) {
    out += q["query"].get<std::string>() + "," + q["calls"].dump() + ",,,,,,," + q["p50_ms"].dump() + "," +
           q["p99_ms"].dump() + "," + q["max_ms"].dump() + "," + q["mean_ms"].dump() + "," + q["errors"].dump() +
           "\r\n";
  }
  return out;
}

void print_table(std::ostream& out, const nlohmann::json& r) {
  const auto& log = r["log"];
  const auto& c = r["catch_up"];
  char line[200];
  std::snprintf(line, sizeof line,
                "\nlog: %llu events (%llu reference, %llu commands), %s; months %s; %u hardware threads, load %.1f\n\n",
                (unsigned long long)log["events"].get<uint64_t>(),
                (unsigned long long)log["reference_events"].get<uint64_t>(),
                (unsigned long long)log["commands"].get<uint64_t>(),
                log["reused"].get<bool>() ? "reused" : ("built in " + std::to_string(log["build_seconds"].get<int64_t>()) + " s").c_str(),
                r["config"]["months"].dump().c_str(), std::thread::hardware_concurrency(),
                r["load_average_1m"].get<double>());
  out << line;
  std::snprintf(line, sizeof line, "%-16s %12s %9s %12s %11s %14s %12s %14s\n", "catch-up", "events", "seconds",
                "events/s", "cpu seconds", "events/cpu-s", "process cpu", "events/proc-s");
  out << line;
  std::snprintf(line, sizeof line, "%-16s %12llu %9.1f %12.0f %11.1f %14.0f %12.1f %14.0f\n", "from scratch",
                (unsigned long long)c["events"].get<uint64_t>(), c["seconds"].get<double>(),
                c["events_per_s"].get<double>(), c["cpu_seconds"].get<double>(), c["events_per_cpu_s"].get<double>(),
                c["process_cpu_seconds"].get<double>(), c["events_per_process_cpu_s"].get<double>());
  out << line;
  out << "(cpu seconds: the folding thread; process cpu: it, the batch writer and RocksDB's flushes/compactions)\n\n";
  std::snprintf(line, sizeof line, "%-16s %7s %9s %8s %8s %8s %8s %6s\n", "query", "calls", "rows/call", "p50 ms",
                "p99 ms", "max ms", "mean ms", "errors");
  out << line;
  for (const auto& q : r["queries"]) {
    std::snprintf(line, sizeof line, "%-16s %7llu %9.1f %8.3f %8.3f %8.3f %8.3f %6llu\n",
                  q["query"].get<std::string>().c_str(), (unsigned long long)q["calls"].get<uint64_t>(),
                  q["rows_per_call"].get<double>(), q["p50_ms"].get<double>(), q["p99_ms"].get<double>(),
                  q["max_ms"].get<double>(), q["mean_ms"].get<double>(), (unsigned long long)q["errors"].get<uint64_t>());
    out << line;
  }
}

int run(const Options& o) {
  LogReport log;
  if (Status s = build_log(o.log, std::cerr, &log); !s) {
    std::cerr << "bench_projections: building the log: " << s.to_string() << "\n";
    return 1;
  }
  Status s;
  auto journal = open_rocks_journal(log_store(o.log.dir), RocksJournalOptions{.sync = false, .read_only = true}, &s);
  if (!journal) {
    std::cerr << "bench_projections: " << s.to_string() << "\n";
    return 1;
  }
  CatchUpReport catch_up;
  std::unique_ptr<Projections> projections;
  if (s = measure_catch_up(*journal, o.log.dir / "projections", std::cerr, &catch_up, &projections); !s) {
    std::cerr << "bench_projections: catch-up: " << s.to_string() << "\n";
    return 1;
  }
  Padron padron;
  PadronOptions po{o.log.affiliates, o.log.providers, o.log.prescribers, o.log.seed,
                   local_day(*parse_instant(o.log.start))};
  if (s = make_padron(o.log.data, po, &padron); !s) {
    std::cerr << "bench_projections: " << s.to_string() << "\n";
    return 1;
  }
  QueryPlan plan;
  for (const PadronProvider& p : padron.providers) plan.providers.push_back(p.id);
  plan.months = months_spanned(o.log, log.commands);
  plan.affiliates = o.log.affiliates;
  plan.queries = o.queries;
  const std::vector<QueryStats> queries = measure_queries(*projections, plan, std::cerr);
  for (const QueryStats& q : queries) {
    if (q.errors) std::cerr << "bench_projections: " << q.name << ": " << q.errors << " errors, first: " << q.first_error << "\n";
  }
  const nlohmann::json r = results_json(o, log, catch_up, queries, plan.months);
  print_table(std::cout, r);
  write_outputs(o, r, results_csv(r));
  return 0;
}

}  // namespace
}  // namespace autoriza::bench

int main(int argc, char** argv) {
  using namespace autoriza::bench;
  Options o;
  o.log.dir = std::filesystem::temp_directory_path() / "autoriza-bench-projections";
  o.log.data = AUTORIZA_BENCH_DATA;
  CLI::App app("bench_projections: catch-up rate and query latency of the projections over a generated log");
  std::string dir = o.log.dir.string(), data = o.log.data.string();
  size_t affiliates = 0;
  app.add_option("--events", o.log.events, "Events in the log (reference records + commands)")
      ->check(CLI::Range(uint64_t(1), kLogEventsMax))
      ->capture_default_str();
  app.add_option("--dir", dir, "Folder of the log and the projections (kept; a matching log is reused)")
      ->capture_default_str();
  app.add_option("--data", data, "Folder whose plans.csv and practices.csv the padron uses")
      ->check(CLI::ExistingDirectory)
      ->capture_default_str();
  app.add_option("--affiliates", affiliates, "Affiliates of the padron (default: events/10, at most 1,000,000)");
  app.add_option("--providers", o.log.providers, "Providers of the padron")
      ->check(CLI::Range(size_t(3), kProvidersMax))
      ->capture_default_str();
  app.add_option("--step-ms", o.log.step_ms, "Simulated milliseconds between commands")
      ->check(CLI::Range(int64_t(0), int64_t(86'400'000)))
      ->capture_default_str();
  app.add_option("--start", o.log.start, "Simulated time of the first command")->capture_default_str();
  app.add_option("--seed", o.log.seed, "Seed of the padron and the mix")->capture_default_str();
  app.add_option("--queries", o.queries, "Calls per query kind")
      ->check(CLI::Range(size_t(1), size_t(10'000'000)))
      ->capture_default_str();
  app.add_option("--follow-rate", o.follow.rates,
                 "Instead: lag of the projections behind a durable engine at these commands/s (e.g. 1000,5000,10000)")
      ->delimiter(',')
      ->check(CLI::PositiveNumber);
  app.add_option("--follow-seconds", o.follow.seconds, "Seconds per rate of --follow-rate")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--json", o.json_file, "Write the results as JSON into this file");
  app.add_option("--csv", o.csv_file, "Write the results as CSV into this file");
  CLI11_PARSE(app, argc, argv);
  o.log.dir = dir;
  o.log.data = data;
  o.log.affiliates = affiliates ? affiliates : std::clamp<size_t>(size_t(o.log.events / 10), 1, 1'000'000);
  if (!o.follow.rates.empty()) {
    o.follow.data = o.log.data;
    o.follow.dir = o.log.dir / "follow";
    o.follow.affiliates = affiliates ? affiliates : 100'000;
    o.follow.providers = o.log.providers;
    o.follow.seed = o.log.seed;
    o.follow.start = o.log.start;
    return run_follow(o);
  }
  return run(o);
}
