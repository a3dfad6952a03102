#include "adapters/dev/dev_cluster.h"

namespace autoriza::kafka {

std::unique_ptr<Engine> open_worker_engine(const std::filesystem::path& store, const EngineOptions& like,
                                           const std::vector<fb::ReferenceRecordUnion>& reference, Status* status) {
  std::error_code ec;
  std::filesystem::create_directories(store, ec);  // RocksDB makes the last level only
  EngineOptions eo = like;
  eo.store = store;
  eo.on_commit = nullptr;
  auto engine = Engine::open(eo, status);
  if (!engine) return nullptr;
  ReferenceLoadStats stats;
  if (*status = engine->load_reference(reference, &stats); !*status) return nullptr;
  return engine;
}

std::unique_ptr<DevCluster> DevCluster::start(Engine& gateway_engine, const std::filesystem::path& dir,
                                              const std::vector<fb::ReferenceRecordUnion>& reference,
                                              const DevClusterOptions& options, Status* status) {
  AUTORIZA_CHECK(options.validators >= 1);
  std::unique_ptr<DevCluster> c(new DevCluster());
  c->dir_ = dir;
  c->reference_ = reference;
  c->options_ = options;
  c->gateway_engine_ = &gateway_engine;
  DevBrokerOptions bo;
  bo.partitions = int32_t(gateway_engine.options().partitions);
  c->broker_ = DevBroker::start(bo, status);
  if (!c->broker_) return nullptr;
  c->engines_.resize(size_t(options.validators));
  c->workers_.resize(size_t(options.validators));
  for (size_t i = 0; i < size_t(options.validators); ++i) {
    if (*status = c->start_worker(i); !*status) return nullptr;
  }
  GatewayOptions go;
  go.brokers = c->broker_->bootstrap();
  go.timeout_ms = options.timeout_ms;
  go.producer = options.producer;
  go.consumer = options.consumer;
  c->gateway_ = std::make_unique<KafkaGateway>(gateway_engine, go);
  if (*status = c->gateway_->start(); !*status) return nullptr;
  if (!options.mirror) return c;
  c->follower_ = std::make_unique<EventFollower>(gateway_engine, c->broker_->bootstrap());
  if (*status = c->follower_->start(); !*status) return nullptr;
  return c;
}

Status DevCluster::start_worker(size_t i) {
  Status s;
  if (!engines_[i]) {
    EngineOptions like = gateway_engine_->options();
    like.wrap_journal = nullptr;  // the gateway's own
    if (options_.worker_engine) options_.worker_engine(i, like);
    engines_[i] = open_worker_engine(dir_ / ("validator-" + std::to_string(i)), like, reference_, &s);
    if (!engines_[i]) return s;
  }
  WorkerOptions wo;
  wo.brokers = broker_->bootstrap();
  wo.producer = options_.producer;
  wo.manual = !options_.group;
  wo.consumer = options_.consumer;
  wo.reply_timeout_ms = options_.reply_timeout_ms;
  wo.events_stall_ms = options_.events_stall_ms;
  wo.consumer["session.timeout.ms"] = "6000";
  wo.consumer["heartbeat.interval.ms"] = "500";
  for (int32_t p = 0; p < int32_t(gateway_engine_->options().partitions); ++p) {
    if (size_t(p) % size_t(options_.validators) == i) wo.partitions.push_back(p);
  }
  workers_[i] = std::make_unique<ValidatorWorker>(*engines_[i], wo);
  return workers_[i]->start();
}

void DevCluster::kill_worker(size_t i, bool lose_disk) {
  workers_[i].reset();
  engines_[i].reset();
  if (lose_disk) {
    std::error_code ec;
    std::filesystem::remove_all(dir_ / ("validator-" + std::to_string(i)), ec);
  }
}

DevCluster::~DevCluster() {
  follower_.reset();
  gateway_.reset();  // answers what is pending; the engine's sink stays set but unused
  workers_.clear();
  engines_.clear();
  broker_.reset();
}

Status DevCluster::sync() {
  if (!follower_) return Status::unavailable("this dev cluster's gateway keeps no mirror of autoriza.events");
  return follower_->sync();
}

}  // namespace autoriza::kafka
