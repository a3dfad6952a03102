#include "bench/projections/catch_up.h"

#include <chrono>
#include <cmath>
#include <future>
#include <ostream>
#include <thread>

#include <time.h>

namespace autoriza::bench {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kProgressPeriod = std::chrono::seconds(1);
constexpr int kBarWidth = 30;

uint64_t lag_of(const Projections& p) {
  const nlohmann::json positions = p.positions();
  AUTORIZA_CHECK(!positions.empty());
  return positions[0]["lag"].get<uint64_t>();  // the four projections share one checkpoint
}

// 1234567 -> "1,234,567"
std::string grouped(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

double cpu_clock_seconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

}  // namespace

std::string progress_line(uint64_t done, uint64_t total, double rate_now, double rate_overall) {
  const double fraction = total == 0 ? 1.0 : std::min(1.0, double(done) / double(total));
  const int filled = int(std::lround(fraction * kBarWidth));
  std::string bar(size_t(kBarWidth + 2), '-');
  bar.front() = '[';
  bar.back() = ']';
  for (int i = 0; i < filled; ++i) bar[size_t(1 + i)] = '#';
  char eta[32] = "ETA -";
  if (rate_overall > 0 && done < total) {
    std::snprintf(eta, sizeof eta, "ETA %.0f s", double(total - done) / rate_overall);
  }
  char line[200];
  std::snprintf(line, sizeof line, "%s %3.0f%% %s/%s events, %s/s now, %s/s overall, %s", bar.c_str(),
                fraction * 100, grouped(done).c_str(), grouped(total).c_str(), grouped(uint64_t(rate_now)).c_str(),
                grouped(uint64_t(rate_overall)).c_str(), eta);
  return line;
}

Status measure_catch_up(const Journal& log, const std::filesystem::path& dir, std::ostream& progress,
                        CatchUpReport* report, std::unique_ptr<Projections>* out) {
  AUTORIZA_CHECK(report != nullptr && out != nullptr);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  if (ec) return Status::io_error("cannot remove " + dir.string() + ": " + ec.message());
  Status s;
  std::unique_ptr<Projections> p = Projections::open(log, dir, &s);
  if (!p) return s;
  const uint64_t total = lag_of(*p);
  const auto began = Clock::now();
  const double process_began = cpu_clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
  std::promise<Status> done;
  std::future<Status> result = done.get_future();
  size_t applied = 0;
  double cpu_seconds = 0;
  std::thread folder([&] {
    Status folded = p->catch_up(&applied);
    cpu_seconds = cpu_clock_seconds(CLOCK_THREAD_CPUTIME_ID);
    done.set_value(std::move(folded));
  });
  uint64_t last_done = 0;
  auto last_at = began;
  while (result.wait_for(kProgressPeriod) != std::future_status::ready) {
    const uint64_t now_done = total - std::min(total, lag_of(*p));
    const auto now = Clock::now();
    const double since_last = std::chrono::duration<double>(now - last_at).count();
    const double since_start = std::chrono::duration<double>(now - began).count();
    progress << "catch-up: "
             << progress_line(now_done, total, double(now_done - last_done) / since_last,
                              double(now_done) / since_start)
             << "\n"
             << std::flush;
    last_done = now_done;
    last_at = now;
  }
  folder.join();
  report->seconds = std::chrono::duration<double>(Clock::now() - began).count();
  report->process_cpu_seconds = cpu_clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - process_began;
  if (s = result.get(); !s) return s;
  report->events = applied;
  report->cpu_seconds = cpu_seconds;
  progress << "catch-up: " << progress_line(applied, total, 0, report->events_per_s()) << "\n";
  *out = std::move(p);
  return Status::ok();
}

}  // namespace autoriza::bench
