// autoriza scenario --data DIR FILE...
#include <iostream>

#include "commands.h"
#include "runner.h"

namespace autoriza::cli {

Run add_scenario(CLI::App& app) {
  auto options = std::make_shared<ScenarioOptions>();
  auto data = std::make_shared<std::string>();
  auto files = std::make_shared<std::vector<std::string>>();
  app.add_option("--data", *data, "Reference data folder loaded into each fresh store")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("files", *files, "Scenario files (JSON Lines)")->required()->check(CLI::ExistingFile);
  app.add_flag("-v,--verbose", options->verbose, "Print every step, not only failures");
  return [options, data, files] {
    options->data = *data;
    for (const auto& f : *files) options->files.emplace_back(f);
    const ScenarioTotals totals = run_scenarios(*options, std::cout);
    return totals.failed == 0 ? 0 : 1;
  };
}

}  // namespace autoriza::cli
