#include "replay/replay.h"

#include <chrono>

#include "replay/committer.h"
#include "engine/event_bytes.h"
#include "engine/state_store.h"

namespace autoriza {

namespace {

// Events per commit to the target: large batches, one sync at the end.
constexpr size_t kCommitEventsMax = 20'000;
constexpr const char* kPartitionsKey = "partitions";

class Replayer {
 public:
  Replayer(const Journal& source, Committer& target, const ReplayOptions& options, uint64_t total)
      : source_(source), target_(target), options_(options), total_(total) {}

  Status stream(PartitionId stream) {
    std::unique_ptr<PartitionState> state;
    if (stream != kReferenceStream) state = std::make_unique<PartitionState>(stream, index_);
    StreamCut cut(options_.range, stream);
    Status result;
    Status scan = source_.scan_events(stream, 1, [&](Sequence seq, std::string_view bytes) {
      result = apply_one(stream, seq, bytes, cut, state.get());
      return bool(result) && !past_range_;
    });
    past_range_ = false;
    if (!scan) return scan;
    if (!result) return result;
    return flush(state.get());
  }

  uint64_t done() const { return done_; }
  const std::map<PartitionId, Sequence>& last() const { return last_; }
  int64_t last_time_ms() const { return last_time_ms_; }

 private:
  Status apply_one(PartitionId stream, Sequence seq, std::string_view bytes, StreamCut& cut, PartitionState* state) {
    std::vector<uint64_t> storage;
    const fb::Event* root = nullptr;
    if (Status s = open_event(bytes, stream, seq, &storage, &root); !s) return s;
    fb::EventT event;
    root->UnPackTo(&event);
    if (cut.classify(seq, event.command_time_ms) == Where::kAfter) {
      past_range_ = true;
      return Status::ok();
    }
    if (state) {
      state->apply(event, dirty_);
    } else {
      write_reference(event.reference, event.command_time_ms, seq, batch_);
    }
    last_[stream] = seq;
    last_time_ms_ = std::max(last_time_ms_, event.command_time_ms);
    batch_.events.push_back({stream, seq, std::string(bytes)});
    if (++done_ % kProgressEveryEvents == 0 && options_.progress) options_.progress(done_, total_);
    if (batch_.events.size() >= kCommitEventsMax) return flush(state);
    return Status::ok();
  }

  // Hands the batch to the committer thread; the fold goes on meanwhile.
  Status flush(PartitionState* state) {
    if (batch_.events.empty()) return Status::ok();
    if (state) write_dirty(*state, dirty_, batch_);
    Status s = target_.submit(std::move(batch_));
    batch_.clear();
    dirty_.clear();
    return s;
  }

  const Journal& source_;
  Committer& target_;
  const ReplayOptions& options_;
  uint64_t total_;
  IdempotencyIndex index_;
  CommitBatch batch_;
  DirtySet dirty_;
  uint64_t done_ = 0;
  bool past_range_ = false;
  std::map<PartitionId, Sequence> last_;
  int64_t last_time_ms_ = 0;
};

Status check_options(const ReplayOptions& options) {
  if (options.range.has_from()) {
    return Status::invalid(
        "a rebuild always starts at the first event of every stream (state is the fold of the whole prefix); "
        "--from-seq/--from-time select the period of --export and --what-if",
        "--from");
  }
  if (options.verify && options.range.has_to()) {
    return Status::invalid(
        "--verify compares with the live state, which is later than a rebuild bounded by --to-seq/--to-time",
        "--verify");
  }
  return check_range(options.range);
}

}  // namespace

bool ReplayReport::equal() const {
  for (const auto& d : digests) {
    if (!d.equal()) return false;
  }
  if (projections && projections->compared && !projections->equal()) return false;
  return !digests.empty();
}

Status count_events(const Journal& journal, uint64_t* total) {
  *total = 0;
  for (PartitionId stream : journal.streams()) {
    Sequence last = 0;
    if (Status s = read_stream_meta(journal, stream, &last); !s) return s;
    *total += last;
  }
  return Status::ok();
}

Status read_partition_count(const Journal& journal, PartitionId* partitions) {
  std::string text;
  if (Status s = journal.read_state(StateTable::kMeta, kPartitionsKey, &text); !s) return s;
  const int n = std::atoi(text.c_str());
  if (n < 1 || n > kPartitionsMax || std::to_string(n) != text) {
    return Status::corruption("meta: partitions is '" + text + "'");
  }
  *partitions = PartitionId(n);
  return Status::ok();
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
                    const ReplayOptions& options, ReplayReport* report) {
  if (Status s = check_options(options); !s) return s;
  std::error_code ec;
  if (std::filesystem::exists(target_dir, ec) && !std::filesystem::is_empty(target_dir, ec)) {
    return Status::invalid("target " + target_dir.string() + " is not empty (a rebuild writes a fresh store)",
                           "--into");
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
  if (s = source->read_state(StateTable::kMeta, kPartitionsKey, &partitions); !s) return s;
  CommitBatch meta;
  meta.writes.push_back({StateTable::kMeta, kPartitionsKey, partitions});
  if (s = target->commit(meta); !s) return s;
  uint64_t total = 0;
  if (s = count_events(*source, &total); !s) return s;
  const auto start = std::chrono::steady_clock::now();
  {
    Committer committer(*target);
    Replayer replayer(*source, committer, options, total);
    for (PartitionId stream : source->streams()) {
      if (s = replayer.stream(stream); !s) return s;
    }
    if (s = committer.drain(); !s) return s;
    report->events = replayer.done();
    report->last = replayer.last();
    report->last_time_ms = replayer.last_time_ms();
  }
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.progress) options.progress(report->events, report->events);
  report->verified = options.verify;
  if (options.projections) {
    report->projections.emplace();
    s = rebuild_projections(*target, target_dir / "projections", report->events, options.projections_progress,
                            &*report->projections);
    if (!s) return s;
    if (options.verify) compare_live_projections(*source, source_dir / "projections", &*report->projections);
  }
  if (!options.verify) return Status::ok();
  return compare_state(*source, *target, &report->digests);
}

Status replay_store(const std::filesystem::path& source, const std::filesystem::path& target, ReplayReport* report,
                    const ReplayProgress& progress) {
  ReplayOptions options;
  options.progress = progress;
  return replay_store(source, target, options, report);
}

}  // namespace autoriza
