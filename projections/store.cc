#include "projections/store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "engine/private_files.h"
#include "engine/rocks_errors.h"
#include "engine/rocks_log.h"

namespace autoriza::projections {

namespace {

constexpr size_t kBlockCacheBytes = 256ull << 20;  // shared by every family

constexpr Cf kAllCfs[] = {Cf::kMeta,    Cf::kReference, Cf::kOrders, Cf::kRegister,
                          Cf::kBilling, Cf::kAudits,    Cf::kHistory};

Status from_rocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::ok();
  if (s.IsNotFound()) return Status::not_found(what);
  if (s.IsCorruption()) return Status::corruption(what + ": " + s.ToString());
  return Status::io_error(what + ": " + s.ToString());
}

rocksdb::Slice slice(std::string_view s) {
  return rocksdb::Slice(s.data(), s.size());
}

// Where the memtable keeps an insert hint (memtable_insert_with_hint_prefix_extractor):
// keys of one prefix arrive near the previous one (a provider's register and
// billing by time, orders by sequence), so an insert starts from there
// instead of searching the skiplist from the top. The prefix is the key up
// to its first \0 (provider, provider-month, titular), else up to its last
// '-' (order/T-3-), else up to its first '/' (affiliate/); other keys get no
// hint. Not for history: a credential's entries are few and far between,
// and every hint costs ~250 bytes of memtable.
class InsertHintPrefix : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "autoriza.InsertHintPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const size_t end = prefix_end(key.ToStringView());
    AUTORIZA_CHECK(end != std::string_view::npos);
    return rocksdb::Slice(key.data(), end);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return prefix_end(key.ToStringView()) != std::string_view::npos;
  }

 private:
  static size_t prefix_end(std::string_view key) {
    if (size_t zero = key.find('\0'); zero != std::string_view::npos) return zero + 1;
    if (size_t dash = key.rfind('-'); dash != std::string_view::npos) return dash + 1;
    if (size_t slash = key.find('/'); slash != std::string_view::npos) return slash + 1;
    return std::string_view::npos;
  }
};

}  // namespace

const char* cf_name(Cf cf) {
  switch (cf) {
    case Cf::kMeta:
      return "meta";
    case Cf::kReference:
      return "reference";
    case Cf::kOrders:
      return "orders";
    case Cf::kRegister:
      return "register";
    case Cf::kBilling:
      return "billing";
    case Cf::kAudits:
      return "audits";
    case Cf::kHistory:
      return "history";
  }
  return "?";
}

std::unique_ptr<ProjectionStore> ProjectionStore::open(const std::filesystem::path& dir, Status* status) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.max_background_jobs = 1;
  // No WAL (see FoldBatch::commit()): every family flushes together, so
  // what reaches disk is always one consistent point (rows and checkpoint
  // together).
  options.atomic_flush = true;
  // One writer (the fold); insert hints need writes that are not concurrent.
  options.allow_concurrent_memtable_write = false;
  // A full disk stops the store's writes; the follower resumes it (resume()).
  auto errors = std::make_shared<RocksErrors>(dir.string());
  options.listeners.push_back(errors);
  options.max_bgerror_resume_count = 0;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = 32ull << 20;
  // The fold reads back models it wrote a while ago (a consumption's
  // order): a block cache and bloom filters keep those reads off the disk.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::ColumnFamilyOptions hinted = cf_options;
  hinted.memtable_insert_with_hint_prefix_extractor = std::make_shared<InsertHintPrefix>();
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (Cf cf : kAllCfs) families.emplace_back(cf_name(cf), cf == Cf::kHistory ? cf_options : hinted);
  if (*status = make_private_dir(dir); !*status) return nullptr;  // it copies personal data
  options.info_log = make_rocks_log(dir, "projections");  // survives a full disk (engine/rocks_log.h)
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  *status = from_rocks(rocksdb::DB::Open(options, dir.string(), families, &handles, &db),
                       "opening projections store " + dir.string());
  if (!*status) return nullptr;
  std::unique_ptr<ProjectionStore> store(new ProjectionStore());
  store->errors_ = std::move(errors);
  store->db_.reset(db);
  // handles[0] is the (unused) default family; keep only ours, indexed by Cf.
  store->db_->DestroyColumnFamilyHandle(handles[0]);
  store->handles_.assign(handles.begin() + 1, handles.end());
  AUTORIZA_CHECK(store->handles_.size() == std::size(kAllCfs));
  return store;
}

Status ProjectionStore::resume() {
  if (!errors_->stopped()) return Status::ok();
  if (Status s = from_rocks(db_->Resume(), "resuming projections store"); !s) return s;
  errors_->resumed();
  return Status::ok();
}

ProjectionStore::~ProjectionStore() {
  if (!db_) return;
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  db_->Close();
}

Status ProjectionStore::get(Cf cf, std::string_view key, std::string* value, const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  return from_rocks(db_->Get(ro, handles_[size_t(cf)], slice(key), value), std::string(cf_name(cf)) + ": no such key");
}

std::unique_ptr<rocksdb::Iterator> ProjectionStore::iterator(Cf cf, const rocksdb::Snapshot* snapshot) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot;
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(ro, handles_[size_t(cf)]));
}

Status ProjectionStore::scan(Cf cf, std::string_view prefix, std::string_view start, const rocksdb::Snapshot* snapshot,
                             const std::function<bool(std::string_view, std::string_view)>& visit) const {
  auto it = iterator(cf, snapshot);
  it->Seek(slice(start > prefix ? start : prefix));
  for (; it->Valid() && it->key().starts_with(slice(prefix)); it->Next()) {
    if (!visit(it->key().ToStringView(), it->value().ToStringView())) break;
  }
  return from_rocks(it->status(), std::string("scanning ") + cf_name(cf));
}

Status ProjectionStore::digest(std::string* hex) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  AUTORIZA_CHECK(ctx != nullptr);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  auto add = [&](std::string_view bytes) {
    const uint64_t n = bytes.size();
    EVP_DigestUpdate(ctx.get(), &n, sizeof n);
    EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  };
  ReadView view(*this);
  for (Cf cf : kDataCfs) {
    add(cf_name(cf));
    Status s = scan(cf, "", "", view.snapshot(), [&](std::string_view k, std::string_view v) {
      add(k);
      add(v);
      return true;
    });
    if (!s) return s;
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), md.data(), &len);
  AUTORIZA_CHECK(len == 32);
  hex->clear();
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", md[i]);
    hex->append(buf, 2);
  }
  return Status::ok();
}

ReadView::ReadView(const ProjectionStore& store) : store_(store), snapshot_(store.db().GetSnapshot()) {}
ReadView::~ReadView() {
  store_.db().ReleaseSnapshot(snapshot_);
}

Status ReadView::get(Cf cf, std::string_view key, std::string* value) const {
  return store_.get(cf, key, value, snapshot_);
}

FoldBatch::FoldBatch(ProjectionStore& store) : store_(store), batch_(std::make_unique<rocksdb::WriteBatch>()) {}
FoldBatch::~FoldBatch() = default;

const std::string& FoldBatch::overlay_key(Cf cf, std::string_view key) const {
  lookup_.clear();
  lookup_.push_back(char(cf));
  lookup_.append(key);
  return lookup_;
}

Status FoldBatch::get(Cf cf, std::string_view key, std::string* value) const {
  const std::string& k = overlay_key(cf, key);
  for (const FoldBatch* b = this; b != nullptr; b = b == this ? previous_ : nullptr) {
    if (auto it = b->overlay_.find(k); it != b->overlay_.end()) {
      value->assign(it->second);
      return Status::ok();
    }
  }
  return store_.get(cf, key, value);
}

void FoldBatch::put(Cf cf, std::string_view key, std::string_view value) {
  AUTORIZA_CHECK(!key.empty());
  auto [it, added] = overlay_.try_emplace(overlay_key(cf, key));
  it->second.assign(value);
}

void FoldBatch::append(Cf cf, std::string_view key, std::string_view value) {
  AUTORIZA_CHECK(!key.empty());
  AUTORIZA_CHECK(arena_.size() + key.size() + value.size() < (uint64_t(1) << 32));
  appended_.push_back({cf, uint32_t(arena_.size()), uint32_t(key.size()), uint32_t(value.size())});
  arena_.append(key).append(value);
}

Status FoldBatch::write() {
  rows_.clear();
  for (const Appended& a : appended_) {
    const std::string_view bytes(arena_.data() + a.offset, a.key_bytes + a.value_bytes);
    rows_.push_back({a.cf, bytes.substr(0, a.key_bytes), bytes.substr(a.key_bytes)});
  }
  for (const auto& [k, v] : overlay_) rows_.push_back({Cf(uint8_t(k[0])), std::string_view(k).substr(1), v});
  // Stable: an appended key written twice keeps its last value last.
  std::stable_sort(rows_.begin(), rows_.end(),
                   [](const Row& a, const Row& b) { return a.cf != b.cf ? a.cf < b.cf : a.key < b.key; });
  for (const Row& r : rows_) batch_->Put(store_.handles_[size_t(r.cf)], slice(r.key), slice(r.value));
  rows_.clear();
  if (batch_->Count() == 0) return Status::ok();
  rocksdb::WriteOptions wo;
  // Rebuildable from the log, so no WAL: a crash loses the memtables, rows
  // and checkpoint alike (atomic_flush), and the fold resumes from the
  // checkpoint on disk. Close() flushes what is in memory.
  wo.sync = false;
  wo.disableWAL = true;
  Status s = from_rocks(store_.db_->Write(wo, batch_.get()), "writing projections");
  batch_->Clear();
  return s;
}

void FoldBatch::clear() {
  rows_.clear();
  batch_->Clear();
  appended_.clear();
  arena_.clear();
  overlay_.clear();
}

void append_be16(std::string* out, uint16_t v) {
  out->push_back(char(v >> 8));
  out->push_back(char(v & 0xFF));
}

void append_be32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(char((v >> (24 - 8 * i)) & 0xFF));
}

void append_be64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(char((v >> (56 - 8 * i)) & 0xFF));
}

std::string be16(uint16_t v) {
  std::string out;
  append_be16(&out, v);
  return out;
}

std::string be32(uint32_t v) {
  std::string out;
  append_be32(&out, v);
  return out;
}

std::string be64(uint64_t v) {
  std::string out;
  append_be64(&out, v);
  return out;
}

uint64_t read_be64(std::string_view bytes) {
  AUTORIZA_CHECK(bytes.size() >= 8);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | uint8_t(bytes[i]);
  return v;
}

uint64_t time_order(int64_t ms) {
  return uint64_t(ms) ^ (uint64_t(1) << 63);
}

std::string time_key(int64_t ms) {
  return be64(time_order(ms));
}

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
}  // namespace

std::string base64url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kB64[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kB64[(acc << (6 - bits)) & 63]);
  return out;
}

bool from_base64url(std::string_view text, std::string* bytes) {
  bytes->clear();
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const char* p = c ? std::strchr(kB64, c) : nullptr;
    if (!p) return false;
    acc = (acc << 6) | uint32_t(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes->push_back(char((acc >> bits) & 0xFF));
    }
  }
  // Leftover bits must be zero padding of the last character.
  return bits < 6 && (acc & ((1u << bits) - 1)) == 0;
}

}  // namespace autoriza::projections
