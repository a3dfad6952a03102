#include "bench/projections/follow.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <ostream>
#include <thread>

#include "bench/loadgen/driver.h"
#include "engine/engine.h"
#include "bench/projections/log_builder.h"
#include "bench/loadgen/padron.h"
#include "adapters/service/service.h"

namespace autoriza::bench {

namespace {

constexpr auto kSettleMax = std::chrono::seconds(60);  // after a rate, waiting for the fold to reach the log's end

// One point of a timeline: at `ns`, partition 0 had reached `sequence`.
struct Mark {
  int64_t ns = 0;
  Sequence sequence = 0;
};

// Group commits and fold commits as they happen (two threads write, one
// reads after the run). Bounded: one mark per commit, at most marks_max.
class Timeline {
 public:
  explicit Timeline(size_t marks_max) : marks_max_(marks_max) {}

  void committed(Sequence sequence) { add(commits_, sequence); }
  void folded(Sequence sequence) { add(folds_, sequence); }

  // Lag of every event after `from` (sequence) in the commits recorded: the
  // first fold mark at or past its commit's sequence, minus the commit's time.
  void lags(Sequence from, FollowReport* report) {
    std::lock_guard lock(mutex_);
    size_t f = 0;
    Sequence previous = from;
    for (const Mark& c : commits_) {
      if (c.sequence <= previous) continue;
      while (f < folds_.size() && folds_[f].sequence < c.sequence) ++f;
      if (f == folds_.size()) break;  // never folded (the settle wait ran out)
      const uint64_t lag = uint64_t(std::max<int64_t>(0, folds_[f].ns - c.ns));
      for (Sequence s = previous; s < c.sequence; ++s) report->lag.record(lag);
      report->events += c.sequence - previous;
      ++report->group_commits;
      previous = c.sequence;
    }
    commits_.clear();
    folds_.clear();
  }

 private:
  void add(std::vector<Mark>& marks, Sequence sequence) {
    const int64_t ns = now_ns();
    std::lock_guard lock(mutex_);
    if (marks.size() < marks_max_) marks.push_back({ns, sequence});
  }

  const size_t marks_max_;
  std::mutex mutex_;
  std::vector<Mark> commits_, folds_;  // guarded by mutex_
};

uint64_t lag_events(const Projections& p) {
  const nlohmann::json positions = p.positions();
  return positions.empty() ? 0 : positions[0]["lag"].get<uint64_t>();
}

Status settle(Projections& p) {
  const auto deadline = std::chrono::steady_clock::now() + kSettleMax;
  while (lag_events(p) != 0) {
    if (std::chrono::steady_clock::now() > deadline) return Status::unavailable("the fold did not reach the log's end");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Status::ok();
}

}  // namespace

Status measure_follow(const FollowOptions& o, std::ostream& progress, std::vector<FollowReport>* out) {
  AUTORIZA_CHECK(out != nullptr && o.seconds > 0);
  const auto start = parse_instant(o.start);
  if (!start) return Status::invalid("start must be ISO-8601 with an offset", "start");
  std::error_code ec;
  std::filesystem::remove_all(o.dir, ec);
  std::filesystem::create_directories(o.dir, ec);
  if (ec) return Status::io_error("cannot create " + o.dir.string() + ": " + ec.message());

  Padron padron;
  if (Status s = make_padron(o.data, PadronOptions{o.affiliates, o.providers, 400, o.seed, local_day(*start)}, &padron);
      !s) {
    return s;
  }
  std::unique_ptr<Engine> engine;
  LoadReport load;
  // Synced, as serve runs it: durable answers.
  Status s = open_loaded_engine(o.dir / "store", true, padron, progress, &engine, &load);
  if (!s) return s;

  double commands_total = 0;
  for (double rate : o.rates) commands_total += rate * o.seconds;
  Timeline timeline(size_t(commands_total) + 1'000);
  {
    // As serve: the Service opens the projections, starts their follower
    // and has the commit listener notify it. We listen in on both sides.
    Service service(*engine);
    Projections& projections = service.projections();
    progress << "follow: folding the padron's " << load.records << " reference events\n" << std::flush;
    if (s = settle(projections); !s) return s;
    Engine& e = *engine;
    engine->set_commit_listener([&] {
      timeline.committed(e.committed_sequence(0));
      projections.notify();
    });
    projections.set_fold_listener([&](const std::map<PartitionId, Sequence>& checkpoint) {
      const auto it = checkpoint.find(0);
      if (it != checkpoint.end()) timeline.folded(it->second);
    });

    MixOptions mo;
    mo.seed = o.seed;
    mo.request_prefix = "f" + std::to_string(o.seed);
    mo.start = *start;
    mo.step_ms = 1'000;
    Mix mix(padron, mo);
    for (double rate : o.rates) {
      const Sequence before = engine->committed_sequence(0);
      InprocessOptions io;
      io.commands = size_t(rate * o.seconds);
      io.window = kWindow;
      io.rate = rate;
      progress << "follow: " << uint64_t(rate) << " commands/s for " << o.seconds << " s\n" << std::flush;
      const RunReport run = run_inprocess(*engine, mix, io, progress);
      if (s = settle(projections); !s) return s;
      FollowReport r;
      r.rate = rate;
      r.commands = run.commands;
      r.seconds = run.seconds;
      r.achieved = run.throughput();
      r.answer = run.tally.latency;
      r.load_average = load_average_1m();
      timeline.lags(before, &r);
      out->push_back(std::move(r));
    }
    projections.set_fold_listener(nullptr);
  }  // ~Service clears the commit listener, then stops the follower
  return Status::ok();
}

}  // namespace autoriza::bench
