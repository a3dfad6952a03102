// The latency histogram of the load generator (bench/loadgen/histogram.h):
// a percentile is within 1/32 of the true value, above it, never below.
#include "bench/loadgen/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace autoriza::bench {
namespace {

TEST(Histogram, PercentilesAreWithinOneThirtySecondAboveTheTrueValue) {
  std::mt19937_64 random(7);
  std::lognormal_distribution<double> latency(13.0, 1.5);  // ~0.4 ms median, a long tail
  std::vector<uint64_t> values;
  Histogram h;
  for (int i = 0; i < 200'000; ++i) {
    const auto v = uint64_t(latency(random));
    values.push_back(v);
    h.record(v);
  }
  std::sort(values.begin(), values.end());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const uint64_t truth = values[size_t(q * double(values.size())) - 1];
    const uint64_t got = h.percentile_ns(q);
    EXPECT_GE(got, truth) << q;
    EXPECT_LE(double(got), double(truth) * (1.0 + 1.0 / 32) + 1) << q;
  }
  EXPECT_EQ(h.max_ns(), values.back());
  EXPECT_EQ(h.min_ns(), values.front());
  EXPECT_EQ(h.count(), values.size());
}

TEST(Histogram, SmallValuesAreExactAndMergeAddsCounts) {
  Histogram a, b;
  for (uint64_t v = 0; v < 64; ++v) a.record(v);
  EXPECT_EQ(a.percentile_ns(0.5), 31u);
  b.record(1'000'000);
  a.merge(b);
  EXPECT_EQ(a.count(), 65u);
  EXPECT_EQ(a.max_ns(), 1'000'000u);
  EXPECT_EQ(Histogram().percentile_ns(0.99), 0u);
}

TEST(Histogram, EveryValueFallsInABucketWhoseUpperEdgeHoldsIt) {
  for (uint64_t v : {uint64_t(0), uint64_t(63), uint64_t(64), uint64_t(65), uint64_t(1) << 20, (uint64_t(1) << 40) + 12345,
                     ~uint64_t(0)}) {
    const size_t b = Histogram::bucket_of(v);
    ASSERT_LT(b, Histogram::kBuckets) << v;
    EXPECT_GE(Histogram::bucket_upper(b), v) << v;
    if (b > 0) {
      EXPECT_LT(Histogram::bucket_upper(b - 1), v) << v;
    }
  }
}

}  // namespace
}  // namespace autoriza::bench
