// autoriza: one binary, one subcommand per job. `autoriza SUBCOMMAND --help`
// describes each.
#include <sys/stat.h>

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "app/commands.h"
#include "app/config_file.h"
#include "adapters/kafka/kafka_client.h"
#include "engine/private_files.h"

int main(int argc, char** argv) {
  // Whatever autoriza writes (stores, RocksDB's files among them, keys,
  // exports) is its user's alone: 0700 folders, 0600 files
  // (engine/private_files.h). Set before any thread starts.
  ::umask(autoriza::kPrivateUmask);
  // Kafka topics under another prefix than "autoriza." (ops/kafka.md).
  if (autoriza::Status s = autoriza::kafka::topic_prefix_from_env(); !s) {
    std::cerr << "autoriza: " << s.to_string() << "\n";
    return 2;
  }
  CLI::App app{"autoriza: real-time validation of health-insurance transactions"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "autoriza 0.1.0");
  std::map<CLI::App*, autoriza::cli::Run> runs;
  auto add = [&](autoriza::cli::Run (*adder)(CLI::App&), const char* name, const char* help) {
    CLI::App* sub = app.add_subcommand(name, help);
    runs[sub] = adder(*sub);
  };
  add(autoriza::cli::add_serve, "serve", "Run the engine and answer HTTP/JSON");
  add(autoriza::cli::add_load, "load", "Validate and load reference data (CSV) into a store");
  add(autoriza::cli::add_scenario, "scenario", "Run conformance scenarios (JSON Lines) on fresh stores");
  add(autoriza::cli::add_replay, "replay", "Rebuild, verify, export and what-if over the event log");
  add(autoriza::cli::add_bench, "bench", "Generate a padron and drive a transaction mix; report throughput and latency");
  add(autoriza::cli::add_keys, "keys", "Add, list and revoke API keys and client certificates");
  add(autoriza::cli::add_client, "client", "Send one command over the binary TCP adapter and print the answer");
  add(autoriza::cli::add_devbroker, "devbroker", "Run a development Kafka broker (librdkafka mock cluster; dev and tests only)");
  add(autoriza::cli::add_kafka_bench, "kafka-bench", "Throughput and latency through gateway -> Kafka (dev broker) -> validator");
  add(autoriza::cli::add_users, "users", "Add, list, disable users of the providers' portal and reset their passwords");
  add(autoriza::cli::add_openapi, "openapi", "Print the OpenAPI 3.1 document of the HTTP API (GET /openapi.json)");
  add(autoriza::cli::add_config, "config", "Check a configuration file of `serve --config`");
  add(autoriza::cli::add_backup, "backup", "A consistent backup of a store, served or stopped");
  add(autoriza::cli::add_restore, "restore", "Restore a backup into a new store");
  // serve --config FILE: the file's keys become flags, the command line's win.
  std::vector<std::string> args;
  if (!autoriza::cli::expand_config(argc, argv, &args, std::cerr)) return 2;
  std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);  // CLI11 takes them last-first, without argv[0]
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (auto& [sub, run] : runs) {
    if (sub->parsed()) return run();
  }
  return 2;
}
