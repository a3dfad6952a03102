#pragma once
// Subcommands of the `autoriza` binary. Each registers its options on the
// CLI11 app and returns the process exit status when run.
#include <CLI/CLI.hpp>
#include <functional>

namespace autoriza::cli {

using Run = std::function<int()>;

Run add_serve(CLI::App& app);
Run add_load(CLI::App& app);
Run add_scenario(CLI::App& app);
Run add_replay(CLI::App& app);
Run add_bench(CLI::App& app);
Run add_keys(CLI::App& app);
Run add_client(CLI::App& app);
Run add_devbroker(CLI::App& app);
Run add_kafka_bench(CLI::App& app);
Run add_openapi(CLI::App& app);
Run add_users(CLI::App& app);
Run add_config(CLI::App& app);
Run add_backup(CLI::App& app);
Run add_restore(CLI::App& app);

}  // namespace autoriza::cli
