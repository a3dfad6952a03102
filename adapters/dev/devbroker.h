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

#include "adapters/kafka/claims.h"
#include "adapters/kafka/kafka_client.h"

namespace autoriza::kafka {

struct DevBrokerOptions {
  int brokers = 3;
  int32_t partitions = 1;          // of autoriza.commands and autoriza.events
  int32_t reply_partitions = 4;    // of autoriza.replies (one per gateway)
};

class DevBroker {
 public:
  // Starts the cluster and creates the topics.
  static std::unique_ptr<DevBroker> start(const DevBrokerOptions& options, Status* status);
  ~DevBroker();
  const std::string& bootstrap() const { return bootstrap_; }
  rd_kafka_mock_cluster_t* cluster() { return cluster_; }
  // Writes the bootstrap list (one line) atomically (temp file + rename).
  Status write_bootstrap_file(const std::filesystem::path& file) const;

 private:
  DevBroker() = default;
  Handle owner_;  // the mock cluster lives in this handle's threads
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_;
};

// Reads a bootstrap file written by `autoriza devbroker`.
Status read_bootstrap_file(const std::filesystem::path& file, std::string* brokers);

}  // namespace autoriza::kafka
