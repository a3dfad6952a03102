// autoriza load: validate the five CSV files, report per file, load what is
// accepted (into a store, or with --kafka into autoriza.reference). Exit 1
// when a file is rejected.
#include <iostream>

#include "app/cli_common.h"
#include "app/commands.h"
#include "app/kafka_cmd.h"
#include "engine/core/reference_loader.h"
#include "adapters/kafka/reference_topic.h"

namespace autoriza::cli {

static void print_file_reports(const ReferenceLoad& load, std::ostream& out) {
  out << "file               rows  status\n";
  for (const auto& f : load.files) {
    out << std::left << std::setw(18) << f.file << " " << std::right << std::setw(5) << f.rows << "  "
        << (f.rejected ? "REJECTED" : "ok") << "\n";
    for (const auto& e : f.errors) out << "  " << e << "\n";
  }
}

int load_and_report(Engine& engine, const std::filesystem::path& data, std::ostream& out) {
  ReferenceLoad load = load_reference_dir(data, *engine.reference());
  print_file_reports(load, out);
  ReferenceLoadStats stats;
  if (Status s = engine.load_reference(load.records, &stats, wall_clock_now()); !s) {
    out << "error: " << s.to_string() << "\n";
    return 1;
  }
  out << "reference events: " << stats.added << " added, " << stats.updated << " updated, " << stats.unchanged
      << " unchanged\n";
  return load.ok() ? 0 : 1;
}

namespace {

// autoriza load --kafka: validates the files against what autoriza.reference
// holds and publishes the records that are new or changed.
int load_to_kafka(std::string brokers, const std::filesystem::path& data, std::ostream& out) {
  Reference published;
  size_t before = 0;
  if (int rc = read_cluster_reference(&brokers, &published, &before, out); rc != 0) return rc;
  ReferenceLoad load = load_reference_dir(data, published);
  print_file_reports(load, out);
  ReferenceLoadStats stats;
  int64_t in_force_ms = 0;
  if (Status s = kafka::publish_reference(brokers, load.records, wall_clock_now().value, &stats, &published,
                                          &in_force_ms);
      !s) {
    out << "error: " << s.to_string() << "\n";
    return 1;
  }
  out << kafka::kReferenceTopic << ": " << stats.added << " added, " << stats.updated << " updated, " << stats.unchanged
      << " unchanged (" << before << " records there before); in force for commands from "
      << format_instant(Millis{in_force_ms}) << "\n";
  return load.ok() ? 0 : 1;
}

}  // namespace

Run add_load(CLI::App& app) {
  auto data = std::make_shared<std::string>();
  auto store = std::make_shared<std::string>("autoriza-data");
  auto brokers = std::make_shared<std::string>();
  app.add_option("--data", *data, "Folder with plans.csv, affiliates.csv, providers.csv, prescribers.csv, practices.csv")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--store", *store, "RocksDB store directory")->capture_default_str();
  app.add_option("--kafka", *brokers,
                 "Cluster mode: publish to autoriza.reference instead (bootstrap HOST:PORT,..., or a file holding one)");
  return [data, store, brokers] {
    if (!brokers->empty()) return load_to_kafka(*brokers, *data, std::cout);
    EngineOptions options;
    options.store = *store;
    auto engine = open_engine(options);
    if (!engine) return 1;
    return load_and_report(*engine, *data, std::cout);
  };
}

}  // namespace autoriza::cli
