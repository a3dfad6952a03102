// The in-process driver: submits to Engine from one thread and collects
// answers that engine writer threads hand over through a small mutex-guarded
// list (the callback does nothing else, so the writer is not slowed by the
// bookkeeping of the benchmark).
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <vector>

#include "bench/loadgen/driver.h"

namespace autoriza::bench {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kOpenLoopTickNs = 200'000;

class InprocessDriver {
 public:
  InprocessDriver(Engine& engine, Mix& mix, const InprocessOptions& options, std::ostream& progress)
      : engine_(engine), mix_(mix), options_(options), progress_(progress), slots_(options.window) {
    AUTORIZA_CHECK(options.window >= 1 && options.window <= engine.options().queue_max);
    AUTORIZA_CHECK(options.rate >= 0);
    free_.reserve(options.window);
    for (size_t i = options.window; i-- > 0;) free_.push_back(uint32_t(i));
    completed_.reserve(options.window);
    taken_.reserve(options.window);
  }

  RunReport run() {
    RunReport report;
    const bool open = options_.rate > 0;
    report.mode = open ? "inprocess-open" : "inprocess";
    char loop[96];
    if (open) {
      std::snprintf(loop, sizeof loop, "open at %.0f/s, window %zu", options_.rate, options_.window);
    } else {
      std::snprintf(loop, sizeof loop, "closed, window %zu", options_.window);
    }
    report.loop = loop;
    report.target_rate = options_.rate;
    const PartitionStats before = engine_totals(engine_);
    start_ns_ = now_ns();
    last_progress_ns_ = start_ns_;
    const double interval_ns = open ? 1e9 / options_.rate : 0;
    while (answered_ < options_.commands) {
      if (open) {
        send_due(interval_ns);
      } else {
        while (sent_ < options_.commands && !free_.empty()) submit_one(now_ns());
      }
      // Open loop: sleep until the next command is due, but at least
      // kOpenLoopTickNs, so the sender does not wake for every command (on
      // two cores that would steal the writer's CPU); commands due during
      // the sleep go out together and their latency counts from when they
      // were due.
      wait_and_drain(open && sent_ < options_.commands && !free_.empty()
                         ? std::max(start_ns_ + int64_t(double(sent_) * interval_ns), now_ns() + kOpenLoopTickNs)
                         : 0);
      maybe_progress(report.mode);
    }
    report.seconds = double(now_ns() - start_ns_) / 1e9;
    report.load_average = load_average_1m();
    report.commands = answered_;
    report.tally = std::move(tally_);
    report.engine = engine_delta(before, engine_totals(engine_));
    return report;
  }

 private:
  struct Slot {
    Ticket ticket;
    int64_t start_ns = 0;  // submit (closed loop) or due time (open loop)
    int64_t done_ns = 0;
    Outcome outcome;
  };

  // Open loop: submits every command already due (while the window allows).
  void send_due(double interval_ns) {
    const int64_t now = now_ns();
    while (sent_ < options_.commands && !free_.empty()) {
      const int64_t due = start_ns_ + int64_t(double(sent_) * interval_ns);
      if (due > now) break;
      submit_one(due);
    }
  }

  void submit_one(int64_t start_ns) {
    Planned planned;
    mix_.next(&planned);
    const uint32_t slot = free_.back();
    free_.pop_back();
    Slot& s = slots_[slot];
    s.ticket = std::move(planned.ticket);
    s.start_ns = start_ns;
    ++sent_;
    engine_.submit(std::move(planned.command), planned.at, [this, slot](Outcome o) { on_done(slot, std::move(o)); });
  }

  // Engine thread (or the driver's, when the engine refuses at once).
  void on_done(uint32_t slot, Outcome outcome) {
    Slot& s = slots_[slot];
    s.done_ns = now_ns();
    s.outcome = std::move(outcome);
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      completed_.push_back(slot);
      wake = waiting_;
    }
    if (wake) ready_.notify_one();
  }

  // Waits for answers (until deadline_ns when not 0) and digests them.
  void wait_and_drain(int64_t deadline_ns) {
    {
      std::unique_lock lock(mutex_);
      const bool must_wait = deadline_ns != 0 || free_.empty() || sent_ >= options_.commands;
      if (completed_.empty() && must_wait) {
        waiting_ = true;
        if (deadline_ns != 0) {
          const auto deadline = Clock::time_point(std::chrono::nanoseconds(deadline_ns));
          ready_.wait_until(lock, deadline, [&] { return !completed_.empty(); });
        } else {
          ready_.wait(lock, [&] { return !completed_.empty(); });
        }
        waiting_ = false;
      }
      taken_.swap(completed_);
    }
    Answer answer;
    for (uint32_t slot : taken_) {
      Slot& s = slots_[slot];
      const uint64_t latency = uint64_t(std::max<int64_t>(0, s.done_ns - s.start_ns));
      if (s.outcome.status.is_ok() && s.outcome.result) {
        answer_from_result(*s.outcome.result, &answer);
        tally_.add(s.ticket.kind, answer.status, latency);
        mix_.observe(s.ticket, answer);
      } else {
        tally_.add_failure(s.ticket.kind, failure_of(s.outcome.status.kind()), latency);
      }
      s.outcome = Outcome{};  // the result is freed here, not on the writer thread
      free_.push_back(slot);
      ++answered_;
    }
    taken_.clear();
  }

  void maybe_progress(const std::string& mode) {
    const int64_t now = now_ns();
    if (now - last_progress_ns_ < 1'000'000'000 && answered_ < options_.commands) return;
    const double elapsed = double(now - start_ns_) / 1e9;
    const double recent = double(answered_ - last_progress_answered_) / (double(now - last_progress_ns_) / 1e9);
    char line[200];
    std::snprintf(line, sizeof line, "%s: %zu/%zu answered, %.0f/s now, %.0f/s overall, %zu in flight, %.1f s\n",
                  mode.c_str(), answered_, options_.commands, recent, double(answered_) / elapsed, sent_ - answered_,
                  elapsed);
    progress_ << line << std::flush;
    last_progress_ns_ = now;
    last_progress_answered_ = answered_;
  }

  Engine& engine_;
  Mix& mix_;
  const InprocessOptions options_;
  std::ostream& progress_;
  std::vector<Slot> slots_;      // one per command in flight (window)
  std::vector<uint32_t> free_;   // driver thread only
  std::vector<uint32_t> taken_;  // driver thread only
  Tally tally_;                  // driver thread only
  size_t sent_ = 0, answered_ = 0, last_progress_answered_ = 0;
  int64_t start_ns_ = 0, last_progress_ns_ = 0;

  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<uint32_t> completed_;  // guarded by mutex_; at most window entries
  bool waiting_ = false;             // guarded by mutex_
};

}  // namespace

RunReport run_inprocess(Engine& engine, Mix& mix, const InprocessOptions& options, std::ostream& progress) {
  InprocessDriver driver(engine, mix, options, progress);
  return driver.run();
}

}  // namespace autoriza::bench
