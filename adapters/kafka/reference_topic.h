#pragma once
// autoriza.reference: a cluster's reference data (plans, practices,
// providers, prescribers, affiliates, API keys, closed periods), compacted.
//   key   = the record's key (Reference::record_key: "affiliate:110000783851")
//   value = encode_reference_value (state_store.h): type, update time (ms),
//           packed record; the reference table of every store holds the same
// `autoriza load --kafka BROKERS --data DIR` publishes what is new or changed
// against the topic; every role started without --data reads the topic to
// its end before it serves, then follows it (ReferenceFollower).
//
// Load marks: after its records are acknowledged, a load writes a mark
//   key   = "load/<at_ms>"  (unique per load, so compaction keeps every mark)
//   value = "AZL1", i64 at_ms (the load's stamp), i64 in_force_ms
// in_force_ms = the publisher's clock once Kafka acknowledged the records +
// kReferenceSettleMs. The records read since the previous mark take effect
// for commands whose command time is >= in_force_ms (Engine::load_reference's
// in_force_from): a command's data is fixed by its own time and the log,
// not by when a validator happened to read the topic. A validator decides a
// command stamped t only once it has read the topic as it stood at
// t - kReferenceSettleMs + 1 s (ReferenceFollower::ready_for), so every mark
// in force at t is known to it (ops/kafka.md, "Reference data in force").
#include <atomic>
#include <map>
#include <optional>
#include <functional>
#include <thread>

#include "adapters/kafka/kafka_client.h"
#include "engine/engine.h"

namespace autoriza::kafka {

struct ReferenceEntry {
  fb::ReferenceRecordUnion record;
  int64_t at_ms = 0;       // the load's stamp (any time the publisher chose)
  int64_t written_ms = 0;  // when Kafka took the record (its timestamp; at_ms if it has none)
};

inline constexpr int64_t kReferenceSettleMs = 10'000;
struct LoadMark {
  int64_t at_ms = 0, in_force_ms = 0;
};
std::string load_mark_key(const LoadMark& mark);
std::string encode_load_mark(const LoadMark& mark);
// False when key/value are not a load mark.
bool decode_load_mark(std::string_view key, std::string_view value, LoadMark* out);

// A consumer to read autoriza.reference with (no group; it reports the end
// of the partition, which compaction may leave below the high watermark).
Handle reference_reader(const std::string& brokers, Status* status);

// Calls visit for every message of the topic, in offset order, up to the end
// it had when called; *next_offset: the offset after the last one read.
Status visit_reference_topic(rd_kafka_t* reader, const std::function<void(const rd_kafka_message_t*)>& visit,
                             int64_t* next_offset,
                             std::chrono::milliseconds timeout = std::chrono::milliseconds(60'000));

// Every record of the topic, the last message of each key winning, and the
// offset after the last message read. reader: from reference_reader().
Status read_reference_topic(rd_kafka_t* reader, std::map<std::string, ReferenceEntry>* records, int64_t* next_offset,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(60'000));

// Publishes the records that are not in the topic as they are (stats count
// added / updated / unchanged, as Engine::load_reference does), marked
// updated at at_ms; returns once Kafka acknowledged all of them. published:
// what the topic holds, when the caller has just read it (else read here).
// Then writes the load's mark (even when nothing changed: it also puts in
// force records an interrupted load left without one); *in_force_ms: from when.
Status publish_reference(const std::string& brokers, const std::vector<fb::ReferenceRecordUnion>& records, int64_t at_ms,
                         ReferenceLoadStats* stats, const Reference* published = nullptr,
                         int64_t* in_force_ms = nullptr, int64_t settle_ms = kReferenceSettleMs);

// The topic's records as a Reference (what a load validates new files against).
Reference reference_of(const std::map<std::string, ReferenceEntry>& records);

// Loads autoriza.reference into an engine and keeps it loaded: start() reads
// the topic to its end (every record recorded as a reference event of the
// store, unchanged ones skipped); a thread then loads new messages as they
// arrive. A message that does not decode is logged and skipped (it names its
// offset): reference data is never half-applied.
//
// Records wait (staged) until their load's mark puts them in force from its
// time. Marks older than kHistoryMs (beyond the commands' retention) are
// folded into one era in force for every time; records with no mark that
// were written more than kUnmarkedMs ago (by an `autoriza load` from before
// marks) are put in force from their own stamp. Their age is the time Kafka
// took them, never the load's stamp: a load stamped in the past still waits
// for its mark.
class ReferenceFollower {
 public:
  static constexpr int64_t kHistoryMs = 8LL * 24 * 3600 * 1000;
  static constexpr int64_t kUnmarkedMs = 10LL * 60 * 1000;
  ReferenceFollower(Engine& engine, std::string brokers, int64_t settle_ms = kReferenceSettleMs);
  ~ReferenceFollower();
  Status start();
  uint64_t loaded() const { return loaded_.load(); }  // records added or updated in the store
  uint64_t marks() const { return marks_.load(); }    // load marks applied
  // Whether a command stamped t may be decided: the topic was read to its
  // end as it stood at min(t, now) - settle + 1 s (wall clock; never inside
  // the validator's decision, only in when it takes the command).
  bool ready_for(Millis t) const;

 private:
  // in_force_from: nullopt puts each update time's records in force from
  // that time (records written before load marks).
  Status load(const std::vector<ReferenceEntry>& entries, std::optional<Millis> in_force_from);
  // One message of the topic, in offset order (start and run alike).
  void take(const rd_kafka_message_t* m);
  Status apply_mark(const LoadMark& mark);
  Status apply_unmarked(int64_t older_than_ms);
  void note_caught_up();  // asks the broker for the end; ready_for's clock
  void run();
  Engine& engine_;
  std::string brokers_;
  int64_t settle_ms_;
  Handle consumer_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> loaded_{0}, marks_{0};
  std::atomic<int64_t> caught_up_ms_{0};
  int64_t next_offset_ = 0;                      // of the next message to take
  std::vector<ReferenceEntry> staged_;           // records since the last mark, in offset order
  std::map<std::string, ReferenceEntry> old_;    // records of marks older than kHistoryMs, latest per key
  bool old_applied_ = false;
};

}  // namespace autoriza::kafka
