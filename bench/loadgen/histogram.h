#pragma once
// A latency histogram with log-linear buckets (HdrHistogram's layout):
// values below 64 ns are exact; above, each power of two is split into 32
// equal buckets, so a reported percentile is within 1/32 (~3%) of the true
// value, above it, never below. Fixed memory (1,920 counters, 15 KiB) for
// any number of samples up to 2^64 ns. Not thread-safe: one per thread,
// merged at the end.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace autoriza::bench {

// The monotonic clock in nanoseconds: what every latency sample is taken with.
inline int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class Histogram {
 public:
  static constexpr int kSubBucketBits = 5;
  static constexpr size_t kBuckets = 64 + (64 - 6) * 32;

  void record(uint64_t value_ns);
  void merge(const Histogram& other);

  uint64_t count() const { return count_; }
  uint64_t max_ns() const { return max_; }
  uint64_t min_ns() const { return count_ == 0 ? 0 : min_; }
  double mean_ns() const { return count_ == 0 ? 0.0 : double(sum_) / double(count_); }
  // The smallest bucket upper edge at or below which a fraction q (0-1) of
  // the samples fall, capped at max_ns(); 0 when empty.
  uint64_t percentile_ns(double q) const;

  static size_t bucket_of(uint64_t value);
  // Largest value that falls in bucket.
  static uint64_t bucket_upper(size_t bucket);

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0, sum_ = 0, max_ = 0, min_ = UINT64_MAX;
};

}  // namespace autoriza::bench
