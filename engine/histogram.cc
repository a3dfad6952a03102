#include "engine/histogram.h"

#include <numeric>

#include "engine/core/status.h"

namespace autoriza {

uint64_t HistogramSnapshot::count() const { return std::accumulate(counts.begin(), counts.end(), uint64_t{0}); }

Histogram::Histogram(std::initializer_list<double> upper_bounds) {
  AUTORIZA_CHECK(upper_bounds.size() >= 1 && upper_bounds.size() <= kHistogramBucketsMax);
  for (double bound : upper_bounds) {
    AUTORIZA_CHECK(size_ == 0 || bound > bounds_[size_ - 1]);
    bounds_[size_++] = bound;
  }
}

void Histogram::observe(double value) {
  // Linear: at most kHistogramBucketsMax comparisons, cheaper than a branchy
  // binary search at this size.
  size_t bucket = 0;
  while (bucket < size_ && value > bounds_[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  double sum = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(sum, sum + value, std::memory_order_relaxed)) {
  }
}

HistogramSnapshot Histogram::snapshot() const {
  HistogramSnapshot s;
  s.upper_bounds.assign(bounds_.begin(), bounds_.begin() + std::ptrdiff_t(size_));
  s.counts.reserve(size_ + 1);
  for (size_t i = 0; i <= size_; ++i) s.counts.push_back(counts_[i].load(std::memory_order_relaxed));
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace autoriza
