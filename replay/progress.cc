#include "replay/progress.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace autoriza {

namespace {

constexpr double kRedrawEverySeconds = 0.1;  // at most 10 drawings per second
constexpr int kBarWidth = 20;

}  // namespace

std::string format_count(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string format_eta(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  const auto s = uint64_t(std::llround(seconds));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu:%02llu:%02llu", static_cast<unsigned long long>(s / 3600),
                static_cast<unsigned long long>(s / 60 % 60), static_cast<unsigned long long>(s % 60));
  return buf;
}

std::string format_progress(const std::string& label, uint64_t done, uint64_t total, double elapsed_seconds) {
  const double rate = elapsed_seconds > 0 ? double(done) / elapsed_seconds : 0;
  std::string line = label;
  if (total > 0) {
    const double fraction = std::min(1.0, double(done) / double(total));
    const int filled = int(fraction * kBarWidth);
    line += " [" + std::string(size_t(filled), '#') + std::string(size_t(kBarWidth - filled), '.') + "]";
    char pct[16];
    std::snprintf(pct, sizeof pct, "%5.1f%%", 100.0 * fraction);
    line += "  " + format_count(done) + "/" + format_count(total) + "  " + pct;
  } else {
    line += "  " + format_count(done);
  }
  line += "  " + format_count(uint64_t(rate)) + " ev/s";
  if (total > 0) {
    const double left = done >= total ? 0 : (rate > 0 ? double(total - done) / rate : -1);
    line += "  ETA " + format_eta(left);
  }
  return line;
}

ProgressBar::ProgressBar(std::string label, std::ostream& out, bool tty, std::function<double()> now_seconds)
    : label_(std::move(label)), out_(out), tty_(tty), now_(std::move(now_seconds)), start_s_(now_()) {}

double ProgressBar::steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool ProgressBar::stderr_is_tty() {
  return ::isatty(STDERR_FILENO) == 1;
}

void ProgressBar::update(uint64_t done, uint64_t total) {
  if (finished_) return;
  updated_ = true;
  done_ = done;
  total_ = total;
  if (tty_) {
    const double now = now_();
    if (last_draw_s_ >= 0 && now - last_draw_s_ < kRedrawEverySeconds) return;
    last_draw_s_ = now;
    draw();
    return;
  }
  if (total == 0) return;  // no tenths to report; finish() prints the end
  const int tenth = int(std::min<uint64_t>(10, done * 10 / total));
  if (tenth <= last_tenth_ || tenth == 0) return;
  last_tenth_ = tenth;
  draw();
}

void ProgressBar::finish() {
  if (finished_) return;
  if (!updated_) {
    finished_ = true;  // the run never started (an error before it): nothing to show
    return;
  }
  if (total_ < done_) total_ = done_;  // a range ended the run early: the end is 100%
  if (!tty_ && last_tenth_ == 10) {
    finished_ = true;
    return;  // the 100% line is out already
  }
  draw();
  finished_ = true;
  if (tty_) out_ << "\n" << std::flush;
}

void ProgressBar::draw() {
  ++draws_;
  const std::string line = format_progress(label_, done_, total_, now_() - start_s_);
  if (tty_) {
    // Pad over the rest of a longer previous line.
    const size_t pad = last_width_ > line.size() ? last_width_ - line.size() : 0;
    out_ << "\r" << line << std::string(pad, ' ') << std::flush;
    last_width_ = line.size();
  } else {
    out_ << line << "\n" << std::flush;
  }
}

}  // namespace autoriza
