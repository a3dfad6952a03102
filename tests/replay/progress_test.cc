// The progress bar (done/total, percent, rate, ETA; at most 10 drawings per
// second on a terminal, a line per ~10% elsewhere) and the range bounds that
// every run takes.
#include "replay/progress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "replay/log_range.h"

namespace autoriza {
namespace {

TEST(Progress, FormatsCountsRateAndEta) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1234567), "1,234,567");
  EXPECT_EQ(format_eta(77), "0:01:17");
  EXPECT_EQ(format_eta(3600 * 25 + 1), "25:00:01");
  EXPECT_EQ(format_eta(-1), "--:--");
  EXPECT_EQ(format_progress("rebuild", 500'000, 2'000'000, 2.0),
            "rebuild [#####...............]  500,000/2,000,000   25.0%  250,000 ev/s  ETA 0:00:06");
  EXPECT_EQ(format_progress("export", 10, 0, 1.0), "export  10  10 ev/s");
}

TEST(Progress, TerminalRedrawsAtMostTenTimesASecond) {
  double now = 100.0;
  std::ostringstream out;
  ProgressBar bar("rebuild", out, /*tty=*/true, [&] { return now; });
  for (int i = 1; i <= 1000; ++i) bar.update(uint64_t(i), 10'000);  // all at once: one drawing
  EXPECT_EQ(bar.draws(), 1u);
  now += 0.05;
  bar.update(2000, 10'000);
  EXPECT_EQ(bar.draws(), 1u);
  now += 0.06;
  bar.update(3000, 10'000);
  EXPECT_EQ(bar.draws(), 2u);
  bar.update(10'000, 10'000);
  bar.finish();
  EXPECT_EQ(bar.draws(), 3u);
  const std::string text = out.str();
  EXPECT_EQ(text.front(), '\r');
  EXPECT_EQ(text.back(), '\n');
  EXPECT_NE(text.find("10,000/10,000  100.0%"), std::string::npos) << text;
  EXPECT_NE(text.find("ev/s"), std::string::npos);
}

TEST(Progress, NotATerminalPrintsALinePerTenth) {
  double now = 0;
  std::ostringstream out;
  ProgressBar bar("what-if", out, /*tty=*/false, [&] { return now; });
  for (uint64_t done = 0; done <= 100'000; done += 100) {
    now += 0.001;
    bar.update(done, 100'000);
  }
  bar.finish();
  EXPECT_EQ(bar.draws(), 10u);
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 10);
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(Progress, AnEarlyEndShowsTheEventsDone) {
  std::ostringstream out;
  ProgressBar bar("rebuild", out, /*tty=*/false, [] { return 1.0; });
  bar.update(300, 1000);
  bar.update(400, 400);  // the range ended the run: runs report (done, done)
  bar.finish();
  EXPECT_NE(out.str().find("400/400  100.0%"), std::string::npos) << out.str();
}

TEST(LogRangeBounds, ParsesPositionsAndTimes) {
  LogRange r;
  EXPECT_TRUE(add_seq_bound("10", false, &r).is_ok());
  EXPECT_TRUE(add_seq_bound("3=7", false, &r).is_ok());
  EXPECT_TRUE(add_seq_bound("ref=2", false, &r).is_ok());
  EXPECT_EQ(r.to_of(0), 10u);
  EXPECT_EQ(r.to_of(3), 7u);
  EXPECT_EQ(r.to_of(kReferenceStream), 2u);
  EXPECT_FALSE(r.from_of(0));
  for (const char* bad : {"0", "x", "3=", "=4", "999=1", "-1", "1.5"}) {
    Status s = add_seq_bound(bad, true, &r);
    EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest) << bad;
    EXPECT_EQ(s.field(), "--from-seq") << bad;
  }
  EXPECT_EQ(set_time_bound("2026-11-02", true, &r).field(), "--from-time");
  EXPECT_TRUE(set_time_bound("2026-11-02T00:00:00-03:00", true, &r).is_ok());
  EXPECT_TRUE(set_time_bound("2026-11-01T00:00:00-03:00", false, &r).is_ok());
  EXPECT_EQ(check_range(r).field(), "--to-time");
}

TEST(LogRangeBounds, StreamsStayContiguous) {
  LogRange r;
  r.from_time = Millis{100};
  r.to_time = Millis{200};
  StreamCut cut(r, 0);
  EXPECT_EQ(cut.classify(1, 50), Where::kBefore);
  EXPECT_EQ(cut.classify(2, 100), Where::kInside);
  EXPECT_EQ(cut.classify(3, 90), Where::kInside);  // a clock going back does not leave the range
  EXPECT_EQ(cut.classify(4, 201), Where::kAfter);
  EXPECT_EQ(cut.classify(5, 150), Where::kAfter);  // nor re-enter it
  LogRange seq;
  seq.from_seq_all = 3;
  seq.to_seq[0] = 4;
  StreamCut s0(seq, 0);
  EXPECT_EQ(s0.first_possible(), 3u);
  EXPECT_EQ(s0.classify(3, 0), Where::kInside);
  EXPECT_EQ(s0.classify(5, 0), Where::kAfter);
  StreamCut ref(seq, kReferenceStream);  // "N" bounds do not apply to reference data
  EXPECT_EQ(ref.classify(1, 0), Where::kInside);
}

}  // namespace
}  // namespace autoriza
