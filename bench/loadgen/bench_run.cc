#include "bench/loadgen/bench_run.h"

#include <spdlog/spdlog.h>

#include <stdlib.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "bench/loadgen/chart.h"
#include "bench/loadgen/driver.h"
#include "engine/engine.h"
#include "bench/loadgen/report.h"
#include "adapters/http/server.h"
#include "adapters/service/service.h"
#include "adapters/auth/auth.h"
#include "bench/loadgen/driver_tcp.h"
#include "adapters/tcp/self_signed.h"
#include "adapters/tcp/tcp_server.h"

namespace autoriza::bench {

namespace {

constexpr size_t kLoadChunkRecords = 100'000;

struct Endpoint {
  std::string host;
  uint16_t port = 0;
};

// "HOST:PORT" or "http://HOST:PORT[/]".
bool parse_url(std::string text, Endpoint* out) {
  if (text.rfind("http://", 0) == 0) text = text.substr(7);
  while (!text.empty() && text.back() == '/') text.pop_back();
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  try {
    const int port = std::stoi(text.substr(colon + 1));
    if (port < 1 || port > 65535) return false;
    out->host = text.substr(0, colon);
    out->port = uint16_t(port);
  } catch (...) {
    return false;
  }
  return true;
}

// A temporary store folder, removed (with everything in it) on destruction.
class TempStore {
 public:
  Status create() {
    std::string pattern = (std::filesystem::temp_directory_path() / "autoriza-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return Status::io_error("cannot create a temporary store in " + pattern);
    path_ = pattern;
    return Status::ok();
  }
  ~TempStore() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

nlohmann::json config_json(const BenchConfig& c, const std::string& run_id) {
  return {{"data", c.data.string()}, {"affiliates", c.affiliates}, {"providers", c.providers},
          {"prescribers", c.prescribers}, {"commands", c.commands}, {"mode", c.mode},
          {"connections", c.connections}, {"pipeline", c.pipeline}, {"server_threads", c.server_threads},
          {"rate", c.rate}, {"latency_pct", c.latency_pct}, {"partitions", c.partitions},
          {"batch_max", c.batch_max}, {"window", c.window}, {"sync", c.sync}, {"pregenerate", c.pregenerate},
          {"url", c.url}, {"start", c.start}, {"seed", c.seed}, {"run_id", run_id},
          {"adapters", c.adapters}, {"tcp_connections", c.tcp_connections}, {"tcp_window", c.tcp_window},
          {"hardware_threads", std::thread::hardware_concurrency()}};
}

// The measured phases, in order; appends their reports.
class Phases {
 public:
  Phases(const BenchConfig& config, Mix& mix, std::ostream& progress, std::vector<RunReport>& runs)
      : config_(config), mix_(mix), progress_(progress), runs_(runs) {}

  void inprocess(Engine& engine) {
    InprocessOptions o;
    o.commands = config_.commands;
    o.window = config_.window;
    o.rate = config_.rate;
    run_inprocess_once(engine, o);
    if (config_.rate > 0 || config_.latency_pct <= 0) return;
    o.rate = runs_.back().throughput() * config_.latency_pct / 100.0;
    progress_ << "bench: open loop at " << config_.latency_pct << "% of the closed loop: " << uint64_t(o.rate)
              << " commands/s\n";
    run_inprocess_once(engine, o);
  }

  // engine: the in-process engine behind the server, for its counters; null
  // for a remote server.
  void http(const Endpoint& endpoint, const Engine* engine, const std::string& api_key) {
    HttpOptions o;
    o.api_key = api_key;
    o.host = endpoint.host;
    o.port = endpoint.port;
    o.commands = config_.commands;
    o.connections = config_.connections;
    o.pipeline = config_.pipeline;
    const std::string generation = prepare();
    const PartitionStats before = engine ? engine_totals(*engine) : PartitionStats{};
    RunReport r = run_http(mix_, o, progress_);
    if (engine) r.engine = engine_delta(before, engine_totals(*engine));
    r.generation = generation;
    runs_.push_back(std::move(r));
  }

  void tcp(const TcpBenchOptions& options, const Engine& engine) {
    TcpBenchOptions o = options;
    o.commands = config_.commands;
    o.connections = config_.tcp_connections;
    o.window = config_.tcp_window;
    const std::string generation = prepare();
    const PartitionStats before = engine_totals(engine);
    RunReport r = run_tcp(mix_, o, progress_);
    r.engine = engine_delta(before, engine_totals(engine));
    r.generation = generation;
    runs_.push_back(std::move(r));
  }

 private:
  void run_inprocess_once(Engine& engine, const InprocessOptions& o) {
    const std::string generation = prepare();
    RunReport r = run_inprocess(engine, mix_, o, progress_);
    r.generation = generation;
    runs_.push_back(std::move(r));
  }

  std::string prepare() {
    if (!config_.pregenerate) return "built live, one at a time, inside the measured loop";
    return pregenerate(mix_, config_.commands, progress_);
  }

  const BenchConfig& config_;
  Mix& mix_;
  std::ostream& progress_;
  std::vector<RunReport>& runs_;
};

int check_config(const BenchConfig& c, Endpoint* remote, std::ostream& progress) {
  if (c.mode != "inprocess" && c.mode != "http" && c.mode != "both") {
    progress << "autoriza bench: --mode must be inprocess, http or both\n";
    return 2;
  }
  if (!c.url.empty() && !parse_url(c.url, remote)) {
    progress << "autoriza bench: --url must be HOST:PORT, got '" << c.url << "'\n";
    return 2;
  }
  if (!parse_instant(c.start)) {
    progress << "autoriza bench: --start must be ISO-8601 with offset, got '" << c.start << "'\n";
    return 2;
  }
  return 0;
}

// Opens the engine on config.store (or on temp, created here) and loads the
// padrón into it. Null (with the reason on progress) on failure.
std::unique_ptr<Engine> open_and_load(const BenchConfig& config, const Padron& padron, TempStore& temp,
                                      std::ostream& progress, LoadReport* load) {
  EngineOptions eo;
  if (config.store.empty()) {
    if (Status s = temp.create(); !s) {
      progress << "autoriza bench: " << s.to_string() << "\n";
      return nullptr;
    }
    eo.store = temp.path();
  } else {
    eo.store = config.store;
  }
  eo.partitions = PartitionId(config.partitions);
  eo.batch_max = config.batch_max;
  eo.queue_max = std::max(eo.queue_max, std::max(config.window, config.batch_max));
  eo.sync = config.sync;
  Status s;
  std::unique_ptr<Engine> engine = Engine::open(eo, &s);
  if (!engine) {
    progress << "autoriza bench: cannot open store " << eo.store.string() << ": " << s.to_string() << "\n";
    return nullptr;
  }
  progress << "bench: store " << eo.store.string() << " (" << config.partitions << " partition(s), "
           << (config.sync ? "WAL synced per batch" : "NO SYNC") << ", batch_max " << config.batch_max << ")\n";
  if (s = load_padron(*engine, padron, kLoadChunkRecords, progress, load); !s) {
    progress << "autoriza bench: loading the padron: " << s.to_string() << "\n";
    return nullptr;
  }
  return engine;
}

// An API key of role ops, recorded in engine for this run: the network
// phases authenticate like any client (authentication is on by default).
// Empty, with the reason on progress, when it cannot be recorded.
std::string add_bench_key(Engine& engine, std::ostream& progress) {
  const std::string key = auth::new_api_key();
  fb::ReferenceRecordUnion record;
  record.Set(auth::api_key_record(auth::sha256_hex(key), auth::Principal{"bench", auth::Role::kOps, "", "", ""},
                                  false, 0));
  ReferenceLoadStats stats;
  if (Status s = engine.load_reference({record}, &stats); !s) {
    progress << "autoriza bench: cannot add the bench key: " << s.to_string() << "\n";
    return {};
  }
  return key;
}

// Runs the HTTP phase against the remote server (with --api-key) or one
// started here on engine. False when the server cannot start.
bool run_http_phase(const BenchConfig& config, const Endpoint& remote, Engine* engine, Phases& phases,
                    std::ostream& progress) {
  if (!config.url.empty()) {
    phases.http(remote, nullptr, config.api_key);
    return true;
  }
  AUTORIZA_CHECK(engine != nullptr);
  const std::string key = add_bench_key(*engine, progress);
  if (key.empty()) return false;
  Service service(*engine);
  HttpServer server(service, "127.0.0.1", 0, config.server_threads, /*allow_client_time=*/true);
  if (Status s = server.start(); !s) {
    progress << "autoriza bench: cannot start the HTTP server: " << s.to_string() << "\n";
    return false;
  }
  phases.http({"127.0.0.1", server.port()}, engine, key);
  server.stop();
  return true;
}

bool wants_adapter(const BenchConfig& config, std::string_view adapter) {
  if (config.adapters == "all") return true;
  const std::string list = "," + config.adapters + ",";
  return list.find("," + std::string(adapter) + ",") != std::string::npos;
}

// The binary TCP phases (plain, then TLS) against servers started here on
// engine, authenticated with an ops key made for the run. False when a
// server cannot start.
bool run_tcp_phases(const BenchConfig& config, Engine& engine, Phases& phases, std::ostream& progress) {
  const bool plain = wants_adapter(config, "tcp"), tls = wants_adapter(config, "tls");
  if (!plain && !tls) return true;
  const std::string key = add_bench_key(engine, progress);
  if (key.empty()) return false;
  Service service(engine);
  service.set_channel("tcp");
  for (const bool with_tls : {false, true}) {
    if (with_tls ? !tls : !plain) continue;
    tcp::TcpServerOptions so;
    so.threads = config.server_threads;
    so.allow_client_time = true;
    so.in_flight_max = std::max<size_t>(config.tcp_window, 1);
    TempStore pki;
    TcpBenchOptions o;
    o.api_key = key;
    o.tls = with_tls;
    if (with_tls) {
      Status s = pki.create();
      if (s) s = tcp::write_self_signed(pki.path(), &so.tls);
      if (!s) {
        progress << "autoriza bench: TLS certificate: " << s.to_string() << "\n";
        return false;
      }
      o.ca = so.tls.cert;
    }
    tcp::TcpServer server(service, so);
    if (Status s = server.start(); !s) {
      progress << "autoriza bench: cannot start the TCP server: " << s.to_string() << "\n";
      return false;
    }
    o.port = server.port();
    phases.tcp(o, engine);
    server.stop();
  }
  return true;
}

// Writes text into path; 0, or 1 with the reason on progress.
int write_report_file(const std::string& path, const std::string& text, std::ostream& out, std::ostream& progress) {
  std::ofstream f(path, std::ios::trunc);
  f << text;
  if (!f) {
    progress << "autoriza bench: cannot write " << path << "\n";
    return 1;
  }
  out << "results written to " << path << "\n";
  return 0;
}

// The table, the answers by kind, the reference figures, the JSON file and the picture.
int report(const BenchConfig& config, const std::string& run_id, bool local_engine, const LoadReport& load,
           const std::vector<RunReport>& runs, std::ostream& out, std::ostream& progress) {
  out << "\nautoriza bench: " << config.affiliates << " affiliates, " << config.providers << " providers, "
      << config.commands << " commands per run, seed " << config.seed << ", "
      << (local_engine ? std::string(config.sync ? "durable (WAL synced per batch)" : "NOT durable (--no-sync)")
                       : std::string("remote server"))
      << ", " << config.partitions << " partition(s), " << std::thread::hardware_concurrency() << " hardware threads\n";
  if (local_engine) {
    out << "padron: " << load.records << " records loaded in " << load.seconds << " s ("
        << uint64_t(double(load.records) / std::max(load.seconds, 1e-9)) << " records/s)\n";
  }
  out << "\n";
  print_table(out, runs);
  out << "\n";
  for (const RunReport& r : runs) print_outcomes(out, r);
  out << "\n";
  const std::vector<TargetCheck> checks = check_targets(runs, {config.sync, config.partitions});
  print_targets(out, checks);
  int rc = 0;
  if (!config.json_file.empty()) {
    rc |= write_report_file(config.json_file, report_json(config_json(config, run_id), load, runs, checks).dump(2) + "\n",
                            out, progress);
  }
  if (!config.svg_file.empty()) {
    std::vector<ChartRun> chart;
    for (const RunReport& r : runs) chart.push_back({r.mode, r.throughput(), &r.tally.latency});
    const std::string title = "autoriza bench: " + std::to_string(config.commands) + " commands per run, " +
                              (config.sync ? "durable" : "not durable") + ", " + std::to_string(config.partitions) +
                              " partition(s)";
    rc |= write_report_file(config.svg_file, chart_svg(title, chart), out, progress);
  }
  return rc;
}

}  // namespace

int run_bench(const BenchConfig& config, std::ostream& out, std::ostream& progress) {
  Endpoint remote;
  if (int rc = check_config(config, &remote, progress); rc != 0) return rc;
  spdlog::set_level(spdlog::level::warn);  // the engine and server log to stdout, which holds the report
  const Millis start = *parse_instant(config.start);
  const bool want_inprocess = config.mode != "http";
  const bool want_http = config.mode != "inprocess";
  const bool need_engine = want_inprocess || (want_http && config.url.empty());

  PadronOptions po{config.affiliates, config.providers, config.prescribers, config.seed, local_day(start)};
  Padron padron;
  Status s = make_padron(config.data, po, &padron);
  if (s && !config.write_padron.empty()) s = write_padron_csv(padron, config.write_padron, progress);
  if (!s) {
    progress << "autoriza bench: " << s.to_string() << "\n";
    return 1;
  }
  TempStore temp;  // declared before the engine: the store closes first
  LoadReport load;
  std::unique_ptr<Engine> engine;
  if (need_engine && !(engine = open_and_load(config, padron, temp, progress, &load))) return 1;

  // A store that outlives the run may already hold this seed's request ids.
  const std::string run_id = !config.run_id.empty() ? config.run_id
                             : config.store.empty() && config.url.empty()
                                 ? "s" + std::to_string(config.seed)
                                 : "s" + std::to_string(config.seed) + "t" + std::to_string(std::time(nullptr));
  MixOptions mo;
  mo.seed = config.seed;
  mo.request_prefix = run_id;
  mo.start = start;
  Mix mix(padron, mo);
  std::vector<RunReport> runs;
  Phases phases(config, mix, progress, runs);
  if (want_inprocess) phases.inprocess(*engine);
  if (want_http && wants_adapter(config, "http") && !run_http_phase(config, remote, engine.get(), phases, progress)) {
    return 1;
  }
  if (want_http && config.url.empty() && !run_tcp_phases(config, *engine, phases, progress)) return 1;
  return report(config, run_id, need_engine, load, runs, out, progress);
}

}  // namespace autoriza::bench
