// autoriza replay --store SRC --into DST: rebuild and verify.
#include <iostream>

#include "cli_common.h"
#include "commands.h"
#include "replay.h"

namespace autoriza::cli {

Run add_replay(CLI::App& app) {
  auto store = std::make_shared<std::string>("autoriza-data");
  auto into = std::make_shared<std::string>();
  app.add_option("--store", *store, "Store whose event log is replayed (opened read-only)")->capture_default_str();
  app.add_option("--into", *into, "New directory for the rebuilt store")->required();
  return [store, into] {
    ReplayReport report;
    auto progress = [](uint64_t done, uint64_t total) {
      std::cerr << "\rreplay: " << done << "/" << total << " events (" << (total ? 100 * done / total : 100) << "%)"
                << std::flush;
    };
    Status s = replay_store(*store, *into, &report, progress);
    std::cerr << "\n";
    if (!s) {
      std::cerr << "autoriza replay: " << s.to_string() << "\n";
      return 1;
    }
    std::cout << "replayed " << report.events << " events in " << std::fixed << std::setprecision(2) << report.seconds
              << " s (" << uint64_t(report.seconds > 0 ? report.events / report.seconds : 0) << " events/s)\n";
    std::cout << "table         equal  digest (live)\n";
    for (const auto& d : report.digests) {
      std::cout << std::left << std::setw(13) << d.table << " " << std::setw(6) << (d.equal() ? "yes" : "NO") << " "
                << d.source.substr(0, 16) << (d.equal() ? "" : " rebuilt " + d.rebuilt.substr(0, 16)) << "\n";
    }
    std::cout << (report.equal() ? "rebuilt state equals live state\n" : "REBUILT STATE DIFFERS\n");
    return report.equal() ? 0 : 1;
  };
}

}  // namespace autoriza::cli
