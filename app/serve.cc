// autoriza serve: the engine on the embedded store, answering HTTP/JSON.
#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <csignal>
#include <iostream>
#include <sstream>

#include "adapters/auth/portal_users.h"
#include "app/cli_common.h"
#include "adapters/auth/key_admin.h"
#include "app/commands.h"
#include "app/kafka_cmd.h"
#include "adapters/service/log_setup.h"
#include "adapters/http/server.h"
#include "adapters/service/service.h"
#include "app/serve_options.h"  // the binary TCP adapter

namespace autoriza::cli {

bool split_host_port(const std::string& text, std::string* host, uint16_t* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  try {
    const int p = std::stoi(text.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    *host = text.substr(0, colon);
    *port = uint16_t(p);
  } catch (...) {
    return false;
  }
  return true;
}

bool prepare_keys(Engine& engine, const std::string& store) {
  const bool had_keys = !engine.reference()->api_keys.empty();
  const std::filesystem::path csv = std::filesystem::path(store) / "dev-keys.csv";
  std::vector<auth::DevKey> keys;
  Status s = auth::ensure_dev_keys(engine, csv, &keys);
  if (had_keys) return true;  // production stores have no dev-keys.csv: fine
  if (!s) {
    spdlog::error("serve: cannot create development keys: {}", s.to_string());
    return false;
  }
  std::cout << "created " << keys.size() << " development API keys (one per provider, 'auditor', 'admin') in "
            << csv.string() << " (mode 0600); send them as 'Authorization: Bearer KEY'" << std::endl;
  spdlog::info("serve: created {} development API keys in {}", keys.size(), csv.string());  // never the keys
  return true;
}

bool prepare_portal_users(Engine& engine, const std::string& store, const std::string& http) {
  const std::filesystem::path dir(store);
  if (!std::filesystem::exists(dir / "dev-keys.csv")) return true;  // not a development store
  std::vector<auth::DevUser> users;
  if (Status s = auth::ensure_dev_users(engine, dir / "dev-users.csv", wall_clock_now(), &users); !s) {
    spdlog::error("serve: cannot create the portal's development users: {}", s.to_string());
    return false;
  }
  if (users.empty()) return true;
  // Standard output, not the log: how a newcomer signs in to try the portal.
  std::cout << "providers' portal: http://" << http << "/prestadores/ (development users, also in "
            << (dir / "dev-users.csv").string() << "):" << std::endl;
  for (const auth::DevUser& u : users) {
    std::cout << "  usuario " << u.user << "  lugar de atención " << u.providers.substr(0, u.providers.find(';'))
              << (u.providers.find(';') == std::string::npos ? "" : " (o " + u.providers.substr(u.providers.find(';') + 1) + ")")
              << "  contraseña " << u.password << std::endl;
  }
  return true;
}

namespace {

struct ServeOptions {
  std::string data;
  std::string store = "autoriza-data";
  std::string http = "127.0.0.1:8080";
  int partitions = 1;
  size_t batch_max = 4096;
  unsigned threads = 2;
  bool no_sync = false;
  uint64_t disk_reserve_mib = 64;  // commands refused below this much free space (engine/store_health.h)
  bool allow_client_time = false;
  std::string auth = "on";
  std::string log_format = "json";
  double rate_per_s = 20'000;
  int auth_failures_max = auth::FailureLimiter::kFailuresMaxDefault;
  int auth_failures_window_s = int(auth::FailureLimiter::kWindowDefault.count());
  std::string trusted_proxies;  // --trusted-proxies (adapters/auth/trusted_proxies.h)
  std::string insurer;     // insurer.json; empty: <data>/insurer.json when there is one
  std::string public_url;  // empty: http://<--http>
  bool sample_family = false;
  std::string config;      // --config: expanded into the other options before parsing (config_file.h)
  tcp::TcpServeOptions tcp;
  KafkaServeOptions kafka;  // kafka.brokers set: cluster mode (kafka_cmd.cc)
};

// GET /metrics: access-log lines dropped because the log could not keep up.
MetricsSources::Id add_log_metrics(Service& service, const LogSetup& logs) {
  return service.metrics_sources().add("log", [&logs](PrometheusText& out) {
    out.add("autoriza_log_dropped_lines_total", MetricType::kCounter,
            "Access-log lines dropped because the logging thread fell behind", {}, double(logs.dropped_lines()));
  });
}

int serve(const ServeOptions& o, const LogSetup& logs);

// The logs first (stderr, --log-format), so that every later line, errors
// included, is in that format.
int serve_logged(const ServeOptions& o) {
  LogFormat format = LogFormat::kJson;
  if (Status s = parse_log_format(o.log_format, &format); !s) {
    std::cerr << "autoriza serve: " << s.to_string() << "\n";
    return 2;
  }
  LogSetup logs(format, /*capture_stderr=*/true);
  spdlog::info("serve: starting (store {}, {} partition(s), log format {})", o.store, o.partitions, o.log_format);
  const int code = serve(o, logs);
  if (code != 0) spdlog::error("serve: exiting with status {}", code);
  return code;
}

// --auth, --rate-limit and --auth-failures-* (the embedded serve and the
// Kafka roles alike).
AccessOptions access_of(const ServeOptions& o) {
  AccessOptions access;
  access.authentication = o.auth == "on";
  access.rate_per_s = o.rate_per_s;
  access.rate_burst = 2 * o.rate_per_s;
  access.auth_failures_max = o.auth_failures_max;
  access.auth_failures_window_s = o.auth_failures_window_s;
  const Status proxies = auth::TrustedProxies::parse(o.trusted_proxies, &access.trusted_proxies);
  AUTORIZA_CHECK(proxies.is_ok());  // the option's check parsed it already
  return access;
}

// serve --kafka: the cluster role (kafka_cmd.cc), with serve's own options.
int serve_cluster(const ServeOptions& o) {
  KafkaServeOptions k = o.kafka;
  k.data = o.data;
  k.store = o.store;
  k.http = o.http;
  k.partitions = o.partitions;
  k.batch_max = o.batch_max;
  k.threads = o.threads;
  if (o.no_sync) spdlog::info("serve: --no-sync is the default with --kafka (--local-sync fsyncs the local store)");
  k.allow_client_time = o.allow_client_time;
  k.access = access_of(o);
  k.disk_reserve_mib = o.disk_reserve_mib;
  k.tcp = o.tcp;
  return serve_kafka(k);
}

// The embedded store, with the reference data of --data loaded when it holds
// none yet; null (and why) when it cannot be opened or the data is rejected.
std::unique_ptr<Engine> open_served_store(const ServeOptions& o) {
  EngineOptions eo;
  eo.store = o.store;
  eo.partitions = PartitionId(o.partitions);
  eo.batch_max = o.batch_max;
  eo.sync = !o.no_sync;
  eo.disk_reserve_bytes = o.disk_reserve_mib << 20;
  eo.keys = load_keys(o.store);
  if (!eo.keys) return nullptr;
  auto engine = open_engine(eo);
  if (!engine) return nullptr;
  const bool empty = engine->reference()->affiliates.empty() && engine->reference()->practices.empty();
  if (!o.data.empty() && empty) {
    std::cout << "loading reference data from " << o.data << " into the empty store " << o.store << "\n";
    if (load_and_report(*engine, o.data, std::cout) != 0) return nullptr;
  } else if (!o.data.empty()) {
    std::cout << "store " << o.store << " already holds reference data; `autoriza load` updates it\n";
  }
  return engine;
}

// --auth, --rate-limit and --auth-failures-*, for every request the service
// answers (and the TCP adapter's authentications).
void set_serve_access(Service& service, const ServeOptions& o) {
  const AccessOptions access = access_of(o);
  service.set_access(access);
  if (!access.authentication) {
    spdlog::warn("serve: --auth off: every request acts as ops; never do this outside a lab");
  }
}

// --insurer (default: insurer.json of --data) and --public-url, for the
// affiliates' card, "Datos útiles" and shared links.
bool set_serve_insurer(Service& service, const ServeOptions& o, const std::string& host, uint16_t port) {
  card::Insurer insurer;
  std::filesystem::path file = o.insurer;
  if (file.empty() && !o.data.empty() && std::filesystem::exists(std::filesystem::path(o.data) / "insurer.json")) {
    file = std::filesystem::path(o.data) / "insurer.json";
  }
  if (!file.empty()) {
    if (Status s = card::load_insurer(file, &insurer); !s) {
      spdlog::error("serve: --insurer: {}", s.message());
      return false;
    }
  }
  insurer.public_url = o.public_url.empty() ? "http://" + host + ":" + std::to_string(port) : o.public_url;
  while (insurer.public_url.ends_with('/')) insurer.public_url.pop_back();
  service.set_insurer(std::move(insurer));
  return true;
}

// Raises the soft limit of open files to the hard one: every listener holds
// up to 1,024 connections (HTTP, TCP), plus the store's files, and the
// listeners evict idle connections instead of running out. Below what they
// need, says so (ops raise the hard limit: LimitNOFILE, ulimit -Hn).
void raise_open_files_limit() {
  constexpr rlim_t kNeeded = 4096;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) (void)getrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < kNeeded) {
    spdlog::warn("serve: {} open files at most (ulimit -n); the listeners may need {}", uint64_t(limit.rlim_cur),
                 uint64_t(kNeeded));
  }
}

// Blocks until SIGINT or SIGTERM arrives; returns its number. A SIGHUP on
// the way reloads the TLS listener's certificate.
int wait_for_stop_signal(tcp::TcpServer* tcp_server) {
  const sigset_t signals = tcp::serve_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  for (;;) {
    int received = 0;
    sigwait(&signals, &received);
    if (received != SIGHUP) return received;
    tcp::reload_on_hangup(tcp_server);
  }
}

int serve(const ServeOptions& o, const LogSetup& logs) {
  raise_open_files_limit();
  if (!o.kafka.brokers.empty()) return serve_cluster(o);
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(o.http, &host, &port)) {
    spdlog::error("serve: --http must be HOST:PORT, got '{}'", o.http);
    return 2;
  }
  auto engine = open_served_store(o);
  if (!engine) return 1;
  if (o.auth == "on" && !prepare_keys(*engine, o.store)) return 1;
  if (o.auth == "on" && !prepare_portal_users(*engine, o.store, o.http)) return 1;
  Service service(*engine);
  add_log_metrics(service, logs);
  set_serve_access(service, o);
  if (!set_serve_insurer(service, o, host, port)) return 1;
  if (o.sample_family && o.auth == "on" && !prepare_affiliates(*engine, o.store, service.insurer().public_url)) return 1;
  HttpServer server(service, host, port, o.threads);
  server.set_allow_client_time(o.allow_client_time);
  if (Status s = server.start(); !s) {
    spdlog::error("serve: cannot listen on {}: {}", o.http, s.to_string());
    return 1;
  }
  // The line scripts and tests wait for (stdout); the log has its own.
  std::cout << "autoriza serving HTTP on " << host << ":" << server.port() << " (store " << o.store << ", "
            << o.partitions << " partition(s)); Ctrl-C stops" << std::endl;
  std::unique_ptr<tcp::TcpServer> tcp_server;
  std::ostringstream tcp_errors;
  if (!tcp::start_tcp(service, o.tcp, o.allow_client_time, &tcp_server, tcp_errors)) {
    spdlog::error("serve: {}", tcp_errors.str());
    return 1;
  }
  if (tcp_server) std::cout << "autoriza serving binary TCP on " << o.tcp.host << ":" << tcp_server->port() << std::endl;
  const int received = wait_for_stop_signal(tcp_server.get());
  std::cout << "autoriza: signal " << received << ", draining and stopping" << std::endl;
  spdlog::info("serve: signal {}, draining and stopping", received);
  if (tcp_server) tcp_server->stop();
  server.stop();
  spdlog::info("serve: stopped");
  return 0;
}

// --auth, --rate-limit, --auth-failures-max, --auth-failures-window and --trusted-proxies.
void add_access_options(CLI::App& app, ServeOptions* o) {
  app.add_option("--auth", o->auth, "Authentication of every request by API key (off: experiments only)")
      ->check(CLI::IsMember({"on", "off"}))
      ->capture_default_str();
  app.add_option("--rate-limit", o->rate_per_s, "Requests per second per principal (burst: twice that); 0: none")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  app.add_option("--auth-failures-max", o->auth_failures_max,
                 "Failed authentications (API keys, TLS handshakes, sign-ins) per client address within "
                 "--auth-failures-window; beyond them 429 until it passes. 0: no limit")
      ->check(CLI::Range(0, 1'000'000))
      ->capture_default_str();
  app.add_option("--auth-failures-window", o->auth_failures_window_s,
                 "Seconds of the window of --auth-failures-max, from an address's first failure")
      ->check(CLI::Range(1, 86'400))
      ->capture_default_str();
  app.add_option("--trusted-proxies", o->trusted_proxies,
                 "Reverse proxies in front of HTTP (\"10.0.0.0/8,::1\"): a request from one is the client's its "
                 "X-Forwarded-For names, for the limit of failed authentications. Default: none (the peer address)")
      ->check(CLI::Validator(
          [](std::string& list) {
            auth::TrustedProxies proxies;
            const Status s = auth::TrustedProxies::parse(list, &proxies);
            return s ? std::string() : s.message();
          },
          "ADDRESSES", "trusted proxies"));
}

}  // namespace

Run add_serve(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  app.add_option("--data", o->data, "Reference data folder, loaded when the store is empty (with --kafka: without it, roles read autoriza.reference)")->check(CLI::ExistingDirectory);
  app.add_option("--store", o->store, "RocksDB store directory")->capture_default_str();
  app.add_option("--config", o->config,
                 "A TOML file whose keys are these options (ops/autoriza.toml); options given here override it");
  app.add_option("--http", o->http, "HTTP listen address HOST:PORT")->capture_default_str();
  app.add_option("--insurer", o->insurer,
                 "The insurer's name, logo, card notice and contacts for affiliates (JSON; default: insurer.json of "
                 "--data, else a neutral default)")->check(CLI::ExistingFile);
  app.add_flag("--sample-family", o->sample_family,
               "Development stores: register a sample family (titular and member) in the affiliates' app the first "
               "time, keep their passwords in STORE/dev-affiliates.csv and print how to sign in (ops/demo.sh)");
  app.add_option("--public-url", o->public_url,
                 "Where affiliates reach this server (https://afiliados.example.org): shared-card links start with it "
                 "(default: http://HOST:PORT of --http)");
  app.add_option("--partitions", o->partitions, "Partitions (writer threads); fixed when the store is created")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--batch-max", o->batch_max, "Commands per group commit")->check(CLI::Range(1, 65536))->capture_default_str();
  app.add_option("--threads", o->threads, "HTTP I/O threads")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_flag("--no-sync", o->no_sync, "Do not fsync the WAL per batch (acknowledged data may be lost on power failure)");
  app.add_option("--disk-reserve-mib", o->disk_reserve_mib,
                 "Free space (MiB) kept on the store's file system: below it commands are refused with 503 STORE_FULL "
                 "(reads go on) until there is room again")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  add_access_options(app, o.get());
  app.add_option("--log-format", o->log_format,
                 "Logs on stderr: json (one object per line) or text; one access line per command")
      ->check(CLI::IsMember({"json", "text"}))
      ->capture_default_str();
  app.add_flag("--allow-client-time", o->allow_client_time,
               "Honour the X-Autoriza-Time header as the command's clock (tests and demos only)");
  tcp::add_tcp_options(app, &o->tcp);
  app.add_option("--kafka", o->kafka.brokers,
                 "Cluster mode: Kafka bootstrap list HOST:PORT,..., or a file holding one (autoriza devbroker writes it)");
  app.add_option("--role", o->kafka.role, "With --kafka: gateway | validator | projections");
  app.add_option("--own", o->kafka.own, "Validator: own these partitions (no consumer group)")->delimiter(',');
  app.add_option("--group", o->kafka.group, "Validator: consumer group")->capture_default_str();
  app.add_option("--instance", o->kafka.instance, "Gateway: instance number (its partition of autoriza.replies)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--timeout-ms", o->kafka.timeout_ms, "Gateway: answer 504 after this")->capture_default_str();
  app.add_flag("--mirror,!--no-mirror", o->kafka.mirror,
               "Gateway: fold autoriza.events into --store to answer reads (default); --no-mirror: commands only, "
               "reads go to a projections worker");
  app.add_option("--session-timeout-ms", o->kafka.session_timeout_ms, "Validator: consumer group session timeout")
      ->check(CLI::Range(1000, 300000))
      ->capture_default_str();
  app.add_flag("--local-sync", o->kafka.local_sync,
               "With --kafka: also fsync the local store's WAL per batch (off by default: the store is rebuilt from "
               "autoriza.events, an answer is durable once Kafka acknowledged its event)");
  app.add_option("--linger-ms", o->kafka.linger_ms, "Kafka producer linger.ms")->capture_default_str();
  return [o] {
    // Block the stop and reload signals before any thread starts, so sigwait gets them.
    const sigset_t signals = tcp::serve_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    return serve_logged(*o);
  };
}

}  // namespace autoriza::cli
