#include "adapters/dev/devbroker.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

namespace autoriza::kafka {

namespace {

using AdminQueue = std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)>;

// Waits for the result event of one admin request; nullptr after timeout.
rd_kafka_event_t* admin_result(rd_kafka_queue_t* queue, std::chrono::milliseconds timeout) {
  return rd_kafka_queue_poll(queue, int(timeout.count()));
}

// Creates topics (name, partitions) with the replication the cluster allows
// (3 brokers or more: 3 replicas, min.insync.replicas 2, as in production).
Status create_topics(rd_kafka_t* admin, const std::vector<std::pair<std::string, int32_t>>& topics) {
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_resp_err_t e = rd_kafka_metadata(admin, 0, nullptr, &md, 10'000)) return status_of(e, "cluster metadata");
  const int rf = std::min(md->broker_cnt, 3);
  rd_kafka_metadata_destroy(md);
  std::vector<rd_kafka_NewTopic_t*> news;
  char err[512];
  for (const auto& [name, partitions] : topics) {
    rd_kafka_NewTopic_t* t = rd_kafka_NewTopic_new(name.c_str(), partitions, rf, err, sizeof err);
    if (!t) {
      for (auto* n : news) rd_kafka_NewTopic_destroy(n);
      return Status::invalid(std::string("topic ") + name + ": " + err);
    }
    rd_kafka_NewTopic_set_config(t, "min.insync.replicas", rf >= 3 ? "2" : "1");
    if (name == kReferenceTopic) rd_kafka_NewTopic_set_config(t, "cleanup.policy", "compact");
    news.push_back(t);
  }
  AdminQueue queue(rd_kafka_queue_new(admin), &rd_kafka_queue_destroy);
  rd_kafka_CreateTopics(admin, news.data(), news.size(), nullptr, queue.get());
  for (auto* n : news) rd_kafka_NewTopic_destroy(n);
  rd_kafka_event_t* ev = admin_result(queue.get(), std::chrono::seconds(30));
  if (!ev) return Status::unavailable("creating the test topics took more than 30 s");
  Status s = status_of(rd_kafka_event_error(ev), "create the test topics");
  if (const rd_kafka_CreateTopics_result_t* r = rd_kafka_event_CreateTopics_result(ev); r && s) {
    size_t n = 0;
    const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(r, &n);
    for (size_t i = 0; i < n && s; ++i) {
      if (rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i])) {
        s = status_of(e, std::string("create topic ") + rd_kafka_topic_result_name(results[i]));
      }
    }
  }
  rd_kafka_event_destroy(ev);
  return s;
}

}  // namespace

Status delete_topics(rd_kafka_t* admin, const std::vector<std::string>& names) {
  std::vector<rd_kafka_DeleteTopic_t*> dels;
  for (const std::string& n : names) dels.push_back(rd_kafka_DeleteTopic_new(n.c_str()));
  AdminQueue queue(rd_kafka_queue_new(admin), &rd_kafka_queue_destroy);
  rd_kafka_DeleteTopics(admin, dels.data(), dels.size(), nullptr, queue.get());
  for (auto* d : dels) rd_kafka_DeleteTopic_destroy(d);
  rd_kafka_event_t* ev = admin_result(queue.get(), std::chrono::seconds(30));
  if (!ev) return Status::unavailable("deleting the test topics took more than 30 s");
  Status s = status_of(rd_kafka_event_error(ev), "delete the test topics");
  rd_kafka_event_destroy(ev);
  return s;
}

Status use_own_test_topics() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string prefix = "autoriza-test-" + std::to_string(::getpid()) + "-" + std::to_string(ms) + ".";
  if (Status s = set_topic_prefix(prefix); !s) return s;
  ::setenv(kTopicPrefixEnv, prefix.c_str(), 1);
  return Status::ok();
}

std::unique_ptr<DevBroker> DevBroker::start_real(const DevBrokerOptions& o, const std::string& bootstrap,
                                                 Status* status) {
  if (topic_prefix() == "autoriza.") {  // this run's own topics
    if (*status = use_own_test_topics(); !*status) return nullptr;
  }
  std::unique_ptr<DevBroker> b(new DevBroker());
  b->bootstrap_ = bootstrap;
  b->owner_ = make_producer(bootstrap, {}, nullptr, nullptr, status);
  if (!b->owner_) return nullptr;
  const std::vector<std::pair<std::string, int32_t>> topics = {
      {kCommandsTopic, o.partitions}, {kEventsTopic, o.partitions}, {kRepliesTopic, o.reply_partitions},
      {kReferenceTopic, 1}, {kClaimsTopic, o.partitions}};
  size_t existing = 0;
  for (const auto& [name, partitions] : topics) {
    int32_t count = 0;
    if (partition_count(b->owner_.get(), name.c_str(), &count, std::chrono::milliseconds(5'000)).is_ok()) {
      if (count != partitions) {
        *status = Status::invalid(name + " exists with " + std::to_string(count) + " partitions, not " +
                                  std::to_string(partitions) + "; use another " + kTopicPrefixEnv);
        return nullptr;
      }
      ++existing;
    }
  }
  if (existing == topics.size()) {  // a prefix given with its topics made: used as they are, and kept
    spdlog::info("dev broker: on the real cluster {} (topics {}*, as given)", bootstrap, topic_prefix());
    *status = Status::ok();
    return b;
  }
  if (existing > 0) {
    *status = Status::invalid("some topics under " + topic_prefix() + " exist and others do not; use another " +
                              kTopicPrefixEnv);
    return nullptr;
  }
  if (*status = create_topics(b->owner_.get(), topics); !*status) return nullptr;
  for (const auto& t : topics) b->created_.push_back(t.first);
  spdlog::info("dev broker: on the real cluster {} (topics {}*)", bootstrap, topic_prefix());
  *status = Status::ok();
  return b;
}

std::unique_ptr<DevBroker> DevBroker::start(const DevBrokerOptions& o, Status* status) {
  AUTORIZA_CHECK(o.brokers >= 1 && o.partitions >= 1 && o.reply_partitions >= 1);
  if (const char* real = std::getenv(kRealClusterEnv); real && *real) return start_real(o, real, status);
  std::unique_ptr<DevBroker> b(new DevBroker());
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  rd_kafka_conf_set(conf, "log_level", "3", err, sizeof err);
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    *status = Status::unavailable(std::string("dev broker: ") + err);
    return nullptr;
  }
  b->owner_.reset(rk);
  b->cluster_ = rd_kafka_mock_cluster_new(rk, o.brokers);
  if (!b->cluster_) {
    *status = Status::unavailable("dev broker: cannot start the mock cluster");
    return nullptr;
  }
  b->bootstrap_ = rd_kafka_mock_cluster_bootstraps(b->cluster_);
  const int rf = std::min(o.brokers, 3);
  struct {
    const char* name;
    int32_t partitions;
  } topics[] = {{kCommandsTopic, o.partitions}, {kEventsTopic, o.partitions},
                {kRepliesTopic, o.reply_partitions}, {kReferenceTopic, 1}, {kClaimsTopic, o.partitions}};
  // Leaders are placed, not left to the mock's random choice: the partition
  // of a credential has its commands, events and replies led by different
  // brokers, as a real controller spreads leaders. With all three on one
  // mock broker (which the random choice gave about one run in three) the
  // mock serves that broker's held fetches and produces in turn: measured
  // p50 40 ms / CPU 35 us per transaction at 50,000/s, against 8-10 ms / 24-28 us.
  for (int32_t topic = 0; topic < int32_t(std::size(topics)); ++topic) {
    const auto& t = topics[topic];
    if (rd_kafka_resp_err_t e = rd_kafka_mock_topic_create(b->cluster_, t.name, t.partitions, rf)) {
      *status = status_of(e, std::string("dev broker: create topic ") + t.name);
      return nullptr;
    }
    for (int32_t p = 0; p < t.partitions; ++p) {
      const int32_t leader = 1 + (p + topic) % o.brokers;  // mock broker ids are 1..brokers
      if (rd_kafka_resp_err_t e = rd_kafka_mock_partition_set_leader(b->cluster_, t.name, p, leader)) {
        *status = status_of(e, std::string("dev broker: place the leader of ") + t.name);
        return nullptr;
      }
    }
  }
  *status = Status::ok();
  return b;
}

DevBroker::~DevBroker() {
  if (cluster_) rd_kafka_mock_cluster_destroy(cluster_);
  if (!created_.empty() && owner_) {
    if (Status s = delete_topics(owner_.get(), created_); !s) spdlog::warn("dev broker: {}", s.to_string());
  }
}

Status DevBroker::write_bootstrap_file(const std::filesystem::path& file) const {
  const std::filesystem::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << bootstrap_ << "\n";
    if (!out.flush()) return Status::io_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  return ec ? Status::io_error("cannot rename " + tmp.string() + ": " + ec.message()) : Status::ok();
}

Status resolve_bootstrap(std::string* brokers) {
  if (!std::filesystem::is_regular_file(*brokers)) return Status::ok();
  const std::filesystem::path file = *brokers;
  return read_bootstrap_file(file, brokers);
}

Status read_bootstrap_file(const std::filesystem::path& file, std::string* brokers) {
  std::ifstream in(file);
  if (!in || !std::getline(in, *brokers) || brokers->empty()) {
    return Status::invalid("cannot read a bootstrap list from " + file.string() + " (is `autoriza devbroker` running?)",
                           "--kafka");
  }
  return Status::ok();
}

}  // namespace autoriza::kafka
