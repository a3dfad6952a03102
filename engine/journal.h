#pragma once
// The journal: where events and the state they lead to become durable.
// The embedded default keeps both in one RocksDB (rocks_journal.cc); a Kafka
// journal will keep events in a topic and state locally, behind the same
// interface. One writer per stream (partition) at a time.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/ids.h"
#include "engine/core/status.h"

namespace autoriza {

// Append-only: a table's position is its column family's.
enum class StateTable : uint8_t { kReference, kOrders, kConsumptions, kSaps, kIdempotency, kMeta, kTokens, kAccounts, kShares };
inline constexpr StateTable kStateTables[] = {StateTable::kReference,   StateTable::kOrders,   StateTable::kConsumptions,
                                              StateTable::kSaps,        StateTable::kIdempotency, StateTable::kMeta,
                                              StateTable::kTokens,      StateTable::kAccounts, StateTable::kShares};
const char* state_table_name(StateTable table);

struct EventRecord {
  PartitionId stream = 0;
  Sequence sequence = 0;
  std::string bytes;  // a packed fb::Event
};

struct StateWrite {
  StateTable table;
  std::string key;
  std::string value;
};

// Events and state writes that become durable together or not at all.
struct CommitBatch {
  std::vector<EventRecord> events;
  std::vector<StateWrite> writes;
  void clear() {
    events.clear();
    writes.clear();
  }
};

// What a journal reports of itself for GET /metrics (RocksDB properties and
// statistics in the embedded one). name is a Prometheus metric name without
// the "autoriza_" prefix, units last ("rocksdb_memtable_bytes").
struct JournalMetric {
  enum class Kind : uint8_t { kGauge, kCounter };
  std::string name;
  std::string help;
  Kind kind = Kind::kGauge;
  std::string table;  // the table (column family) it is about; empty: the whole store
  double value = 0;
};
// A latency the journal measures itself (RocksDB's WAL sync), as quantiles.
struct JournalTiming {
  std::string name;  // "rocksdb_wal_sync_seconds"
  std::string help;
  uint64_t count = 0;
  double sum_s = 0, p50_s = 0, p99_s = 0, max_s = 0;
};
struct JournalMetrics {
  std::vector<JournalMetric> values;  // bounded: a few per table
  std::vector<JournalTiming> timings;
};

class Journal {
 public:
  virtual ~Journal() = default;
  // Atomic; durable on return when the journal syncs.
  virtual Status commit(const CommitBatch& batch) = 0;
  virtual Status read_event(PartitionId stream, Sequence sequence, std::string* bytes) const = 0;
  // Visits the events of a stream from `from` in order until visit returns false.
  virtual Status scan_events(PartitionId stream, Sequence from,
                             const std::function<bool(Sequence, std::string_view)>& visit) const = 0;
  virtual Status read_state(StateTable table, std::string_view key, std::string* value) const = 0;
  virtual Status scan_state(StateTable table,
                            const std::function<bool(std::string_view, std::string_view)>& visit) const = 0;
  // Hex SHA-256 over every (key, value) of the table, in key order; the
  // meta table's topic cursors ("cursor/<n>", Kafka mode) and the store's
  // format are left out.
  virtual Status digest(StateTable table, std::string* hex) const = 0;
  // Streams that hold at least one event, ascending.
  virtual std::vector<PartitionId> streams() const = 0;
  // Sizes, caches, compactions, WAL syncs; cheap enough to call on every
  // scrape. Default: nothing to report.
  virtual JournalMetrics metrics() const { return {}; }
  // Whether the journal takes writes now: kOk, or the error that stopped
  // them (a background error such as a full disk, kStoreFull when it is one;
  // reads go on). Cheap: called before commits and by the store's health check.
  virtual Status write_health() const { return Status::ok(); }
  // After write_health() failed: tries to take writes again (the embedded one:
  // RocksDB's DB::Resume(), which flushes the memtables and starts a new WAL,
  // so it needs room on the disk). kOk when writes go on; harmless when they
  // were never stopped.
  virtual Status resume() { return Status::ok(); }
  // A consistent copy of the whole journal, as of one commit, into dir (which
  // must not exist), while commits go on (engine/backup.h). Default: kUnavailable.
  virtual Status checkpoint(const std::filesystem::path& dir) const {
    return Status::unavailable("this journal cannot make a checkpoint of " + dir.string());
  }
};

// The store's format: how this binary lays out the journal's tables (the
// comment of rocks_journal.cc). Recorded in the meta table ("format") when a
// store is opened for writing; a store written before formats were recorded
// is format 1. A store of another format is refused when opened (a store
// written by a later version is not read by an earlier one, which would
// misread it); a later format that changes the layout brings its migration.
inline constexpr int kStoreFormat = 1;
inline constexpr const char* kStoreFormatKey = "format";

struct RocksJournalOptions {
  bool sync = true;  // fsync the WAL on every commit (durable acknowledgements)
  bool read_only = false;
  size_t block_cache_mb = 512;
  // RocksDB statistics (tickers and histograms such as the WAL sync time)
  // for metrics(); they cost a little on every write batch.
  bool statistics = true;
};

std::unique_ptr<Journal> open_rocks_journal(const std::filesystem::path& dir, const RocksJournalOptions& options,
                                            Status* status);

// Key of an event: [stream u16 BE][sequence u64 BE].
std::string event_key(PartitionId stream, Sequence sequence);

}  // namespace autoriza
