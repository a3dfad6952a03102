#include "store.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <cstring>

#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"

namespace autoriza::projections {

namespace {

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
  // No WAL (see write()): every family flushes together, so what reaches
  // disk is always one consistent point (rows and checkpoint together).
  options.atomic_flush = true;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = 32ull << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (Cf cf : kAllCfs) families.emplace_back(cf_name(cf), cf_options);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    *status = Status::io_error("cannot create " + dir.string() + ": " + ec.message());
    return nullptr;
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  *status = from_rocks(rocksdb::DB::Open(options, dir.string(), families, &handles, &db),
                       "opening projections store " + dir.string());
  if (!*status) return nullptr;
  std::unique_ptr<ProjectionStore> store(new ProjectionStore());
  store->db_.reset(db);
  // handles[0] is the (unused) default family; keep only ours, indexed by Cf.
  store->db_->DestroyColumnFamilyHandle(handles[0]);
  store->handles_.assign(handles.begin() + 1, handles.end());
  AUTORIZA_CHECK(store->handles_.size() == std::size(kAllCfs));
  return store;
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

Status ProjectionStore::write(const std::vector<std::tuple<Cf, std::string, std::string>>& puts) {
  rocksdb::WriteBatch batch;
  for (const auto& [cf, key, value] : puts) batch.Put(handles_[size_t(cf)], key, value);
  rocksdb::WriteOptions wo;
  // Rebuildable from the log, so no WAL: a crash loses the memtables, rows
  // and checkpoint alike (atomic_flush), and the fold resumes from the
  // checkpoint on disk. Close() flushes what is in memory.
  wo.sync = false;
  wo.disableWAL = true;
  return from_rocks(db_->Write(wo, &batch), "writing projections");
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

Status ReadView::get_json(Cf cf, std::string_view key, Json* out) const {
  std::string value;
  if (Status s = store_.get(cf, key, &value, snapshot_); !s) return s;
  *out = Json::parse(value, nullptr, false);
  if (out->is_discarded()) return Status::corruption(std::string(cf_name(cf)) + ": a value is not JSON");
  return Status::ok();
}

Status FoldBatch::get_json(Cf cf, const std::string& key, Json* out) const {
  std::string value;
  if (auto it = overlay_.find({cf, key}); it != overlay_.end()) {
    value = it->second;
  } else if (Status s = store_.get(cf, key, &value); !s) {
    return s;
  }
  *out = Json::parse(value, nullptr, false);
  if (out->is_discarded()) return Status::corruption(std::string(cf_name(cf)) + ": a value is not JSON");
  return Status::ok();
}

void FoldBatch::put_json(Cf cf, std::string key, const Json& value) {
  put(cf, std::move(key), value.dump());
}

void FoldBatch::put(Cf cf, std::string key, std::string value) {
  AUTORIZA_CHECK(!key.empty());
  overlay_[{cf, std::move(key)}] = std::move(value);
}

void FoldBatch::drain(std::vector<std::tuple<Cf, std::string, std::string>>* puts) {
  puts->reserve(puts->size() + overlay_.size());
  for (auto& [k, v] : overlay_) puts->emplace_back(k.first, k.second, std::move(v));
  overlay_.clear();
}

std::string be16(uint16_t v) {
  return std::string{char(v >> 8), char(v & 0xFF)};
}

std::string be32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[i] = char((v >> (24 - 8 * i)) & 0xFF);
  return out;
}

std::string be64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = char((v >> (56 - 8 * i)) & 0xFF);
  return out;
}

uint64_t read_be64(std::string_view bytes) {
  AUTORIZA_CHECK(bytes.size() >= 8);
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | uint8_t(bytes[i]);
  return v;
}

std::string time_key(int64_t ms) {
  return be64(uint64_t(ms) ^ (uint64_t(1) << 63));
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
