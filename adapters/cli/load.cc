// autoriza load: validate the five CSV files, report per file, load what is
// accepted. Exit 1 when a file is rejected.
#include <iostream>

#include "cli_common.h"
#include "commands.h"
#include "reference_loader.h"

namespace autoriza::cli {

int load_and_report(Engine& engine, const std::filesystem::path& data, std::ostream& out) {
  ReferenceLoad load = load_reference_dir(data, *engine.reference());
  out << "file               rows  status\n";
  for (const auto& f : load.files) {
    out << std::left << std::setw(18) << f.file << " " << std::right << std::setw(5) << f.rows << "  "
        << (f.rejected ? "REJECTED" : "ok") << "\n";
    for (const auto& e : f.errors) out << "  " << e << "\n";
  }
  ReferenceLoadStats stats;
  if (Status s = engine.load_reference(load.records, &stats, wall_clock_now()); !s) {
    out << "error: " << s.to_string() << "\n";
    return 1;
  }
  out << "reference events: " << stats.added << " added, " << stats.updated << " updated, " << stats.unchanged
      << " unchanged\n";
  return load.ok() ? 0 : 1;
}

Run add_load(CLI::App& app) {
  auto data = std::make_shared<std::string>();
  auto store = std::make_shared<std::string>("autoriza-data");
  app.add_option("--data", *data, "Folder with plans.csv, affiliates.csv, providers.csv, prescribers.csv, practices.csv")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--store", *store, "RocksDB store directory")->capture_default_str();
  return [data, store] {
    EngineOptions options;
    options.store = *store;
    auto engine = open_engine(options);
    if (!engine) return 1;
    return load_and_report(*engine, *data, std::cout);
  };
}

}  // namespace autoriza::cli
