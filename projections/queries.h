#pragma once
// The read side of the projections. Every query reads one consistent
// snapshot of the store (ReadView) and is bounded (limits in projections.h).
#include <functional>
#include <map>

#include "projections/models.h"
#include "projections/projections.h"
#include "projections/store.h"

namespace autoriza::projections {

Status query_register(const ProjectionStore& store, const RegisterQuery& query, Json* out);
Status query_billing(const ProjectionStore& store, std::string_view provider, std::string_view month, Json* out);
Status query_audits(const ProjectionStore& store, const AuditQuery& query, Json* out);
Status query_audit(const ProjectionStore& store, std::string_view sap, Json* out);
// The credential and, when it is a titular, the members of its family group
// (from the projection's own reference family, O(members)).
Status query_family(const ProjectionStore& store, std::string_view credential, std::vector<std::string>* out);
Status query_history(const ProjectionStore& store, const std::vector<std::string>& credentials,
                     const HistoryQuery& query, Json* out);

// ---- shared by the queries (queries.cc) ------------------------------------

// A record of the store, verified, for one query to read. The root stays
// valid while the Record lives (it owns the bytes).
template <typename T>
class Record {
 public:
  Record() = default;
  Record(const Record&) = delete;  // the root points into bytes_
  Record& operator=(const Record&) = delete;
  // kNotFound when absent, kCorruption when the bytes do not verify.
  Status read(const ReadView& view, Cf cf, std::string_view key) {
    root_ = nullptr;
    if (Status s = view.get(cf, key, &bytes_); !s) return s;
    return open_record(bytes_, &aligned_, cf_name(cf), &root_);
  }
  // From bytes a scan of cf handed over (copied: the scan moves on).
  Status open(Cf cf, std::string_view bytes) {
    root_ = nullptr;
    bytes_.assign(bytes);
    return open_record(bytes_, &aligned_, cf_name(cf), &root_);
  }
  const T& operator*() const { return *root_; }
  const T* operator->() const { return root_; }

 private:
  std::string bytes_;
  std::vector<uint64_t> aligned_;
  const T* root_ = nullptr;
};

// Names from the projections' own copy of reference data, cached per query.
class NameCache {
 public:
  explicit NameCache(const ReadView& view) : view_(view) {}
  // "LAST, FIRST", or null when the affiliate is unknown (yet).
  Json affiliate(std::string_view credential);
  Json provider(std::string_view id);

 private:
  template <typename T>
  Json lookup(const std::string& key);
  const ReadView& view_;
  std::map<std::string, Json> cache_;
};

// ---- answers' pieces (queries.cc) --------------------------------------------
std::string money(int64_t cents);
std::string status_name(fb::Status status);
// The string, "" when absent.
std::string text(const flatbuffers::String* s);
// The string, null when absent.
Json text_or_null(const flatbuffers::String* s);
Json instant(int64_t ms);
// The strings as a JSON array ([] when absent).
Json strings_json(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v);
// [{code, message}] of reason codes.
Json reasons_json(const flatbuffers::Vector<fb::ReasonCode>* reasons);
// Professional, expenses, total, copay, covered of an item, formatted.
void put_amounts(const fbp::ModelItem& item, Json& out);
// The fields every listing of items shows: index, code, description, qty,
// tooth, faces, status, reasons and the amounts.
Json item_json(const fbp::ModelItem& item);

// UTC milliseconds at which a local day starts.
int64_t day_start_ms(LocalDay day);
// [lo, hi) keys under prefix for the local days from..to (inclusive); hi
// empty: to the end of the prefix.
void day_range(const std::string& prefix, const std::optional<LocalDay>& from, const std::optional<LocalDay>& to,
               std::string* lo, std::string* hi);
Status check_page(size_t limit, const std::optional<LocalDay>& from, const std::optional<LocalDay>& to);

// Cursors: base64url of a mode byte (which listing made it) and a key.
std::string encode_cursor(char mode, std::string_view key);
Status decode_cursor(std::string_view after, char mode, std::string* key);

// One page of keys [start, hi) under prefix, in key order. row_of turns a
// (key, value) into a row, or null to skip it. At most limit rows; scans at
// most kScanRowsMax keys. next: the key to continue after, empty when done.
struct Page {
  std::vector<Json> rows;
  std::string next;
};
using RowOf = std::function<Status(std::string_view key, std::string_view value, Json* row)>;
Status scan_page(const ProjectionStore& store, const ReadView& view, Cf cf, const std::string& prefix,
                 const std::string& start, const std::string& hi, size_t limit, const RowOf& row_of, Page* page);


}  // namespace autoriza::projections
