#include "replay.h"

#include <chrono>

#include "state_store.h"

namespace autoriza {

namespace {

constexpr size_t kCommitEventsMax = 20'000;

Status count_events(const Journal& journal, uint64_t* total) {
  *total = 0;
  for (PartitionId stream : journal.streams()) {
    Sequence last = 0;
    if (Status s = read_stream_meta(journal, stream, &last); !s) return s;
    *total += last;
  }
  return Status::ok();
}

class Replayer {
 public:
  Replayer(const Journal& source, Journal& target, uint64_t total, const ReplayProgress& progress)
      : source_(source), target_(target), total_(total), progress_(progress) {}

  Status stream(PartitionId stream) {
    std::unique_ptr<PartitionState> state;
    if (stream != kReferenceStream) state = std::make_unique<PartitionState>(stream, index_);
    Status result;
    Status scan = source_.scan_events(stream, 1, [&](Sequence seq, std::string_view bytes) {
      result = apply_one(stream, seq, bytes, state.get());
      return bool(result);
    });
    if (!scan) return scan;
    if (!result) return result;
    return flush(state.get());
  }

  uint64_t done() const { return done_; }

 private:
  Status apply_one(PartitionId stream, Sequence seq, std::string_view bytes, PartitionState* state) {
    fb::EventT event;
    if (Status s = unpack_event(bytes, &event); !s) return s;
    if (event.sequence != seq || event.partition != stream) {
      return Status::corruption("event " + std::to_string(stream) + "/" + std::to_string(seq) + " names another position");
    }
    if (state) {
      state->apply(event, dirty_);
    } else {
      write_reference(event.reference, event.command_time_ms, seq, batch_);
    }
    batch_.events.push_back({stream, seq, std::string(bytes)});
    if (++done_ % 100'000 == 0 && progress_) progress_(done_, total_);
    if (batch_.events.size() >= kCommitEventsMax) return flush(state);
    return Status::ok();
  }

  Status flush(PartitionState* state) {
    if (batch_.events.empty()) return Status::ok();
    if (state) write_dirty(*state, dirty_, batch_);
    Status s = target_.commit(batch_);
    batch_.clear();
    dirty_.clear();
    return s;
  }

  const Journal& source_;
  Journal& target_;
  uint64_t total_;
  const ReplayProgress& progress_;
  IdempotencyIndex index_;
  CommitBatch batch_;
  DirtySet dirty_;
  uint64_t done_ = 0;
};

}  // namespace

bool ReplayReport::equal() const {
  for (const auto& d : digests) {
    if (!d.equal()) return false;
  }
  return !digests.empty();
}

Status compare_state(const Journal& source, const Journal& rebuilt, std::vector<TableDigest>* digests) {
  digests->clear();
  for (StateTable t : kStateTables) {
    TableDigest d{state_table_name(t), {}, {}};
    if (Status s = source.digest(t, &d.source); !s) return s;
    if (Status s = rebuilt.digest(t, &d.rebuilt); !s) return s;
    digests->push_back(d);
  }
  return Status::ok();
}

Status replay_store(const std::filesystem::path& source_dir, const std::filesystem::path& target_dir,
                    ReplayReport* report, const ReplayProgress& progress) {
  std::error_code ec;
  if (std::filesystem::exists(target_dir, ec) && !std::filesystem::is_empty(target_dir, ec)) {
    return Status::invalid("target " + target_dir.string() + " is not empty", "--into");
  }
  Status s;
  RocksJournalOptions ro;
  ro.read_only = true;
  auto source = open_rocks_journal(source_dir, ro, &s);
  if (!s) return s;
  RocksJournalOptions wo;
  wo.sync = false;  // one sync at the end is enough for a rebuild
  auto target = open_rocks_journal(target_dir, wo, &s);
  if (!s) return s;
  std::string partitions;
  if (s = source->read_state(StateTable::kMeta, "partitions", &partitions); !s) return s;
  CommitBatch meta;
  meta.writes.push_back({StateTable::kMeta, "partitions", partitions});
  if (s = target->commit(meta); !s) return s;
  uint64_t total = 0;
  if (s = count_events(*source, &total); !s) return s;
  const auto start = std::chrono::steady_clock::now();
  Replayer replayer(*source, *target, total, progress);
  for (PartitionId stream : source->streams()) {
    if (s = replayer.stream(stream); !s) return s;
  }
  report->events = replayer.done();
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) progress(report->events, total);
  return compare_state(*source, *target, &report->digests);
}

}  // namespace autoriza
