#pragma once
// autoriza.reference: a cluster's reference data (plans, practices,
// providers, prescribers, affiliates, API keys, closed periods), compacted.
//   key   = the record's key (Reference::record_key: "affiliate:110000783851")
//   value = encode_reference_value (state_store.h): type, update time (ms),
//           packed record; the reference table of every store holds the same
// `autoriza load --kafka BROKERS --data DIR` publishes what is new or changed
// against the topic; every role started without --data reads the topic to
// its end before it serves, then follows it (ReferenceFollower).
#include <atomic>
#include <map>
#include <thread>

#include "adapters/kafka/kafka_client.h"
#include "engine/engine.h"

namespace autoriza::kafka {

struct ReferenceEntry {
  fb::ReferenceRecordUnion record;
  int64_t at_ms = 0;
};

// A consumer to read autoriza.reference with (no group; it reports the end
// of the partition, which compaction may leave below the high watermark).
Handle reference_reader(const std::string& brokers, Status* status);

// Every record of the topic, the last message of each key winning, and the
// offset after the last message read. reader: from reference_reader().
Status read_reference_topic(rd_kafka_t* reader, std::map<std::string, ReferenceEntry>* records, int64_t* next_offset,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(60'000));

// Publishes the records that are not in the topic as they are (stats count
// added / updated / unchanged, as Engine::load_reference does), marked
// updated at at_ms; returns once Kafka acknowledged all of them. published:
// what the topic holds, when the caller has just read it (else read here).
Status publish_reference(const std::string& brokers, const std::vector<fb::ReferenceRecordUnion>& records, int64_t at_ms,
                         ReferenceLoadStats* stats, const Reference* published = nullptr);

// The topic's records as a Reference (what a load validates new files against).
Reference reference_of(const std::map<std::string, ReferenceEntry>& records);

// Loads autoriza.reference into an engine and keeps it loaded: start() reads
// the topic to its end (every record recorded as a reference event of the
// store, unchanged ones skipped); a thread then loads new messages as they
// arrive. A message that does not decode is logged and skipped (it names its
// offset): reference data is never half-applied.
class ReferenceFollower {
 public:
  ReferenceFollower(Engine& engine, std::string brokers);
  ~ReferenceFollower();
  Status start();
  uint64_t loaded() const { return loaded_.load(); }  // records added or updated in the store

 private:
  Status load(const std::vector<ReferenceEntry>& entries);
  void run();
  Engine& engine_;
  std::string brokers_;
  Handle consumer_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> loaded_{0};
};

}  // namespace autoriza::kafka
