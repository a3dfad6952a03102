#pragma once
// The projections' own store: one RocksDB (apart from the event log), one
// column family per projection plus `meta` for the checkpoint. Everything in
// it is derived from events only and can be dropped and rebuilt.
//
// Key layout. "T" is a UTC millisecond time as u64 big-endian with the sign
// bit flipped (keys sort by time); "~" before a field stores its bitwise
// complement (keys sort newest first); u16/u32/u64 are big-endian; \0 is one
// zero byte. Values are compact JSON (object keys sorted: byte-stable).
//   meta       "stream/<n>"                 -> decimal: last sequence of stream n folded (checkpoint)
//   reference  "affiliate/<credential>"     -> {"name","titular"}
//              "provider/<id>"              -> {"name","kind"}
//              "family/<titular>\0<credential>" -> "" (every credential ever seen under that titular)
//   orders     "order/<transaction>"        -> order model: items and their lifecycle, cents as integers
//              "consumption/<transaction>"  -> consumption model: order, items, performed_at_ms, annulled
//              "refusal/<transaction>"      -> order model of a refused authorization (status REJECTED)
//   register   <provider>\0 T(order time) <transaction>\0 u32(index)      -> key of the model in `orders`
//              (written once; the row is built from the model when a query answers)
//   billing    "item/"<provider>\0<YYYY-MM>\0 T(performed) <consumption>\0 u32(index) -> billing item
//              "closed/"<provider>\0<YYYY-MM>                              -> {"closed_at_ms","reference_sequence"}
//   audits     "sap/<sap>"                  -> SAP record (prescription, items, messages)
//              "time/" T(opened) <sap>      -> "" (queue order)
//              "provider/"<provider>\0 T(opened) <sap> -> ""
//   history    <credential>\0 ~T ~u16(stream) ~u64(sequence) -> history entry of one event
// A fold commits the rows it changed and the checkpoint in one WriteBatch.
// The register keeps keys only: a consumption or annulment rewrites one
// order model instead of a row per item (fold speed, see README.md).
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "status.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Iterator;
class Snapshot;
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
  // Writes (cf, key, value) triples atomically.
  Status write(const std::vector<std::tuple<Cf, std::string, std::string>>& puts);
  // Hex SHA-256 over (family name, key, value) of every data family.
  Status digest(std::string* hex) const;

  rocksdb::DB& db() const { return *db_; }

 private:
  ProjectionStore() = default;
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
  Status get_json(Cf cf, std::string_view key, Json* out) const;

 private:
  const ProjectionStore& store_;
  const rocksdb::Snapshot* snapshot_;
};

// The writes of one fold: reads see earlier writes of the same batch
// (an overlay over the store), so read-modify-write across events works.
class FoldBatch {
 public:
  explicit FoldBatch(const ProjectionStore& store) : store_(store) {}

  // kNotFound when absent (in the overlay and in the store).
  Status get_json(Cf cf, const std::string& key, Json* out) const;
  void put_json(Cf cf, std::string key, const Json& value);
  void put(Cf cf, std::string key, std::string value);
  size_t size() const { return overlay_.size(); }
  bool empty() const { return overlay_.empty(); }

  // Moves every write (sorted) into puts and empties the batch.
  void drain(std::vector<std::tuple<Cf, std::string, std::string>>* puts);

 private:
  const ProjectionStore& store_;
  std::map<std::pair<Cf, std::string>, std::string> overlay_;
};

// ---- key pieces -----------------------------------------------------------
std::string be16(uint16_t v);
std::string be32(uint32_t v);
std::string be64(uint64_t v);
uint64_t read_be64(std::string_view bytes);  // needs bytes.size() >= 8
// A time that sorts in byte order (sign bit flipped).
std::string time_key(int64_t ms);
// Opaque cursors: base64url without padding.
std::string base64url(std::string_view bytes);
bool from_base64url(std::string_view text, std::string* bytes);

}  // namespace autoriza::projections
