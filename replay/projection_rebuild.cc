#include "replay/projection_rebuild.h"

#include <chrono>

#include "projections/projections.h"

namespace autoriza {

namespace {

// The log as the projections see it, counting the events they read so that
// a long fold shows progress. Read-only: commit is refused.
class CountingJournal final : public Journal {
 public:
  CountingJournal(const Journal& log, uint64_t total, const ProgressFn& progress)
      : log_(log), total_(total), progress_(progress) {}

  Status commit(const CommitBatch&) override { return Status::io_error("the replayed log is read-only"); }
  Status read_event(PartitionId stream, Sequence sequence, std::string* bytes) const override {
    return log_.read_event(stream, sequence, bytes);
  }
  Status scan_events(PartitionId stream, Sequence from,
                     const std::function<bool(Sequence, std::string_view)>& visit) const override {
    return log_.scan_events(stream, from, [&](Sequence seq, std::string_view bytes) {
      if (++read_ % kProgressEveryEvents == 0 && progress_) progress_(read_, total_);
      return visit(seq, bytes);
    });
  }
  Status read_state(StateTable table, std::string_view key, std::string* value) const override {
    return log_.read_state(table, key, value);
  }
  Status scan_state(StateTable table,
                    const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    return log_.scan_state(table, visit);
  }
  Status digest(StateTable table, std::string* hex) const override { return log_.digest(table, hex); }
  std::vector<PartitionId> streams() const override { return log_.streams(); }

  uint64_t read() const { return read_; }

 private:
  const Journal& log_;
  uint64_t total_;
  const ProgressFn& progress_;
  mutable uint64_t read_ = 0;
};

}  // namespace

Status rebuild_projections(const Journal& log, const std::filesystem::path& dir, uint64_t total,
                           const ProgressFn& progress, ProjectionRebuild* out) {
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_empty(dir, ec)) {
    return Status::invalid("projections folder " + dir.string() + " is not empty", "--into");
  }
  const auto start = std::chrono::steady_clock::now();
  CountingJournal counting(log, total, progress);
  Status s;
  auto projections = Projections::open(counting, dir, &s);
  if (!projections) return s;
  size_t applied = 0;
  if (s = projections->catch_up(&applied); !s) return s;
  if (s = projections->digest(&out->digest); !s) return s;
  out->events = applied;
  out->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) progress(counting.read(), counting.read());
  return Status::ok();
}

void compare_live_projections(const Journal& log, const std::filesystem::path& dir, ProjectionRebuild* out) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    out->not_compared = "no live projections at " + dir.string();
    return;
  }
  Status s;
  auto live = Projections::open(log, dir, &s);
  if (!live) {
    out->not_compared = "live projections cannot be opened (a running server holds them?): " + s.to_string();
    return;
  }
  const nlohmann::json positions = live->positions();
  const uint64_t lag = positions.empty() ? 0 : positions[0].value("lag", uint64_t(0));
  if (lag > 0) {
    out->not_compared = "live projections are " + std::to_string(lag) + " events behind the log";
    return;
  }
  if (s = live->digest(&out->live_digest); !s) {
    out->not_compared = "live projections digest: " + s.to_string();
    return;
  }
  out->compared = true;
}

}  // namespace autoriza
