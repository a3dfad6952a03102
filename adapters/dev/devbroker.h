#pragma once
// The development broker: librdkafka's in-process mock cluster. FOR
// DEVELOPMENT AND TESTS ONLY: it keeps ~5 MiB per partition, binds random
// loopback ports, writes a retried produce twice when its ack was lost,
// ignores transaction isolation. Production points --kafka at a real cluster
// (ops/kafka.md).
#include <librdkafka/rdkafka.h>
// rdkafka_mock.h needs rdkafka.h first.
#include <librdkafka/rdkafka_mock.h>

#include <filesystem>
#include <string>
#include <vector>

#include "adapters/kafka/claims.h"
#include "adapters/kafka/kafka_client.h"

namespace autoriza::kafka {

struct DevBrokerOptions {
  int brokers = 3;
  int32_t partitions = 1;          // of autoriza.commands and autoriza.events
  int32_t reply_partitions = 4;    // of autoriza.replies (one per gateway)
};

// AUTORIZA_TEST_KAFKA=host:port[,...]: every dev broker of the process (the
// kafka test label, `scenario --kafka dev`, `devbroker`) stands for that real
// cluster instead of a mock: it creates this run's topics there, under a
// topic prefix of their own (AUTORIZA_KAFKA_TOPIC_PREFIX when set, else
// "autoriza-test-<pid>-<ms>.", exported so the processes a test starts use
// it too), and deletes them when it goes.
inline constexpr const char* kRealClusterEnv = "AUTORIZA_TEST_KAFKA";
// Names this process's topics "autoriza-test-<pid>-<ms>.*" and exports the
// prefix (AUTORIZA_KAFKA_TOPIC_PREFIX) to the processes it starts.
Status use_own_test_topics();

class DevBroker {
 public:
  // Starts the cluster and creates the topics (on the real cluster when
  // AUTORIZA_TEST_KAFKA is set).
  static std::unique_ptr<DevBroker> start(const DevBrokerOptions& options, Status* status);
  ~DevBroker();
  const std::string& bootstrap() const { return bootstrap_; }
  // The mock cluster, for fault injection; nullptr on a real cluster.
  rd_kafka_mock_cluster_t* cluster() { return cluster_; }
  bool real() const { return cluster_ == nullptr; }
  // Writes the bootstrap list (one line) atomically (temp file + rename).
  Status write_bootstrap_file(const std::filesystem::path& file) const;

 private:
  DevBroker() = default;
  static std::unique_ptr<DevBroker> start_real(const DevBrokerOptions& options, const std::string& bootstrap,
                                               Status* status);
  Handle owner_;  // the mock cluster lives in this handle's threads (on a real cluster: the admin client)
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_;
  std::vector<std::string> created_;  // real cluster: this run's topics, deleted at the end
};

// Deletes topics (a real cluster's test topics).
Status delete_topics(rd_kafka_t* admin, const std::vector<std::string>& names);

// Reads a bootstrap file written by `autoriza devbroker`.
Status read_bootstrap_file(const std::filesystem::path& file, std::string* brokers);
// A --kafka value: a bootstrap list as it is, or the file holding one (read
// into *brokers).
Status resolve_bootstrap(std::string* brokers);

}  // namespace autoriza::kafka
