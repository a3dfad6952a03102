#pragma once
// A histogram over fixed buckets, lock-free: how many observations fell at
// or below each upper bound (Prometheus' "le"), and their sum. The bounds are
// fixed at construction and at most kHistogramBucketsMax, so the memory of a
// histogram never grows with what it observes.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace autoriza {

inline constexpr size_t kHistogramBucketsMax = 24;

// A copy of a histogram at one instant. Buckets are read one by one, so a
// snapshot taken while others observe may be off by the observations in
// flight; count() always equals the sum of the buckets.
struct HistogramSnapshot {
  std::vector<double> upper_bounds;  // ascending; a last bucket (+Inf) follows them
  std::vector<uint64_t> counts;      // per bucket, not cumulative; upper_bounds.size() + 1
  double sum = 0;
  uint64_t count() const;
};

class Histogram {
 public:
  // upper_bounds: ascending, 1 to kHistogramBucketsMax values (checked).
  explicit Histogram(std::initializer_list<double> upper_bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  // Thread-safe and wait-free but for the sum (a compare-exchange loop).
  void observe(double value);
  HistogramSnapshot snapshot() const;

 private:
  std::array<double, kHistogramBucketsMax> bounds_{};
  size_t size_ = 0;
  std::array<std::atomic<uint64_t>, kHistogramBucketsMax + 1> counts_{};
  std::atomic<double> sum_{0};
};

}  // namespace autoriza
