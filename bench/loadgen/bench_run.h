#pragma once
// One `autoriza bench` run: generate the padrón, load it into a fresh
// embedded store, drive the mix in-process (closed loop, then open loop at a
// fraction of what the closed loop reached) and over HTTP, then report.
// The CLI (app/bench_cmd.cc) only fills BenchConfig.
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <string>

namespace autoriza::bench {

struct BenchConfig {
  std::filesystem::path data = "ops/sample-data";  // plans and practices (the nomenclator)
  size_t affiliates = 1'000'000;
  size_t providers = 3'000;
  size_t prescribers = 400;
  size_t commands = 1'000'000;           // per measured run
  std::string mode = "both";             // inprocess | http | both
  size_t connections = 64;
  size_t pipeline = 1;
  unsigned server_threads = 2;           // HTTP I/O threads of the in-process server
  double rate = 0;                       // in-process open loop (commands/s); 0: closed loop
  int latency_pct = 80;                  // after a closed loop, an open loop at this % of it; 0: none
  size_t partitions = 1;
  size_t batch_max = 4096;
  size_t window = 8192;                  // in-process commands in flight
  bool sync = true;
  bool pregenerate = true;
  std::string store;                     // empty: a temporary folder, removed at the end
  std::string json_file;                 // empty: no JSON
  std::string svg_file;                  // empty: no picture (chart.h)
  std::string api_key;                   // with url: the key sent to that server (role ops or provider)
  std::string url;                       // HOST:PORT of a running server; empty: one in-process
  std::string write_padron;              // folder to write the padrón as CSV into
  std::string run_id;                    // request id prefix; empty: derived from the seed
  std::string start = "2026-11-02T08:00:00-03:00";  // simulated time of the first command
  uint64_t seed = 1;
  // Network adapters the network phase measures (comma-separated): http,
  // tcp (binary, plain), tls (binary over TLS 1.3 with a throwaway
  // certificate), or all; same mix, same engine, one after the other.
  std::string adapters = "http";
  size_t tcp_connections = 8;            // TCP/TLS clients
  size_t tcp_window = 64;                // commands in flight per TCP/TLS client
};

// Returns the process exit status: 0 when every run completed (business
// refusals are answers, not failures), 1 on a setup error, 2 on bad options.
int run_bench(const BenchConfig& config, std::ostream& out, std::ostream& progress);

}  // namespace autoriza::bench
