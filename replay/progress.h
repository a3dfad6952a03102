#pragma once
// Progress of a long run (rebuild, export, what-if) for the person waiting:
// one line on a terminal, redrawn in place at most 10 times per second,
//   rebuild [##########..........]  1,048,576/2,097,152  50.0%  812,345 ev/s  ETA 0:01:17
// and, when the stream is not a terminal (a log file, CI), one such line per
// ~10% of the total, so that logs stay short.
//
// The runs themselves only call a ProgressFn; drawing is the CLI's business.
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace autoriza {

// Called by long runs with the events done so far and the total expected
// (an upper bound when a range ends the run early). Runs call it every
// kProgressEveryEvents events and once at the end; it must be cheap.
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;
inline constexpr uint64_t kProgressEveryEvents = 4096;

// "1,234,567"
std::string format_count(uint64_t n);
// "0:01:17"; "--:--" when unknown (negative).
std::string format_eta(double seconds);
// The bar line without a line end, e.g. the example above. total 0 shows
// no percent and no ETA.
std::string format_progress(const std::string& label, uint64_t done, uint64_t total, double elapsed_seconds);

class ProgressBar {
 public:
  // out: where to draw (std::cerr in the CLI). tty: redraw in place; else a
  // line every ~10%. now_seconds: a monotonic clock (tests inject one).
  ProgressBar(std::string label, std::ostream& out, bool tty, std::function<double()> now_seconds = steady_seconds);

  // Draws if 100 ms passed since the last drawing (tty) or a new tenth of
  // the total was reached (not tty).
  void update(uint64_t done, uint64_t total);
  // Draws the final state and ends the line (nothing if update() was never
  // called). Idempotent.
  void finish();
  // A ProgressFn that updates this bar; the bar must outlive it.
  ProgressFn callback() {
    return [this](uint64_t done, uint64_t total) { update(done, total); };
  }
  // How many times the bar was drawn (for tests).
  uint64_t draws() const { return draws_; }

  static double steady_seconds();
  static bool stderr_is_tty();

 private:
  void draw();

  std::string label_;
  std::ostream& out_;
  bool tty_;
  std::function<double()> now_;
  double start_s_;
  double last_draw_s_ = -1;
  int last_tenth_ = -1;
  uint64_t done_ = 0, total_ = 0;
  uint64_t draws_ = 0;
  size_t last_width_ = 0;
  bool updated_ = false;
  bool finished_ = false;
};

}  // namespace autoriza
