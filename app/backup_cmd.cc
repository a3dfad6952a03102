// autoriza backup --store S --to DIR and autoriza restore --from DIR --store S
// (engine/backup.h; ops/README.md, "Backup"). A stopped store is backed up
// here; a served one (its RocksDB is locked by the server) through the
// server's POST /v1/admin/backup, with an ops key (--key, $AUTORIZA_KEY, or
// the store's development `admin` key).
#include <fstream>
#include <iostream>
#include <memory>

#include "adapters/http/client.h"
#include "app/cli_common.h"
#include "app/commands.h"
#include "engine/backup.h"

namespace autoriza::cli {

namespace {

struct BackupOptions {
  std::string store = "autoriza-data";
  std::string to, from;
  std::string server = "127.0.0.1:8080";
  std::string key;
};

void progress(const std::string& step) { std::cout << "  " << step << "..." << std::endl; }

// The development admin key of a store, or empty.
std::string dev_admin_key(const std::string& store) {
  std::ifstream in(std::filesystem::path(store) / "dev-keys.csv");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("admin,", 0) == 0) return line.substr(line.rfind(',') + 1);
  }
  return {};
}

int backup_through_server(const BackupOptions& o) {
  std::string key = o.key;
  if (key.empty() && std::getenv("AUTORIZA_KEY")) key = std::getenv("AUTORIZA_KEY");
  if (key.empty()) key = dev_admin_key(o.store);
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(o.server, &host, &port)) {
    std::cerr << "backup: --server must be HOST:PORT, got '" << o.server << "'\n";
    return 2;
  }
  std::cout << "backup: the store " << o.store << " is served; asking the server at " << o.server << std::endl;
  HttpClient client;
  client.set_timeout(std::chrono::minutes(30));
  int status = 0;
  std::string answer;
  const std::string to = std::filesystem::absolute(o.to).string();
  Status s = client.connect(host, port);
  if (s) s = client.request("POST", "/v1/admin/backup", Json{{"to", to}}.dump(), &status, &answer, "Authorization", "Bearer " + key);
  if (!s) {
    std::cerr << "backup: " << s.to_string() << "\n";
    return 1;
  }
  if (status != 200) {
    std::cerr << "backup: the server answered " << status << ": " << answer << "\n";
    return 1;
  }
  std::cout << "backup: " << answer << std::endl;
  return 0;
}

int run_backup(const BackupOptions& o) {
  RocksJournalOptions jo;
  jo.statistics = false;
  Status s;
  std::unique_ptr<Journal> journal = open_rocks_journal(o.store, jo, &s);
  if (!journal) {
    if (s.message().find("lock") != std::string::npos) return backup_through_server(o);
    std::cerr << "backup: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "backup: " << o.store << " -> " << o.to << std::endl;
  BackupReport report;
  if (s = backup_store(*journal, o.store, o.to, &report, progress); !s) {
    std::cerr << "backup: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "backup: " << report.files << " files, " << report.bytes << " bytes in " << o.to << std::endl;
  return 0;
}

int run_restore(const BackupOptions& o) {
  std::cout << "restore: " << o.from << " -> " << o.store << std::endl;
  BackupReport report;
  if (Status s = restore_store(o.from, o.store, &report, progress); !s) {
    std::cerr << "restore: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "restore: " << report.files << " files, " << report.bytes << " bytes; start `autoriza serve --store "
            << o.store << "` (projections are rebuilt from the log) or check it with `autoriza replay --store "
            << o.store << " --into NEW`" << std::endl;
  return 0;
}

}  // namespace

Run add_backup(CLI::App& app) {
  auto o = std::make_shared<BackupOptions>();
  app.add_option("--store", o->store, "The store to back up (served or stopped)")->capture_default_str();
  app.add_option("--to", o->to, "A new folder for the backup")->required();
  app.add_option("--server", o->server, "A served store: the server's HTTP address HOST:PORT")->capture_default_str();
  app.add_option("--key", o->key, "A served store: an ops key (default: $AUTORIZA_KEY, else the store's dev admin key)");
  return [o] { return run_backup(*o); };
}

Run add_restore(CLI::App& app) {
  auto o = std::make_shared<BackupOptions>();
  app.add_option("--from", o->from, "A folder `autoriza backup` wrote")->required()->check(CLI::ExistingDirectory);
  app.add_option("--store", o->store, "The new store (must not exist or be empty)")->required();
  return [o] { return run_restore(*o); };
}

}  // namespace autoriza::cli
