#include "engine/histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace autoriza {
namespace {

TEST(HistogramTest, CountsEachValueInTheFirstBucketThatHoldsIt) {
  Histogram h{1, 10, 100};
  for (double v : {0.5, 1.0, 1.5, 10.0, 99.0, 100.0, 101.0, 1e9}) h.observe(v);
  const HistogramSnapshot s = h.snapshot();
  ASSERT_EQ(s.upper_bounds, (std::vector<double>{1, 10, 100}));
  EXPECT_EQ(s.counts, (std::vector<uint64_t>{2, 2, 2, 2}));  // <=1, <=10, <=100, beyond
  EXPECT_EQ(s.count(), 8u);
  EXPECT_DOUBLE_EQ(s.sum, 0.5 + 1 + 1.5 + 10 + 99 + 100 + 101 + 1e9);
}

TEST(HistogramTest, ObservationsFromManyThreadsAreAllCounted) {
  Histogram h{1, 2};
  constexpr int kThreads = 4, kEach = 10'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < kEach; ++i) h.observe(double(t % 3));
    });
  }
  for (auto& t : threads) t.join();
  const HistogramSnapshot s = h.snapshot();
  EXPECT_EQ(s.count(), uint64_t(kThreads) * kEach);
  EXPECT_DOUBLE_EQ(s.sum, double(kEach) * (0 + 1 + 2 + 0));
}

TEST(HistogramTest, BoundsMustAscend) {
  EXPECT_DEATH(Histogram({2, 1}), "invariant");
}

}  // namespace
}  // namespace autoriza
