#pragma once
// The projections' own store: one RocksDB (apart from the event log), one
// column family per projection plus `meta` for the checkpoint. Everything in
// it is derived from events only and can be dropped and rebuilt.
//
// Key layout. "T" is a UTC millisecond time as u64 big-endian with the sign
// bit flipped (keys sort by time); "~" before a field stores its bitwise
// complement (keys sort newest first); u16/u32/u64 are big-endian; \0 is one
// zero byte. Values are FlatBuffers tables of schemas/projections.fbs (named
// after the arrow), or empty for index keys.
//   meta       "stream/<n>"                 -> decimal: last sequence of stream n folded (checkpoint)
//   reference  "affiliate/<credential>"     -> AffiliateName
//              "provider/<id>"              -> ProviderName
//              "family/<titular>\0<credential>" -> "" (every member ever seen under that titular)
//   orders     "order/<transaction>"        -> OrderModel: items and their lifecycle
//              "consumption/<transaction>"  -> ConsumptionModel
//              "refusal/<transaction>"      -> OrderModel of a refused authorization (status REJECTED)
//   register   <provider>\0 T(order time) <transaction>  -> key of the model in `orders`
//              (written once; its rows, one per item, are built from the model when a
//              query answers; cursors name a row as this key, \0, u32(index))
//   billing    "item/"<provider>\0<YYYY-MM>\0 T(performed) <consumption>   -> BillingRecord (its items)
//              "closed/"<provider>\0<YYYY-MM>                              -> ClosedMonth
//   audits     "sap/<sap>"                  -> SapRecord (prescription, items, messages)
//              "time/" T(opened) <sap>      -> "" (queue order)
//              "provider/"<provider>\0 T(opened) <sap> -> ""
//   history    <credential>\0 ~T ~u16(stream) ~u64(sequence) -> HistoryEntry of one event
// A fold commits the rows it changed and the checkpoint in one WriteBatch.
// The register keeps one key per order: a consumption or annulment rewrites
// one order model instead of a row per item, and the memtable takes one key
// instead of one per item (fold speed, see README.md).
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/core/status.h"

namespace autoriza {
class RocksErrors;  // engine/rocks_errors.h
}

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Iterator;
class Snapshot;
class WriteBatch;
}  // namespace rocksdb

namespace autoriza::projections {

using Json = nlohmann::json;

// Column families, in the order their data enters digest().
enum class Cf : uint8_t { kMeta, kReference, kOrders, kRegister, kBilling, kAudits, kHistory };
inline constexpr Cf kDataCfs[] = {Cf::kReference, Cf::kOrders, Cf::kRegister, Cf::kBilling, Cf::kAudits, Cf::kHistory};
const char* cf_name(Cf cf);

class ProjectionStore {
 public:
  // Opens (creating if missing) the store at dir.
  static std::unique_ptr<ProjectionStore> open(const std::filesystem::path& dir, Status* status);
  ~ProjectionStore();

  // kNotFound when the key is absent. snapshot may be null (latest).
  Status get(Cf cf, std::string_view key, std::string* value, const rocksdb::Snapshot* snapshot = nullptr) const;
  // An iterator over one family; never null.
  std::unique_ptr<rocksdb::Iterator> iterator(Cf cf, const rocksdb::Snapshot* snapshot = nullptr) const;
  // Visits keys starting with prefix from max(prefix, start) on, in order,
  // until visit returns false.
  Status scan(Cf cf, std::string_view prefix, std::string_view start, const rocksdb::Snapshot* snapshot,
              const std::function<bool(std::string_view key, std::string_view value)>& visit) const;
  // Hex SHA-256 over (family name, key, value) of every data family.
  Status digest(std::string* hex) const;

  rocksdb::DB& db() const { return *db_; }
  // After a write error stopped the store (a full disk; RocksDB's own
  // recovery is off, engine/rocks_errors.h): tries to take writes again
  // (DB::Resume). kOk when writes go on; harmless when they never stopped.
  Status resume();

 private:
  friend class FoldBatch;
  ProjectionStore() = default;
  std::shared_ptr<RocksErrors> errors_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // indexed by Cf
};

// A consistent read view of the store for one query (RAII).
class ReadView {
 public:
  explicit ReadView(const ProjectionStore& store);
  ~ReadView();
  ReadView(const ReadView&) = delete;
  ReadView& operator=(const ReadView&) = delete;
  const rocksdb::Snapshot* snapshot() const { return snapshot_; }
  // kNotFound when absent.
  Status get(Cf cf, std::string_view key, std::string* value) const;

 private:
  const ProjectionStore& store_;
  const rocksdb::Snapshot* snapshot_;
};

// The writes of one fold, committed together. Records that later events
// read back (order, consumption and SAP models, billing items) are kept in
// an overlay so reads within the batch see earlier writes; rows the fold
// never reads back (index keys, names, history) are only collected. A
// commit hands RocksDB every row sorted by family and key: the memtable's
// skiplist then inserts each next to the previous one, which costs a few
// key comparisons instead of a search from the top (that search was two
// thirds of the fold's instructions). One thread folds into a batch; while
// another thread write()s it, the next batch may read it (set_previous).
class FoldBatch {
 public:
  explicit FoldBatch(ProjectionStore& store);
  ~FoldBatch();
  FoldBatch(const FoldBatch&) = delete;
  FoldBatch& operator=(const FoldBatch&) = delete;

  // *value = the record put earlier in this batch, else in the previous
  // batch (being written), else the store's (its capacity is reused).
  // kNotFound when absent in all.
  Status get(Cf cf, std::string_view key, std::string* value) const;
  // The batch before this one, still being written (null: none). get()
  // reads its puts, so it must stay unchanged until this is reset.
  void set_previous(const FoldBatch* previous) { previous_ = previous; }
  // A record get() sees from now on; the last put of a key wins.
  void put(Cf cf, std::string_view key, std::string_view value);
  // A row nobody in this batch reads back.
  void append(Cf cf, std::string_view key, std::string_view value);
  // Rows waiting (puts and appends).
  size_t size() const { return overlay_.size() + appended_.size(); }
  bool empty() const { return size() == 0; }
  // Writes everything in one atomic write (no WAL, see store.cc). Changes
  // nothing get() reads, so a next batch may read this one meanwhile.
  Status write();
  // Empties the batch (after write(), or to drop it).
  void clear();
  Status commit() {
    Status s = write();
    clear();
    return s;
  }

 private:
  const std::string& overlay_key(Cf cf, std::string_view key) const;

  struct Appended {  // a row in arena_
    Cf cf;
    uint32_t offset, key_bytes, value_bytes;
  };
  struct Row {
    Cf cf;
    std::string_view key, value;
  };

  ProjectionStore& store_;
  const FoldBatch* previous_ = nullptr;
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  std::string arena_;  // appended keys and values, back to back
  std::vector<Appended> appended_;
  std::vector<Row> rows_;                                 // commit's sorting buffer
  std::unordered_map<std::string, std::string> overlay_;  // Cf byte + key -> value
  mutable std::string lookup_;                            // overlay_key's buffer
};

// ---- key pieces -----------------------------------------------------------
// Appending forms write into *out (the fold reuses one buffer per key).
void append_be16(std::string* out, uint16_t v);
void append_be32(std::string* out, uint32_t v);
void append_be64(std::string* out, uint64_t v);
std::string be16(uint16_t v);
std::string be32(uint32_t v);
std::string be64(uint64_t v);
uint64_t read_be64(std::string_view bytes);  // needs bytes.size() >= 8
// A time that sorts in byte order (sign bit flipped).
uint64_t time_order(int64_t ms);
std::string time_key(int64_t ms);
// Opaque cursors: base64url without padding.
std::string base64url(std::string_view bytes);
bool from_base64url(std::string_view text, std::string* bytes);

}  // namespace autoriza::projections
