// autoriza serve --kafka BROKERS --role gateway|validator|projections, and
// autoriza devbroker (development and tests only).
#include "app/kafka_cmd.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>
#include <sstream>

#include "app/cli_common.h"
#include "app/commands.h"
#include "adapters/dev/dev_cluster.h"
#include "engine/core/reference_loader.h"
#include "adapters/kafka/reference_topic.h"
#include "adapters/http/server.h"
#include "adapters/service/service.h"

namespace autoriza::cli {

namespace {

namespace fs = std::filesystem;

// Waits for SIGINT/SIGTERM (0) or until failed() says why to stop (1). A
// SIGHUP on the way reloads the TLS listener's certificate (tcp_server:
// null when the role has none).
int wait_for_stop(const std::function<Status()>& failed, tcp::TcpServer* tcp_server = nullptr) {
  const sigset_t signals = tcp::serve_signals();
  timespec tick{0, 200'000'000};
  for (;;) {
    if (const int received = sigtimedwait(&signals, nullptr, &tick); received == SIGHUP) {
      tcp::reload_on_hangup(tcp_server);
    } else if (received > 0) {
      return 0;
    }
    if (Status s = failed(); !s) {
      std::cerr << "autoriza: stopping: " << s.to_string() << "\n";
      return 1;
    }
  }
}

// Reference data for a Kafka role: every process loads the same files with
// the same load time (the newest file's), so their reference streams match.
int load_reference_for_role(Engine& engine, const std::string& data) {
  if (data.empty()) return 0;
  if (!engine.reference()->affiliates.empty() || !engine.reference()->practices.empty()) return 0;
  ReferenceLoad load = load_reference_dir(data, *engine.reference());
  if (!load.ok()) {
    for (const auto& f : load.files) {
      for (const auto& e : f.errors) std::cerr << "  " << e << "\n";
    }
    std::cerr << "autoriza: reference data in " << data << " is rejected\n";
    return 1;
  }
  int64_t newest_s = 0;
  for (const auto& entry : fs::directory_iterator(data)) {
    std::error_code ec;
    const auto t = fs::last_write_time(entry.path(), ec);
    if (ec) continue;
    const auto sys = std::chrono::file_clock::to_sys(t);
    newest_s = std::max<int64_t>(newest_s, std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count());
  }
  ReferenceLoadStats stats;
  if (Status s = engine.load_reference(load.records, &stats, Millis{newest_s * 1000}); !s) {
    std::cerr << "autoriza: " << s.to_string() << "\n";
    return 1;
  }
  return 0;
}

// The gateway and projections roles answer HTTP (and binary TCP with
// --tcp-port) with the same authentication and limits as the embedded serve.
int serve_http(Service& service, const KafkaServeOptions& o, const std::function<Status()>& failed) {
  if (o.access.authentication && !prepare_keys(service.engine(), o.store)) return 1;
  service.set_access(o.access);
  if (!o.access.authentication) spdlog::warn("serve: --auth off: every request acts as ops; never do this outside a lab");
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(o.http, &host, &port)) {
    std::cerr << "autoriza serve: --http must be HOST:PORT, got '" << o.http << "'\n";
    return 2;
  }
  HttpServer server(service, host, port, o.threads);
  server.set_allow_client_time(o.allow_client_time);
  if (Status s = server.start(); !s) {
    std::cerr << "autoriza serve: cannot listen on " << o.http << ": " << s.to_string() << "\n";
    return 1;
  }
  // The same ready line as the embedded serve (scripts and tests wait for it).
  std::cout << "autoriza serving HTTP on " << host << ":" << server.port() << " (" << o.role << ", kafka " << o.brokers
            << ", store " << o.store << "); Ctrl-C stops" << std::endl;
  std::unique_ptr<tcp::TcpServer> tcp_server;
  std::ostringstream tcp_errors;
  if (!tcp::start_tcp(service, o.tcp, o.allow_client_time, &tcp_server, tcp_errors)) {
    std::cerr << "autoriza serve: " << tcp_errors.str() << "\n";
    server.stop();
    return 1;
  }
  if (tcp_server) std::cout << "autoriza serving binary TCP on " << o.tcp.host << ":" << tcp_server->port() << std::endl;
  const int rc = wait_for_stop(failed, tcp_server.get());
  if (tcp_server) tcp_server->stop();
  server.stop();
  return rc;
}

// --kafka may name the bootstrap file `autoriza devbroker` writes (read into
// o->brokers here), and --role must be one of the three. 0, or the exit code.
int resolve_kafka_options(KafkaServeOptions* o) {
  if (Status s = kafka::resolve_bootstrap(&o->brokers); !s) {
    std::cerr << "autoriza serve: " << s.to_string() << "\n";
    return 2;
  }
  if (o->role != "gateway" && o->role != "validator" && o->role != "projections") {
    std::cerr << "autoriza serve: --role must be gateway, validator or projections with --kafka, got '" << o->role
              << "'\n";
    return 2;
  }
  return 0;
}

// The role's local store (--store), with its keys; null (and why, on stderr)
// when it cannot be opened.
std::unique_ptr<Engine> open_role_engine(const KafkaServeOptions& o) {
  EngineOptions eo;
  eo.store = o.store;
  eo.partitions = PartitionId(o.partitions);
  eo.batch_max = o.batch_max;
  eo.sync = o.local_sync;
  eo.disk_reserve_bytes = o.disk_reserve_mib << 20;
  eo.keys = load_keys(o.store);
  if (!eo.keys) return nullptr;
  return open_engine(eo);
}

// Reference data: the files of --data (every role the same files), or
// autoriza.reference (read to its end now, then followed by *reference,
// which the caller keeps for as long as it serves). 0, or the exit code.
int start_reference(Engine& engine, const KafkaServeOptions& o, std::unique_ptr<kafka::ReferenceFollower>* reference) {
  if (!o.data.empty()) return load_reference_for_role(engine, o.data) != 0 ? 1 : 0;
  *reference = std::make_unique<kafka::ReferenceFollower>(engine, o.brokers);
  if (Status s = (*reference)->start(); !s) {
    std::cerr << "autoriza " << o.role << ": reference data from " << kafka::kReferenceTopic << ": " << s.to_string()
              << "\n";
    return 1;
  }
  if (engine.reference()->affiliates.empty()) {
    spdlog::warn("{}: {} holds no affiliates yet (autoriza load --kafka BROKERS --data DIR publishes them)", o.role,
                 kafka::kReferenceTopic);
  }
  return 0;
}

// --role validator: decides the commands of its partitions until a stop
// signal or a failure of the worker (exit code 1 when the worker failed).
int serve_validator(Engine& engine, const KafkaServeOptions& o, const kafka::Properties& producer,
                    const kafka::ReferenceFollower* reference) {
  kafka::WorkerOptions wo;
  if (reference) wo.reference_ready = [reference](Millis t) { return reference->ready_for(t); };
  wo.brokers = o.brokers;
  wo.group = o.group;
  wo.manual = !o.own.empty();
  for (int p : o.own) wo.partitions.push_back(p);
  wo.producer = producer;
  wo.consumer = {{"session.timeout.ms", std::to_string(o.session_timeout_ms)},
                 {"heartbeat.interval.ms", std::to_string(std::max(100, o.session_timeout_ms / 5))}};
  kafka::ValidatorWorker worker(engine, wo);
  if (Status s = worker.start(); !s) {
    std::cerr << "autoriza validator: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "autoriza validator on " << o.brokers << " (store " << o.store << ", "
            << (wo.manual ? "manual partitions" : "group " + o.group) << "); Ctrl-C stops" << std::endl;
  const int rc = wait_for_stop([&] { return worker.failure(); });
  worker.stop();
  return rc != 0 || !worker.failure() ? 1 : 0;
}

// --role gateway | projections: answers HTTP until a stop signal or a failure
// of the events follower. A gateway sends commands through Kafka; a
// projections worker refuses them.
int serve_front(Engine& engine, const KafkaServeOptions& o, const kafka::Properties& producer) {
  Service service(engine);
  // The projections role folds the events topic into its store; so does a
  // gateway unless --no-mirror (folding every event costs as much CPU as
  // deciding it: a gateway that only forwards commands leaves reads to a
  // projections worker).
  std::unique_ptr<kafka::EventFollower> follower;
  if (o.role == "projections" || o.mirror) {
    follower = std::make_unique<kafka::EventFollower>(engine, o.brokers);
    if (Status s = follower->start(); !s) {
      std::cerr << "autoriza " << o.role << ": " << s.to_string() << "\n";
      return 1;
    }
  }
  auto failed = [&] { return follower ? follower->failure() : Status::ok(); };
  if (o.role == "projections") {
    engine.set_command_sink([](PartitionId, Submission s) {
      s.done({Status::unavailable("this process serves reads (projections); send commands to a gateway"), nullptr, false});
    });
    return serve_http(service, o, failed);
  }
  kafka::GatewayOptions go;
  go.brokers = o.brokers;
  go.instance = uint16_t(o.instance);
  go.timeout_ms = o.timeout_ms;
  go.producer = producer;
  kafka::KafkaGateway gateway(engine, go);
  if (Status s = gateway.start(); !s) {
    std::cerr << "autoriza gateway: " << s.to_string() << "\n";
    return 1;
  }
  return serve_http(service, o, failed);
}

}  // namespace

int serve_kafka(const KafkaServeOptions& in) {
  KafkaServeOptions o = in;
  if (int rc = resolve_kafka_options(&o); rc != 0) return rc;
  auto engine = open_role_engine(o);
  if (!engine) return 1;
  // Declared before the role's objects, so it stops after them.
  std::unique_ptr<kafka::ReferenceFollower> reference;
  if (start_reference(*engine, o, &reference) != 0) return 1;
  const kafka::Properties producer = {{"linger.ms", std::to_string(o.linger_ms)}};
  if (o.role == "validator") return serve_validator(*engine, o, producer, reference.get());
  return serve_front(*engine, o, producer);
}

int read_cluster_reference(std::string* brokers, Reference* out, size_t* records, std::ostream& err) {
  Status s = kafka::resolve_bootstrap(brokers);
  if (!s) {
    err << "error: " << s.to_string() << "\n";
    return 2;
  }
  kafka::Handle reader = kafka::reference_reader(*brokers, &s);
  std::map<std::string, kafka::ReferenceEntry> current;
  int64_t next = 0;
  if (reader) s = kafka::read_reference_topic(reader.get(), &current, &next);
  if (!s) {
    err << "error: cannot read " << kafka::kReferenceTopic << ": " << s.to_string() << "\n";
    return 1;
  }
  *out = kafka::reference_of(current);
  *records = current.size();
  return 0;
}

Run add_devbroker(CLI::App& app) {
  auto options = std::make_shared<kafka::DevBrokerOptions>();
  auto file = std::make_shared<std::string>("autoriza-devbroker.bootstrap");
  app.add_option("--partitions", options->partitions, "Partitions of autoriza.commands and autoriza.events")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--brokers", options->brokers, "Mock brokers")->check(CLI::Range(1, 9))->capture_default_str();
  app.add_option("--bootstrap-file", *file, "Where the bootstrap list is written (ops scripts read it)")
      ->capture_default_str();
  return [options, file] {
    const sigset_t signals = tcp::serve_signals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    Status s;
    auto broker = kafka::DevBroker::start(*options, &s);
    if (!broker) {
      std::cerr << "autoriza devbroker: " << s.to_string() << "\n";
      return 1;
    }
    if (s = broker->write_bootstrap_file(*file); !s) {
      std::cerr << "autoriza devbroker: " << s.to_string() << "\n";
      return 1;
    }
    std::cout << "autoriza devbroker (librdkafka mock cluster: DEVELOPMENT AND TESTS ONLY, data in memory) on "
              << broker->bootstrap() << "; bootstrap list in " << *file << "; Ctrl-C stops" << std::endl;
    wait_for_stop([] { return Status::ok(); });
    std::error_code ec;
    fs::remove(*file, ec);
    return 0;
  };
}

}  // namespace autoriza::cli
