// Following the log: checkpoint, catch-up, the follower thread, positions.
#include "projections/projections.h"

#include <rocksdb/perf_level.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include "engine/event_bytes.h"
#include "projections/fold.h"
#include "projections/fold_pipeline.h"
#include "projections/queries.h"
#include "projections/store.h"

namespace autoriza {

using projections::Cf;
using projections::Fold;
using projections::Json;
using projections::ProjectionStore;

namespace {

constexpr size_t kFoldEventsMax = 1'000;   // events per WriteBatch
constexpr size_t kFoldWritesMax = 20'000;  // rows per WriteBatch
constexpr auto kFollowerPeriod = std::chrono::milliseconds(20);
constexpr const char* kProjectionNames[] = {"register", "billing", "audits", "history"};

// The last sequence of a stream, at or after `known` (which exists, or is 0):
// sequences have no gaps, so gallop then bisect with point reads.
Sequence last_sequence(const Journal& log, PartitionId stream, Sequence known) {
  std::string bytes;
  auto exists = [&](Sequence s) { return log.read_event(stream, s, &bytes).is_ok(); };
  Sequence lo = known;  // exists (or 0)
  Sequence step = 1;
  while (step < (Sequence(1) << 62) && exists(lo + step)) {
    lo += step;
    step *= 2;
  }
  Sequence hi = lo + step;  // missing
  while (hi - lo > 1) {
    const Sequence mid = lo + (hi - lo) / 2;
    (exists(mid) ? lo : hi) = mid;
  }
  return lo;
}

// The command time of one event of the log (for lag_ms); nullopt when it
// cannot be read.
std::optional<int64_t> command_time_ms(const Journal& log, PartitionId stream, Sequence seq) {
  std::string bytes;
  if (!log.read_event(stream, seq, &bytes)) return std::nullopt;
  std::vector<uint64_t> storage;
  const fb::Event* event = verified_root<fb::Event>(bytes, &storage);
  if (!event) return std::nullopt;
  return event->command_time_ms();
}

}  // namespace

struct Projections::Impl {
  const Journal& log;
  std::unique_ptr<ProjectionStore> store;

  std::mutex fold_mutex;  // one fold at a time
  mutable std::mutex checkpoint_mutex;
  std::map<PartitionId, Sequence> checkpoint;  // committed; guarded by checkpoint_mutex

  std::mutex wake_mutex;
  std::condition_variable wake;
  std::atomic<bool> notified{false};
  bool stop = false;  // guarded by wake_mutex
  std::thread follower;
  std::string last_error;         // follower thread only
  std::vector<uint64_t> aligned;  // the event being folded; guarded by fold_mutex

  std::mutex listener_mutex;
  FoldListener fold_listener;  // guarded by listener_mutex

  Impl(const Journal& l, std::unique_ptr<ProjectionStore> s) : log(l), store(std::move(s)) {}

  Status load_checkpoint() {
    bool bad = false;
    Status s = store->scan(Cf::kMeta, "stream/", "", nullptr, [&](std::string_view key, std::string_view value) {
      const std::string_view number = key.substr(7);
      unsigned stream = 0;
      Sequence seq = 0;
      const auto [end_stream, stream_error] = std::from_chars(number.data(), number.data() + number.size(), stream);
      const auto [end_seq, seq_error] = std::from_chars(value.data(), value.data() + value.size(), seq);
      bad = stream_error != std::errc() || end_stream != number.data() + number.size() || stream > kReferenceStream ||
            seq_error != std::errc() || end_seq != value.data() + value.size();
      if (!bad) checkpoint[PartitionId(stream)] = seq;
      return !bad;
    });
    if (s && bad) return Status::corruption("projections: a checkpoint is not a number");
    return s;
  }

  // A batch with this checkpoint is in the store.
  void written(const projections::Checkpoint& reached) {
    {
      std::lock_guard lock(checkpoint_mutex);
      checkpoint = reached;
    }
    std::lock_guard lock(listener_mutex);
    if (fold_listener) fold_listener(reached);
  }

  // One event: verified (copied into `aligned` first when RocksDB's bytes
  // are misaligned), folded in place.
  Status fold_one(PartitionId stream, Sequence seq, std::string_view bytes, Fold& fold) {
    const fb::Event* root = nullptr;
    if (Status s = open_event(bytes, stream, seq, &aligned, &root); !s) return s;
    const fb::Event& event = *root;
    return projections::fold_event(event, fold);
  }

  Status fold_stream(PartitionId stream, projections::Checkpoint& folded, projections::BatchPipeline& pipeline,
                     size_t& in_batch, size_t& applied) {
    Sequence& seen = folded[stream];
    Status result;
    Status scan = log.scan_events(stream, seen + 1, [&](Sequence seq, std::string_view bytes) {
      if (seq != seen + 1) {
        result = Status::corruption("stream " + std::to_string(stream) + " skips from " + std::to_string(seen) +
                                    " to " + std::to_string(seq));
        return false;
      }
      Fold& fold = pipeline.fold();
      if (result = fold_one(stream, seq, bytes, fold); !result) return false;
      seen = seq;
      ++applied;
      if (++in_batch >= kFoldEventsMax || fold.batch.size() >= kFoldWritesMax) {
        if (result = pipeline.hand_over(folded); !result) return false;
        in_batch = 0;
      }
      return true;
    });
    return scan ? result : scan;
  }

  Status catch_up(size_t* applied_out) {
    std::lock_guard lock(fold_mutex);
    // RocksDB counts every key comparison into a thread-local perf context
    // unless told not to (a tenth of the fold's instructions went there);
    // nothing here reads those counters. Per thread: this one only.
    rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
    projections::Checkpoint folded;
    {
      std::lock_guard c(checkpoint_mutex);
      folded = checkpoint;
    }
    // Full batches are written on a second thread while the next one folds.
    // A failed fold drops the batch it was filling: the checkpoint stays at
    // the last batch written and the next catch_up folds from there again.
    projections::BatchPipeline pipeline(*store, folded,
                                        [this](const projections::Checkpoint& reached) { written(reached); });
    size_t in_batch = 0;
    size_t applied = 0;
    for (PartitionId stream : log.streams()) {
      if (Status s = fold_stream(stream, folded, pipeline, in_batch, applied); !s) return s;
    }
    if (Status s = pipeline.finish(folded); !s) return s;
    if (applied_out) *applied_out = applied;
    return Status::ok();
  }

  void follow() {
    while (true) {
      {
        std::unique_lock lock(wake_mutex);
        wake.wait_for(lock, kFollowerPeriod, [&] { return stop || notified.load(); });
        if (stop) return;
      }
      notified = false;
      // A full disk stopped the store's writes: resumed once there is room.
      if (Status r = store->resume(); !r) {
        if (r.message() != last_error) spdlog::error("projections: {}", r.to_string());
        last_error = r.message();
        continue;
      }
      Status s = catch_up(nullptr);
      if (!s && s.message() != last_error) spdlog::error("projections: {}", s.to_string());
      last_error = s ? std::string() : s.message();
    }
  }
};

Projections::Projections(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Projections::~Projections() {
  {
    std::lock_guard lock(impl_->wake_mutex);
    impl_->stop = true;
  }
  impl_->wake.notify_all();
  if (impl_->follower.joinable()) impl_->follower.join();
}

std::unique_ptr<Projections> Projections::open(const Journal& log, std::filesystem::path dir, Status* status) {
  auto store = ProjectionStore::open(dir, status);
  if (!store) return nullptr;
  auto impl = std::make_unique<Impl>(log, std::move(store));
  if (*status = impl->load_checkpoint(); !*status) return nullptr;
  return std::unique_ptr<Projections>(new Projections(std::move(impl)));
}

Status Projections::catch_up(size_t* applied) {
  return impl_->catch_up(applied);
}

void Projections::start() {
  std::lock_guard lock(impl_->wake_mutex);
  if (impl_->follower.joinable() || impl_->stop) return;
  impl_->follower = std::thread([this] { impl_->follow(); });
}

void Projections::notify() {
  impl_->notified = true;
  impl_->wake.notify_one();  // a wake-up lost to a race costs at most one period
}

Status Projections::register_rows(const RegisterQuery& q, Json* out) const {
  return projections::query_register(*impl_->store, q, out);
}

Status Projections::billing(std::string_view provider, std::string_view month, Json* out) const {
  return projections::query_billing(*impl_->store, provider, month, out);
}

Status Projections::audits(const AuditQuery& q, Json* out) const {
  return projections::query_audits(*impl_->store, q, out);
}

Status Projections::audit(std::string_view sap, Json* out) const {
  return projections::query_audit(*impl_->store, sap, out);
}

Status Projections::family(std::string_view credential, std::vector<std::string>* credentials) const {
  return projections::query_family(*impl_->store, credential, credentials);
}

Status Projections::history(const std::vector<std::string>& credentials, const HistoryQuery& q, Json* out) const {
  return projections::query_history(*impl_->store, credentials, q, out);
}

void Projections::set_fold_listener(FoldListener listener) {
  std::lock_guard lock(impl_->listener_mutex);
  impl_->fold_listener = std::move(listener);
}

Json Projections::positions() const {
  std::map<PartitionId, Sequence> checkpoint;
  {
    std::lock_guard lock(impl_->checkpoint_mutex);
    checkpoint = impl_->checkpoint;
  }
  Json position = Json::object();
  uint64_t lag = 0;
  std::optional<int64_t> oldest_ms;  // command time of the oldest event not folded
  for (PartitionId stream : impl_->log.streams()) {
    const Sequence folded = checkpoint.contains(stream) ? checkpoint[stream] : 0;
    const Sequence last = last_sequence(impl_->log, stream, folded);
    lag += last - folded;
    position[std::to_string(stream)] = folded;
    if (last == folded) continue;
    if (const std::optional<int64_t> t = command_time_ms(impl_->log, stream, folded + 1)) {
      oldest_ms = oldest_ms ? std::min(*oldest_ms, *t) : *t;
    }
  }
  const int64_t lag_ms = oldest_ms ? std::max<int64_t>(0, wall_clock_now().value - *oldest_ms) : 0;
  Json out = Json::array();
  for (const char* name : kProjectionNames) {
    out.push_back({{"name", name}, {"position", position}, {"lag", lag}, {"lag_ms", lag_ms}});
  }
  return out;
}

Status Projections::digest(std::string* hex) const {
  return impl_->store->digest(hex);
}

}  // namespace autoriza
