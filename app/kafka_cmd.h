#pragma once
// Kafka cluster mode of `autoriza serve` (--kafka BROKERS --role ROLE) and
// `autoriza devbroker`.
#include <ostream>
#include <string>
#include <vector>

#include "adapters/service/service.h"
#include "app/serve_options.h"  // the binary TCP adapter

namespace autoriza::cli {

struct KafkaServeOptions {
  std::string brokers;       // host:port list, or a file holding one (written by `autoriza devbroker`)
  std::string role;          // gateway | validator | projections
  std::string data, store, http;
  int partitions = 1;
  size_t batch_max = 4096;
  unsigned threads = 2;
  // Every role's store is derived from Kafka (validators rebuild theirs from
  // autoriza.events, a mirror or projections store is a fold of it): an
  // answer is durable once Kafka acknowledged its event (acks=all), so the
  // local WAL is not fsynced unless asked (ops/kafka.md, "Durability").
  bool local_sync = false;
  bool allow_client_time = false;
  AccessOptions access;      // gateway, projections: --auth, --rate-limit, --auth-failures-* (as serve)
  uint64_t disk_reserve_mib = 64;  // the local store refuses writes below this much free space
  tcp::TcpServeOptions tcp;  // gateway, projections: the binary TCP adapter when tcp.port is set
  std::vector<int> own;      // validator: own these partitions (no group)
  std::string group = "autoriza-validators";
  int instance = 0;          // gateway: picks its partition of autoriza.replies
  bool mirror = true;        // gateway: also fold autoriza.events into its store to answer reads (off: reads go to a projections worker)
  int64_t timeout_ms = 5000; // gateway: 504 after this
  int linger_ms = 1;
  int session_timeout_ms = 10000;  // validator: group session (a dead worker's partitions move after this)
};

int serve_kafka(const KafkaServeOptions& o);

// What autoriza.reference holds (`load --kafka`, `keys ... --kafka`):
// *brokers may name a bootstrap file (read into it). Exit code 0, or 1/2
// with why on err.
int read_cluster_reference(std::string* brokers, Reference* out, size_t* records, std::ostream& err);

}  // namespace autoriza::cli
