#pragma once
// Per-principal rate limits (issue 6): a token bucket per principal name,
// refilled at rate_per_s up to burst. A request over the limit is refused
// with 429 and Retry-After (the seconds until one token is back). Uses the
// steady clock of the adapter, never the validator's command time.
// Thread-safe. At most kPrincipalsMax buckets: beyond it the least recently
// created ones are dropped (a dropped principal starts with a full bucket).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace autoriza::auth {

class RateLimiter {
 public:
  static constexpr size_t kPrincipalsMax = 100'000;
  using Clock = std::chrono::steady_clock;

  // rate_per_s <= 0: no limit.
  RateLimiter(double rate_per_s, double burst);

  // Takes one token of principal's bucket. False when it is empty; then
  // *retry_after_s is the whole seconds (>= 1) until a token is back.
  bool admit(std::string_view principal, Clock::time_point now, int64_t* retry_after_s);
  bool admit(std::string_view principal, int64_t* retry_after_s) { return admit(principal, Clock::now(), retry_after_s); }

  double rate_per_s() const { return rate_per_s_; }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point refilled;
  };
  const double rate_per_s_;
  const double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace autoriza::auth
