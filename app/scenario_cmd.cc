// autoriza scenario --data DIR FILE...
#include <iostream>

#include "app/commands.h"
#include "adapters/dev/dev_cluster.h"
#include "adapters/dev/runner.h"

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
  auto kafka = std::make_shared<std::string>();
  app.add_option("--kafka", *kafka,
                 "dev: run each file through a dev broker, a gateway and two validator workers (Kafka cluster mode)")
      ->check(CLI::IsMember({"dev"}));
  auto group = std::make_shared<bool>(false);
  app.add_flag("--kafka-group", *group, "With --kafka dev: validators in a consumer group (rebalances) instead of fixed partitions");
  return [options, data, files, kafka, group] {
    if (*kafka == "dev") {
      options->transport = [group](Engine& engine, const std::filesystem::path& dir,
                                   const std::vector<fb::ReferenceRecordUnion>& reference,
                                   Status* status) -> std::unique_ptr<ScenarioTransport> {
        kafka::DevClusterOptions co;
        co.group = *group;
        return kafka::DevCluster::start(engine, dir, reference, co, status);
      };
    }
    options->data = *data;
    for (const auto& f : *files) options->files.emplace_back(f);
    const ScenarioTotals totals = run_scenarios(*options, std::cout);
    return totals.failed == 0 ? 0 : 1;
  };
}

}  // namespace autoriza::cli
