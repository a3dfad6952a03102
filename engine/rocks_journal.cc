// The embedded journal: one RocksDB with these column families
//   events        [stream u16 BE][sequence u64 BE] -> packed fb::Event
//   reference     "<kind>:<id>"                    -> [ReferenceRecord type u8][loaded_at ms i64 LE][packed record]
//   orders        transaction id                   -> packed fb::OrderState
//   consumptions  transaction id                   -> packed fb::ConsumptionState
//   saps          SAP number                       -> packed fb::SapState
//   idempotency   scope 0x00 request_id            -> packed fb::IdempotencyEntry
//   meta          "stream/<n>" -> packed fb::PartitionMeta; "partitions" -> decimal count;
//                 "format" -> decimal kStoreFormat (journal.h);
//                 "cursor/<n>" -> packed fb::TopicCursor (Kafka mode: where to resume autoriza.events[n])
//   tokens        credential                       -> packed fb::TokenState
//   accounts      titular credential               -> packed fb::AccountState
//   shares        hex keyed hash of the link id    -> packed fb::ShareState
// A commit is one WriteBatch across the families, WAL synced when options.sync.
//
// Tuned for the write path (each command commits an event and an idempotency
// entry; state is served from memory, the store is read back at start-up):
// - idempotency keys are random and the table is only ever scanned (restore,
//   digest), never read by key: its memtable is a vector (an append per
//   insert, sorted once when flushed or scanned) instead of a skip list (a
//   search of ~20 random cache lines per insert);
// - event keys grow per stream: the events memtable keeps an insert hint per
//   stream, so an insert starts where the last one ended;
// - both need memtable inserts from one thread at a time (the write group's
//   leader does them; commits still group across partitions);
// - levels 0 and 1 are not compressed (they are rewritten soon: compressing
//   them was a good part of the flush and compaction CPU), deeper levels LZ4;
// - compaction threads run at low CPU priority (nice 19), and flushes and
//   compactions write through a fixed 64 MiB/s rate limiter (see open()).
#include <openssl/evp.h>

#include <array>
#include <cstdio>

#include "engine/journal.h"
#include "engine/private_files.h"
#include "engine/rocks_errors.h"
#include "engine/rocks_log.h"
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/rate_limiter.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/cache.h>
#include <rocksdb/statistics.h>
#include <rocksdb/write_batch.h>

namespace autoriza {

const char* state_table_name(StateTable table) {
  switch (table) {
    case StateTable::kReference: return "reference";
    case StateTable::kOrders: return "orders";
    case StateTable::kConsumptions: return "consumptions";
    case StateTable::kSaps: return "saps";
    case StateTable::kIdempotency: return "idempotency";
    case StateTable::kMeta: return "meta";
    case StateTable::kTokens: return "tokens";
    case StateTable::kAccounts: return "accounts";
    case StateTable::kShares: return "shares";
  }
  return "?";
}

std::string event_key(PartitionId stream, Sequence sequence) {
  std::string key(10, '\0');
  key[0] = char(stream >> 8);
  key[1] = char(stream & 0xFF);
  for (int i = 0; i < 8; ++i) key[2 + i] = char((sequence >> (56 - 8 * i)) & 0xFF);
  return key;
}

namespace {

Sequence sequence_of_key(std::string_view key) {
  Sequence s = 0;
  for (int i = 0; i < 8; ++i) s = (s << 8) | uint8_t(key[2 + i]);
  return s;
}

Status from_rocks(const rocksdb::Status& s, const char* what) {
  if (s.ok()) return Status::ok();
  if (s.IsCorruption()) return Status::corruption(std::string(what) + ": " + s.ToString());
  if (s.IsNoSpace()) return Status::store_full(std::string(what) + ": " + s.ToString());
  return Status::io_error(std::string(what) + ": " + s.ToString());
}

constexpr int64_t kBackgroundWriteMax = int64_t(64) << 20;  // bytes/s of flush and compaction writes

class RocksJournal final : public Journal {
 public:
  Status open(const std::filesystem::path& dir, const RocksJournalOptions& options) {
    options_ = options;
    rocksdb::Options db_options = make_db_options(dir, options);
    rocksdb::ColumnFamilyOptions cf_options;
    cf_options.write_buffer_size = 64ull << 20;
    cf_options.max_write_buffer_number = 4;
    cf_options.compression_per_level = {rocksdb::kNoCompression, rocksdb::kNoCompression, rocksdb::kLZ4Compression,
                                        rocksdb::kLZ4Compression, rocksdb::kLZ4Compression, rocksdb::kLZ4Compression,
                                        rocksdb::kLZ4Compression};
    if (options.statistics) {
      statistics_ = rocksdb::CreateDBStatistics();
      statistics_->set_stats_level(rocksdb::StatsLevel::kExceptDetailedTimers);
      db_options.statistics = statistics_;
    }
    rocksdb::BlockBasedTableOptions table;
    block_cache_ = rocksdb::NewLRUCache(options.block_cache_mb << 20);
    table.block_cache = block_cache_;
    cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    families.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);  // unused; RocksDB needs it
    rocksdb::ColumnFamilyOptions events_options = cf_options;
    events_options.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(2));  // the stream
    families.emplace_back("events", events_options);
    for (StateTable t : kStateTables) {
      rocksdb::ColumnFamilyOptions table_options = cf_options;
      if (t == StateTable::kIdempotency) table_options.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
      families.emplace_back(state_table_name(t), table_options);
    }
    // Personal data: the store's folder 0700, its files 0600 (a store
    // written before that rule is tightened here).
    if (!options.read_only) {
      if (Status made = make_private_tree(dir); !made) return made;
      db_options.info_log = make_rocks_log(dir, "store");  // survives a full disk (rocks_log.h)
    }
    rocksdb::DB* db = nullptr;
    rocksdb::Status s = options.read_only
                            ? rocksdb::DB::OpenForReadOnly(db_options, dir.string(), families, &handles_, &db)
                            : rocksdb::DB::Open(db_options, dir.string(), families, &handles_, &db);
    if (s.IsNoSpace()) {  // opening writes a little (a new MANIFEST, OPTIONS): with 0 bytes free it cannot
      return Status::store_full("el disco del almacén está lleno: no se puede abrir el almacén " + dir.string() +
                                " (" + s.ToString() + "); libere espacio en ese disco y vuelva a iniciar");
    }
    if (!s.ok()) return from_rocks(s, ("opening store " + dir.string()).c_str());
    db_.reset(db);
    return check_format(dir, options.read_only);
  }

  // The store's format is kStoreFormat (recorded now when it has none and
  // the store is writable), or the store is refused (journal.h).
  Status check_format(const std::filesystem::path& dir, bool read_only) {
    std::string stored;
    const Status s = read_state(StateTable::kMeta, kStoreFormatKey, &stored);
    if (s.kind() == StatusKind::kNotFound) {
      if (read_only) return Status::ok();
      CommitBatch b;
      b.writes.push_back({StateTable::kMeta, kStoreFormatKey, std::to_string(kStoreFormat)});
      return commit(b);
    }
    if (!s) return s;
    if (stored == std::to_string(kStoreFormat)) return Status::ok();
    return Status::invalid("el almacén " + dir.string() + " tiene el formato " + stored +
                               " y esta versión de autoriza lee y escribe el formato " + std::to_string(kStoreFormat) +
                               ": lo escribió otra versión (una posterior, si el número es mayor). Usá esa versión, o "
                               "restaurá un respaldo hecho con esta (ops/runbook.md, Upgrade)",
                           "--store");
  }

  ~RocksJournal() override {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    if (db_) db_->Close();
  }

  Status commit(const CommitBatch& batch) override {
    rocksdb::WriteBatch wb;
    for (const EventRecord& e : batch.events) wb.Put(events_cf(), event_key(e.stream, e.sequence), e.bytes);
    for (const StateWrite& w : batch.writes) wb.Put(cf(w.table), w.key, w.value);
    rocksdb::WriteOptions wo;
    wo.sync = options_.sync;
    return from_rocks(db_->Write(wo, &wb), "committing a batch");
  }

  Status write_health() const override {
    if (options_.read_only) return Status::unavailable("the store " + errors_->store() + " is open read-only");
    if (!errors_->stopped()) return Status::ok();
    const std::string what = "the store " + errors_->store() + " stopped writing: " + errors_->last_error();
    return errors_->no_space() ? Status::store_full(what) : Status::io_error(what);
  }

  Status resume() override {
    if (options_.read_only || !errors_->stopped()) return Status::ok();
    const rocksdb::Status s = db_->Resume();
    if (!s.ok()) return from_rocks(s, "resuming the store");
    errors_->resumed();
    return Status::ok();
  }

  Status checkpoint(const std::filesystem::path& dir) const override {
    rocksdb::Checkpoint* raw = nullptr;
    if (rocksdb::Status s = rocksdb::Checkpoint::Create(db_.get(), &raw); !s.ok()) return from_rocks(s, "starting a checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> cp(raw);
    // Files are hard links where the folder is on the same file system; the
    // memtables are flushed first, so the copy needs no WAL replay.
    return from_rocks(cp->CreateCheckpoint(dir.string(), /*log_size_for_flush=*/0), ("checkpoint into " + dir.string()).c_str());
  }

  Status read_event(PartitionId stream, Sequence sequence, std::string* bytes) const override {
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), events_cf(), event_key(stream, sequence), bytes);
    if (s.IsNotFound()) return Status::not_found("no event " + std::to_string(stream) + "/" + std::to_string(sequence));
    return from_rocks(s, "reading an event");
  }

  Status scan_events(PartitionId stream, Sequence from,
                     const std::function<bool(Sequence, std::string_view)>& visit) const override {
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;
    ro.readahead_size = 4 << 20;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, events_cf()));
    const std::string end = event_key(stream, ~Sequence(0));
    for (it->Seek(event_key(stream, from)); it->Valid(); it->Next()) {
      const rocksdb::Slice key = it->key();
      if (key.size() != 10 || key.compare(end) > 0) break;
      if (!visit(sequence_of_key(key.ToStringView()), it->value().ToStringView())) break;
    }
    return from_rocks(it->status(), "scanning events");
  }

  Status read_state(StateTable table, std::string_view key, std::string* value) const override {
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(table), rocksdb::Slice(key.data(), key.size()), value);
    if (s.IsNotFound()) return Status::not_found(std::string(state_table_name(table)) + ": no " + std::string(key));
    return from_rocks(s, "reading state");
  }

  Status scan_state(StateTable table,
                    const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    rocksdb::ReadOptions ro;
    ro.fill_cache = false;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(table)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (!visit(it->key().ToStringView(), it->value().ToStringView())) break;
    }
    return from_rocks(it->status(), "scanning state");
  }

  Status digest(StateTable table, std::string* hex) const override {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    auto add = [&](std::string_view bytes) {
      const uint64_t n = bytes.size();
      EVP_DigestUpdate(ctx.get(), &n, sizeof n);
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
    };
    Status s = scan_state(table, [&](std::string_view k, std::string_view v) {
      // Where this store resumes reading a topic is its own, not state the
      // events lead to: a replay or a twin fed the same events has none.
      if (table == StateTable::kMeta && (k.starts_with("cursor/") || k == kStoreFormatKey)) return true;
      add(k);
      add(v);
      return true;
    });
    if (!s) return s;
    std::array<unsigned char, 32> md{};
    unsigned len = 0;
    EVP_DigestFinal_ex(ctx.get(), md.data(), &len);
    hex->clear();
    char buf[3];
    for (unsigned i = 0; i < len; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", md[i]);
      hex->append(buf, 2);
    }
    return Status::ok();
  }

  std::vector<PartitionId> streams() const override {
    std::vector<PartitionId> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_cf()));
    it->SeekToFirst();
    while (it->Valid() && it->key().size() == 10) {
      const PartitionId stream = PartitionId((uint8_t(it->key()[0]) << 8) | uint8_t(it->key()[1]));
      out.push_back(stream);
      if (stream == 0xFFFF) break;
      it->Seek(event_key(PartitionId(stream + 1), 0));
    }
    return out;
  }

 JournalMetrics metrics() const override {
    JournalMetrics out;
    using Kind = JournalMetric::Kind;
    struct TableProperty {
      const std::string& property;
      const char* name;
      const char* help;
    };
    const TableProperty per_table[] = {
        {rocksdb::DB::Properties::kEstimateNumKeys, "rocksdb_estimate_keys", "RocksDB's estimate of the keys of a table"},
        {rocksdb::DB::Properties::kCurSizeAllMemTables, "rocksdb_memtable_bytes", "Bytes in a table's memtables"},
        {rocksdb::DB::Properties::kEstimatePendingCompactionBytes, "rocksdb_pending_compaction_bytes",
         "Bytes RocksDB estimates compaction must rewrite"},
        {rocksdb::DB::Properties::kLiveSstFilesSize, "rocksdb_live_sst_bytes", "Bytes of a table's live SST files"},
    };
    for (size_t h = 1; h < handles_.size(); ++h) {  // handles_[0]: the unused default family
      const std::string table = h == 1 ? "events" : state_table_name(StateTable(h - 2));
      for (const TableProperty& p : per_table) {
        uint64_t v = 0;
        if (db_->GetIntProperty(handles_[h], p.property, &v)) out.values.push_back({p.name, p.help, Kind::kGauge, table, double(v)});
      }
    }
    const TableProperty whole[] = {
        {rocksdb::DB::Properties::kNumRunningCompactions, "rocksdb_running_compactions", "Compactions running now"},
        {rocksdb::DB::Properties::kNumRunningFlushes, "rocksdb_running_flushes", "Memtable flushes running now"},
        {rocksdb::DB::Properties::kIsWriteStopped, "rocksdb_write_stopped", "1 while RocksDB stops writes (too many files)"},
        {rocksdb::DB::Properties::kActualDelayedWriteRate, "rocksdb_delayed_write_rate_bytes",
         "Write rate RocksDB slows writes down to; 0: not delayed"},
    };
    for (const TableProperty& p : whole) {
      uint64_t v = 0;
      if (db_->GetIntProperty(p.property, &v)) out.values.push_back({p.name, p.help, Kind::kGauge, "", double(v)});
    }
    out.values.push_back({"rocksdb_block_cache_bytes", "Bytes held in the block cache", Kind::kGauge, "",
                          double(block_cache_->GetUsage())});
    out.values.push_back({"rocksdb_block_cache_pinned_bytes", "Bytes of the block cache pinned by readers",
                          Kind::kGauge, "", double(block_cache_->GetPinnedUsage())});
    out.values.push_back({"rocksdb_block_cache_capacity_bytes", "Capacity of the block cache", Kind::kGauge, "",
                          double(block_cache_->GetCapacity())});
    if (statistics_) add_statistics(&out);
    return out;
  }

 private:
  // The database-wide options (the column families' are in open()).
  rocksdb::Options make_db_options(const std::filesystem::path& dir, const RocksJournalOptions& options) {
    rocksdb::Options db_options;
    db_options.create_if_missing = !options.read_only;
    db_options.create_missing_column_families = !options.read_only;
    db_options.max_background_jobs = 2;
    db_options.bytes_per_sync = 1 << 20;
    db_options.enable_pipelined_write = true;
    db_options.max_total_wal_size = 512ull << 20;
    // Flushes and compactions write through a rate limiter: unpaced, a
    // flush's 64 MiB burst stalled the next WAL write behind its writeback
    // (one ~100 ms stall per flush: the open loop's p99 at 50,000/s was
    // 42-124 ms with spikes exactly at the flushes, 15-23 ms paced at 64 MiB/s;
    // the closed loop's 100,000+/s kept its pace). RocksDB's auto-tuning of
    // the limit lets the bursts through again (p99 58-64 ms), so it is fixed.
    db_options.rate_limiter.reset(rocksdb::NewGenericRateLimiter(kBackgroundWriteMax, 100'000, 10,
                                                                 rocksdb::RateLimiter::Mode::kWritesOnly, false));
    db_options.allow_concurrent_memtable_write = false;  // the vector memtable and insert hints need it
    // A full disk: RocksDB's own recovery is off (engine/rocks_errors.h); the
    // engine's store check resumes the store once there is room. Opening
    // does not flush what the WAL holds, so a store on a nearly full disk
    // still opens (and serves reads; writes wait for room).
    errors_ = std::make_shared<RocksErrors>(dir.string());
    db_options.listeners.push_back(errors_);
    db_options.max_bgerror_resume_count = 0;
    db_options.avoid_flush_during_recovery = true;
    // Compactions run at the lowest CPU priority: on a small machine a
    // compaction taking a core for seconds otherwise delays every request
    // (the open loop's p99); they catch up when the load leaves room, and
    // writes slow down by RocksDB's own rules if they fall far behind.
    static const bool lowered = [] {
      return rocksdb::Env::Default()
          ->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW, rocksdb::CpuPriority::kLow)
          .ok();
    }();
    (void)lowered;
    return db_options;
  }

  void add_statistics(JournalMetrics* out) const {
    using Kind = JournalMetric::Kind;
    struct Ticker {
      uint32_t ticker;
      const char* name;
      const char* help;
      double scale;
    };
    const Ticker tickers[] = {
        {rocksdb::WAL_FILE_SYNCED, "rocksdb_wal_syncs_total", "WAL fsyncs", 1},
        {rocksdb::WAL_FILE_BYTES, "rocksdb_wal_written_bytes_total", "Bytes written to the WAL", 1},
        {rocksdb::STALL_MICROS, "rocksdb_write_stall_seconds_total", "Time writers waited on RocksDB stalls", 1e-6},
        {rocksdb::BLOCK_CACHE_HIT, "rocksdb_block_cache_hits_total", "Block cache hits", 1},
        {rocksdb::BLOCK_CACHE_MISS, "rocksdb_block_cache_misses_total", "Block cache misses", 1},
        {rocksdb::FLUSH_WRITE_BYTES, "rocksdb_flush_written_bytes_total", "Bytes written by memtable flushes", 1},
        {rocksdb::COMPACT_WRITE_BYTES, "rocksdb_compaction_written_bytes_total", "Bytes written by compactions", 1},
    };
    for (const Ticker& t : tickers) {
      out->values.push_back({t.name, t.help, Kind::kCounter, "", double(statistics_->getTickerCount(t.ticker)) * t.scale});
    }
    struct Timing {
      uint32_t histogram;
      const char* name;
      const char* help;
    };
    const Timing timings[] = {
        {rocksdb::WAL_FILE_SYNC_MICROS, "rocksdb_wal_sync_seconds", "One WAL fsync (RocksDB's measure)"},
        {rocksdb::DB_WRITE, "rocksdb_write_seconds", "One write batch into RocksDB, WAL sync included"},
    };
    for (const Timing& t : timings) {
      rocksdb::HistogramData h;
      statistics_->histogramData(t.histogram, &h);
      out->timings.push_back({t.name, t.help, h.count, double(h.sum) * 1e-6, h.median * 1e-6, h.percentile99 * 1e-6,
                              h.max * 1e-6});
    }
  }

  rocksdb::ColumnFamilyHandle* events_cf() const { return handles_[1]; }
  rocksdb::ColumnFamilyHandle* cf(StateTable t) const { return handles_[2 + size_t(t)]; }

  RocksJournalOptions options_;
  std::shared_ptr<RocksErrors> errors_;
  std::shared_ptr<rocksdb::Statistics> statistics_;  // null: options.statistics was off
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace

std::unique_ptr<Journal> open_rocks_journal(const std::filesystem::path& dir, const RocksJournalOptions& options,
                                            Status* status) {
  auto journal = std::make_unique<RocksJournal>();
  *status = journal->open(dir, options);
  if (!*status) return nullptr;
  return journal;
}

}  // namespace autoriza
