#include "adapters/auth/rate_limiter.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace autoriza::auth {

RateLimiter::RateLimiter(double rate_per_s, double burst)
    : rate_per_s_(rate_per_s), burst_(std::max(1.0, burst)) {}

bool RateLimiter::admit(std::string_view principal, Clock::time_point now, int64_t* retry_after_s) {
  if (rate_per_s_ <= 0) return true;
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(principal));
  if (it == buckets_.end()) {
    if (buckets_.size() >= kPrincipalsMax) buckets_.clear();  // bounded; a reset only forgives
    it = buckets_.emplace(std::string(principal), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed_s = std::chrono::duration<double>(now - b.refilled).count();
  if (elapsed_s > 0) {
    b.tokens = std::min(burst_, b.tokens + elapsed_s * rate_per_s_);
    b.refilled = now;
  }
  assert(b.tokens <= burst_);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return true;
  }
  if (retry_after_s) {
    *retry_after_s = std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - b.tokens) / rate_per_s_)));
  }
  return false;
}

}  // namespace autoriza::auth
