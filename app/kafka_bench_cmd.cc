// autoriza kafka-bench: throughput and latency through gateway -> Kafka (dev
// broker) -> validator -> answer, in one process, with producer batch/linger
// knobs. Eligibility checks (each records an event) over the affiliates and
// providers of --data: a warm-up, then a window of requests in flight
// (closed loop) or a fixed rate (--rate, open loop). Reports CPU time per
// transaction too: on a shared machine it varies far less than tx/s.
#include <algorithm>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <random>
#include <sys/resource.h>
#include <thread>

#include "app/commands.h"
#include "adapters/dev/dev_cluster.h"
#include "engine/core/reference_loader.h"
#include "engine/core/secrets.h"
#include "adapters/service/service.h"

namespace autoriza::cli {

namespace {

namespace fs = std::filesystem;

struct KafkaBenchOptions {
  std::string data;
  size_t commands = 200'000;
  size_t window = 4096;
  int partitions = 2;
  int validators = 2;
  int linger_ms = 2;
  int batch_messages = 10'000;
  int fetch_wait_ms = 5;
  size_t warmup = 5'000;       // commands sent (and answered) before measuring
  int64_t rate_per_s = 0;      // > 0: open loop at this rate
  bool mirror = true;          // the gateway also folds autoriza.events (as serve --role gateway does by default)
  bool local_sync = false;     // fsync the local stores' WAL too (serve --kafka --local-sync)
  std::string json;
  std::string timeline;  // CSV: per 100 ms of planned send time, count and latency percentiles
};

std::vector<std::string> first_column(const fs::path& csv) {
  std::ifstream in(csv);
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(line.substr(0, line.find(',')));
  }
  return out;
}

struct CpuSeconds {
  double user = 0, system = 0;
  CpuSeconds operator-(const CpuSeconds& b) const { return {user - b.user, system - b.system}; }
};

// CPU time of the whole process (every thread: bench, gateway, validators, broker).
CpuSeconds process_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
  return {secs(u.ru_utime), secs(u.ru_stime)};
}

// Sends eligibility checks through the JSON service: at most `window` in
// flight; with rate_per_s > 0 also paced at that rate (open loop, latency
// counted from the planned send time, so a stall is not hidden).
struct Driver {
  Service& service;
  const std::vector<std::string>& credentials;
  const std::vector<std::string>& providers;
  std::vector<int64_t> latencies_us = {};
  std::vector<int64_t> planned_us = {};  // when each command was due, from the start of the measured run
  size_t errors = 0;

  void run(size_t first, size_t count, size_t window, int64_t rate_per_s, bool record) {
    std::mutex m;
    std::condition_variable cv;
    size_t in_flight = 0, done = 0;
    if (record) latencies_us.assign(count, 0);
    if (record) planned_us.assign(count, 0);
    const Millis now{1'762'084'800'000};  // 2025-11-02T12:00:00Z: fixed, so runs are comparable
    const auto start = std::chrono::steady_clock::now();
    auto last_report = start;
    for (size_t k = 0; k < count; ++k) {
      const size_t i = first + k;
      auto planned = std::chrono::steady_clock::now();
      if (rate_per_s > 0) {
        // Paced in bursts: a wake-up per command costs a context switch per
        // command (at 50,000/s, a good part of a core taken from the system
        // measured); sleeping only when ahead, 1 ms past the planned time,
        // sends what falls due meanwhile at once. Latency counts from the
        // planned time, so the wait for a burst is counted, never hidden.
        planned = start + std::chrono::nanoseconds(int64_t(k) * 1'000'000'000 / rate_per_s);
        if (planned > std::chrono::steady_clock::now()) std::this_thread::sleep_until(planned + std::chrono::milliseconds(1));
      }
      {
        std::unique_lock lock(m);
        cv.wait(lock, [&] { return in_flight < window; });
        ++in_flight;
      }
      const std::string body = "{\"request_id\":\"kb-" + std::to_string(i) + "\",\"provider\":\"" +
                               providers[i % providers.size()] + "\",\"credential\":\"" +
                               credentials[(i * 7) % credentials.size()] + "\"}";
      if (record) planned_us[k] = std::chrono::duration_cast<std::chrono::microseconds>(planned - start).count();
      service.post("eligibility", body, now, [&, k, planned, record](Reply r) {
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - planned);
        std::lock_guard lock(m);
        if (record) latencies_us[k] = us.count();
        if (r.status != 200) ++errors;
        --in_flight;
        ++done;
        cv.notify_all();
      });
      const auto t = std::chrono::steady_clock::now();
      if (t - last_report > std::chrono::seconds(2)) {
        last_report = t;
        const double s_elapsed = std::chrono::duration<double>(t - start).count();
        std::cerr << "  " << k << "/" << count << " sent, " << size_t(double(k) / s_elapsed) << "/s\n";
      }
    }
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return done == count; });
  }
};

// The q-quantile of sorted latencies (µs), in ms.
double quantile_ms(const std::vector<int64_t>& sorted_us, double q) {
  return double(sorted_us[std::min(sorted_us.size() - 1, size_t(q * double(sorted_us.size())))]) / 1000.0;
}

// Where a tail comes from: per 100 ms of planned send time, how many
// commands were due and their latency p50 / p99 / max.
bool write_timeline(const std::string& path, const std::vector<int64_t>& planned_us, const std::vector<int64_t>& latencies_us) {
  constexpr int64_t kSliceUs = 100'000;
  std::map<int64_t, std::vector<int64_t>> slices;
  for (size_t k = 0; k < planned_us.size(); ++k) slices[planned_us[k] / kSliceUs].push_back(latencies_us[k]);
  std::ofstream out(path);
  out << "t_ms,commands,p50_ms,p99_ms,max_ms\n";
  for (auto& entry : slices) {
    const int64_t slice = entry.first;
    std::vector<int64_t>& l = entry.second;
    std::sort(l.begin(), l.end());
    out << slice * kSliceUs / 1000 << "," << l.size() << "," << quantile_ms(l, 0.5) << "," << quantile_ms(l, 0.99) << ","
        << double(l.back()) / 1000.0 << "\n";
  }
  return bool(out);
}

// A fresh folder for the bench's stores, removed with all it holds when this
// goes out of scope (declare it before the engines that use it).
struct BenchDir {
  fs::path path;
  ~BenchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// The gateway's engine on a store in dir, with the reference data of --data
// (kept in *load: the validators load the same records); null when it fails.
std::unique_ptr<Engine> open_bench_engine(const KafkaBenchOptions& o, const fs::path& dir, ReferenceLoad* load) {
  EngineOptions eo;
  eo.store = dir / "gateway";
  eo.partitions = PartitionId(o.partitions);
  eo.sync = o.local_sync;  // the validators' stores follow (open_worker_engine), as serve --kafka does
  eo.keys = std::make_shared<const KeyRing>(KeyRing::generate_dev());
  Status s;
  auto engine = Engine::open(eo, &s);
  if (!engine) return std::cerr << "kafka-bench: " << s.to_string() << "\n", nullptr;
  *load = load_reference_dir(o.data, *engine->reference());
  if (!load->ok()) return std::cerr << "kafka-bench: reference data in " << o.data << " is rejected\n", nullptr;
  ReferenceLoadStats stats;
  if (s = engine->load_reference(load->records, &stats); !s) {
    return std::cerr << "kafka-bench: " << s.to_string() << "\n", nullptr;
  }
  return engine;
}

// The producer and consumer knobs of the bench for the dev cluster.
kafka::DevClusterOptions bench_cluster_options(const KafkaBenchOptions& o) {
  kafka::DevClusterOptions co;
  co.validators = o.validators;
  co.producer = {{"linger.ms", std::to_string(o.linger_ms)}, {"batch.num.messages", std::to_string(o.batch_messages)}};
  co.consumer = {{"fetch.wait.max.ms", std::to_string(o.fetch_wait_ms)}};
  co.timeout_ms = 30'000;
  co.mirror = o.mirror;
  return co;
}

struct BenchFigures {
  double tx_per_s = 0, p50_ms = 0, p99_ms = 0, cpu_us_per_tx = 0;
  size_t errors = 0;
};

// The warm-up, then the measured run (and its --timeline); the figures of
// the measured run.
BenchFigures measure_bench(const KafkaBenchOptions& o, Driver& driver) {
  // Warm-up (not measured): consumers positioned, batches and caches primed.
  // An open loop warms up at its own rate, for at least a second: a closed
  // warm-up left the run's first 200 ms queueing behind it (p99 60 ms there
  // against 20-30 ms for the rest), which is the switch, not the system.
  const size_t warmup = o.rate_per_s > 0 ? std::max<size_t>(std::min<size_t>(o.warmup, 1'000'000), size_t(o.rate_per_s))
                                         : std::min<size_t>(o.warmup, 100'000);
  driver.run(0, warmup, o.window, o.rate_per_s, false);
  const CpuSeconds cpu_before = process_cpu();
  const auto start = std::chrono::steady_clock::now();
  driver.run(warmup, o.commands, o.window, o.rate_per_s, true);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const CpuSeconds cpu = process_cpu() - cpu_before;
  std::vector<int64_t>& latencies_us = driver.latencies_us;
  if (!o.timeline.empty() && !write_timeline(o.timeline, driver.planned_us, latencies_us)) {
    std::cerr << "kafka-bench: cannot write " << o.timeline << "\n";
  }
  std::sort(latencies_us.begin(), latencies_us.end());
  BenchFigures f;
  f.p50_ms = quantile_ms(latencies_us, 0.5);
  f.p99_ms = quantile_ms(latencies_us, 0.99);
  f.tx_per_s = double(o.commands) / seconds;
  f.cpu_us_per_tx = (cpu.user + cpu.system) * 1e6 / double(o.commands);
  f.errors = driver.errors;
  return f;
}

// The figures as a one-row Markdown table, on stdout.
void print_bench_table(const KafkaBenchOptions& o, const BenchFigures& f) {
  std::cout << "| commands | window | rate/s | partitions | validators | mirror | linger_ms | fetch_wait_ms | tx/s | p50 ms | "
               "p99 ms | CPU us/tx | errors |\n"
            << "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
            << "| " << o.commands << " | " << o.window << " | " << (o.rate_per_s > 0 ? std::to_string(o.rate_per_s) : "closed")
            << " | " << o.partitions << " | " << o.validators << " | " << (o.mirror ? "yes" : "no") << " | " << o.linger_ms
            << " | " << o.fetch_wait_ms << " | "
            << size_t(f.tx_per_s) << " | " << f.p50_ms << " | " << f.p99_ms << " | "
            << size_t(f.cpu_us_per_tx) << " | " << f.errors << " |\n";
}

// Where a tail comes from: the validators' journal commits slower than
// 25 ms (RocksDB stalls) against the latency windows that were slow.
void print_slow_commits(kafka::DevCluster& cluster) {
  uint64_t commits = 0, slow_commits = 0;
  for (size_t v = 0; v < cluster.validators(); ++v) {
    for (const PartitionMetrics& m : cluster.worker_engine(v).metrics()) {
      const HistogramSnapshot& h = m.commit_seconds;
      commits += h.count();
      for (size_t b = 0; b < h.counts.size(); ++b) {
        if (b >= h.upper_bounds.size() || h.upper_bounds[b] > 0.025) slow_commits += h.counts[b];
      }
    }
  }
  std::cout << "validator journal commits: " << commits << ", of which slower than 25 ms: " << slow_commits << "\n";
}

// --json: the options and the figures as one JSON object.
void write_bench_json(const KafkaBenchOptions& o, const BenchFigures& f) {
  std::ofstream out(o.json);
  out << "{\"commands\":" << o.commands << ",\"window\":" << o.window << ",\"rate_per_s\":" << o.rate_per_s
      << ",\"partitions\":" << o.partitions << ",\"validators\":" << o.validators
      << ",\"mirror\":" << (o.mirror ? "true" : "false") << ",\"linger_ms\":" << o.linger_ms
      << ",\"fetch_wait_ms\":" << o.fetch_wait_ms << ",\"batch_messages\":" << o.batch_messages
      << ",\"tx_per_s\":" << f.tx_per_s << ",\"p50_ms\":" << f.p50_ms
      << ",\"p99_ms\":" << f.p99_ms << ",\"cpu_us_per_tx\":" << f.cpu_us_per_tx
      << ",\"errors\":" << f.errors << "}\n";
}

int run_bench(const KafkaBenchOptions& o) {
  std::random_device rd;
  const BenchDir dir{fs::temp_directory_path() / ("autoriza-kafka-bench-" + std::to_string(rd()))};
  fs::create_directories(dir.path);
  ReferenceLoad load;
  auto engine = open_bench_engine(o, dir.path, &load);
  if (!engine) return 1;
  Status s;
  auto cluster = kafka::DevCluster::start(*engine, dir.path / "cluster", load.records, bench_cluster_options(o), &s);
  if (!cluster) return std::cerr << "kafka-bench: " << s.to_string() << "\n", 1;
  Service service(*engine, dir.path / "outbox.jsonl");
  const auto credentials = first_column(fs::path(o.data) / "affiliates.csv");
  const auto providers = first_column(fs::path(o.data) / "providers.csv");
  if (credentials.empty() || providers.empty()) return std::cerr << "kafka-bench: no affiliates or providers\n", 1;

  Driver driver{service, credentials, providers};
  const BenchFigures figures = measure_bench(o, driver);
  print_bench_table(o, figures);
  print_slow_commits(*cluster);
  if (!o.json.empty()) write_bench_json(o, figures);
  return figures.errors == 0 ? 0 : 1;
}

}  // namespace

Run add_kafka_bench(CLI::App& app) {
  auto o = std::make_shared<KafkaBenchOptions>();
  app.add_option("--data", o->data, "Reference data folder (affiliates and providers are taken from it)")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--commands", o->commands, "Commands to send")->check(CLI::Range(size_t(1), size_t(10'000'000)))->capture_default_str();
  app.add_option("--window", o->window, "Requests in flight at once")->check(CLI::Range(size_t(1), size_t(100'000)))->capture_default_str();
  app.add_option("--partitions", o->partitions, "Partitions")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--validators", o->validators, "Validator workers")->check(CLI::Range(1, 16))->capture_default_str();
  app.add_option("--linger-ms", o->linger_ms, "Producer linger.ms (gateway and validators)")->capture_default_str();
  app.add_option("--batch", o->batch_messages, "Producer batch.num.messages")->capture_default_str();
  app.add_option("--fetch-wait-ms", o->fetch_wait_ms, "Consumer fetch.wait.max.ms (gateway replies and validators)")->capture_default_str();
  app.add_option("--warmup", o->warmup, "Commands sent before measuring (not counted; an open loop sends them at --rate, at least one second's worth)")->capture_default_str();
  app.add_option("--rate", o->rate_per_s, "Open loop: send at this many commands/s (0: closed loop of --window)")
      ->check(CLI::Range(int64_t(0), int64_t(10'000'000)))
      ->capture_default_str();
  app.add_flag("--mirror,!--no-mirror", o->mirror,
               "The gateway also folds autoriza.events into its read mirror (default; --no-mirror: a forwarding "
               "gateway, reads left to a projections worker)");
  app.add_flag("--local-sync", o->local_sync,
               "Also fsync the local stores' WAL per batch, as serve --kafka --local-sync does (default: not, "
               "Kafka's acknowledgement of the event is what makes an answer durable)");
  app.add_option("--json", o->json, "Also write the figures to this JSON file");
  app.add_option("--timeline", o->timeline,
                 "Also write a CSV of latency over the run: per 100 ms of send time, commands, p50, p99 and max (ms)");
  return [o] { return run_bench(*o); };
}

}  // namespace autoriza::cli
