// autoriza bench: generate a padrón, drive the transaction mix in-process
// and over HTTP, print throughput and latency (bench/README.md explains the
// figures). The work is bench/loadgen's; this file only maps options.
#include <iostream>

#include "bench/loadgen/bench_run.h"
#include "bench/loadgen/driver.h"
#include "bench/loadgen/padron.h"
#include "app/commands.h"

namespace autoriza::cli {

Run add_bench(CLI::App& app) {
  auto c = std::make_shared<bench::BenchConfig>();
  auto data = std::make_shared<std::string>(c->data.string());
  auto no_sync = std::make_shared<bool>(false);
  auto live = std::make_shared<bool>(false);
  app.add_option("--data", *data, "Folder whose plans.csv and practices.csv (the nomenclator) the padron uses")
      ->check(CLI::ExistingDirectory)
      ->capture_default_str();
  app.add_option("--affiliates", c->affiliates, "Affiliates to generate")
      ->check(CLI::Range(size_t(1), bench::kAffiliatesMax))
      ->capture_default_str();
  app.add_option("--providers", c->providers, "Providers to generate (LAB, DENTIST, PHYSICIAN)")
      ->check(CLI::Range(size_t(3), bench::kProvidersMax))
      ->capture_default_str();
  app.add_option("--prescribers", c->prescribers, "Prescribers to generate (MD, OD)")
      ->check(CLI::Range(size_t(4), bench::kPrescribersMax))
      ->capture_default_str();
  app.add_option("--commands", c->commands, "Commands per measured run")
      ->check(CLI::Range(size_t(1), size_t(100'000'000)))
      ->capture_default_str();
  app.add_option("--mode", c->mode, "inprocess, http or both")
      ->check(CLI::IsMember({"inprocess", "http", "both"}))
      ->capture_default_str();
  app.add_option("--connections", c->connections, "HTTP connections (one client thread each)")
      ->check(CLI::Range(size_t(1), bench::kHttpConnectionsMax))
      ->capture_default_str();
  app.add_option("--pipeline", c->pipeline, "HTTP requests written at once per connection")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--server-threads", c->server_threads, "I/O threads of the in-process HTTP server")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--rate", c->rate, "In-process open loop at this many commands/s; 0: closed loop")
      ->check(CLI::Range(0.0, 1e8))
      ->capture_default_str();
  app.add_option("--latency-at", c->latency_pct,
                 "After a closed loop, an open loop at this % of its throughput (0: none)")
      ->check(CLI::Range(0, 200))
      ->capture_default_str();
  app.add_option("--partitions", c->partitions, "Engine partitions (writer threads)")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--batch-max", c->batch_max, "Commands per group commit")
      ->check(CLI::Range(size_t(1), size_t(65536)))
      ->capture_default_str();
  app.add_option("--window", c->window, "In-process commands in flight at most")
      ->check(CLI::Range(size_t(1), size_t(1) << 20))
      ->capture_default_str();
  app.add_flag("--no-sync", *no_sync, "Do not fsync the WAL per batch (not durable; experiments only)");
  app.add_flag("--live", *live, "Build every command inside the measured loop instead of ahead of it");
  app.add_option("--store", c->store, "Store folder (kept); default: a temporary folder removed at the end");
  app.add_option("--json", c->json_file, "Write the results as JSON into this file");
  app.add_option("--svg", c->svg_file, "Draw throughput and latency percentiles of every run as SVG into this file");
  app.add_option("--url", c->url, "HOST:PORT of a running `autoriza serve --allow-client-time` for the HTTP run");
  app.add_option("--api-key", c->api_key, "With --url: API key sent as Authorization: Bearer (an ops key: dev-keys.csv)");
  app.add_option("--write-padron", c->write_padron, "Also write the padron as CSV files into this folder");
  app.add_option("--run-id", c->run_id, "Prefix of request ids (default: from the seed; unique per run for --store/--url)");
  app.add_option("--start", c->start, "Simulated time of the first command")->capture_default_str();
  app.add_option("--seed", c->seed, "Seed of the padron and the mix")->capture_default_str();
  app.add_option("--adapters", c->adapters, "Network phase: http, tcp, tls (comma-separated) or all")
      ->capture_default_str();
  app.add_option("--tcp-connections", c->tcp_connections, "TCP/TLS client connections")->capture_default_str();
  app.add_option("--tcp-window", c->tcp_window, "TCP/TLS commands in flight per connection")->capture_default_str();
  return [c, data, no_sync, live] {
    c->data = *data;
    c->sync = !*no_sync;
    c->pregenerate = !*live;
    return bench::run_bench(*c, std::cout, std::cerr);
  };
}

}  // namespace autoriza::cli
