#include "bench/loadgen/histogram.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>

#include "engine/core/status.h"

namespace autoriza::bench {

size_t Histogram::bucket_of(uint64_t value) {
  if (value < 64) return size_t(value);
  const int msb = 63 - std::countl_zero(value);  // 6..63
  const int shift = msb - kSubBucketBits;
  const size_t sub = size_t(value >> shift) & 31;
  const size_t bucket = 64 + size_t(msb - 6) * 32 + sub;
  assert(bucket < kBuckets);
  return bucket;
}

uint64_t Histogram::bucket_upper(size_t bucket) {
  AUTORIZA_CHECK(bucket < kBuckets);
  if (bucket < 64) return bucket;
  const size_t octave = (bucket - 64) / 32;
  const size_t sub = (bucket - 64) % 32;
  const int shift = int(octave) + 6 - kSubBucketBits;
  const uint64_t low = (uint64_t(32 + sub)) << shift;
  return low + ((uint64_t(1) << shift) - 1);
}

void Histogram::record(uint64_t value_ns) {
  ++counts_[bucket_of(value_ns)];
  ++count_;
  sum_ += value_ns;
  max_ = std::max(max_, value_ns);
  min_ = std::min(min_, value_ns);
}

void Histogram::merge(const Histogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
}

uint64_t Histogram::percentile_ns(double q) const {
  AUTORIZA_CHECK(q >= 0.0 && q <= 1.0);
  if (count_ == 0) return 0;
  const uint64_t rank = std::max<uint64_t>(1, uint64_t(std::ceil(q * double(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(bucket_upper(i), max_);
  }
  return max_;
}

}  // namespace autoriza::bench
