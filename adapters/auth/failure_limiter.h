#pragma once
// Failed authentications per source address (issue 17): after failures_max
// failures from one address within window, that address is refused (429
// with Retry-After) without its key, certificate or password being checked,
// until the window that began with its first failure has passed. It applies
// to API keys (HTTP and the TCP adapter's AUTH), TLS handshakes of the TCP
// adapter, and the sign-ins of the providers' portal and the affiliates'
// app, in addition to their per-account lockouts. A success elsewhere does
// not forgive an address, and one address's failures never limit another.
//
// Uses the adapter's steady clock, never the validator's command time.
// Thread-safe. At most kAddressesMax addresses: beyond it the one touched
// least recently is forgotten (LRU), so a spray of addresses cannot grow
// memory. An empty address (an in-process caller) is never limited.
//
// The "address" counted is the client's source (source_of): an IPv4
// address as it is, an IPv6 address by its /64 (one subscriber's network:
// a client holding a /64 would otherwise have 2^64 addresses to spread its
// guesses over), and an IPv4-mapped IPv6 address as its IPv4.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace autoriza::auth {

class FailureLimiter {
 public:
  static constexpr size_t kAddressesMax = 65'536;
  static constexpr int kFailuresMaxDefault = 20;
  static constexpr std::chrono::seconds kWindowDefault{60};
  using Clock = std::chrono::steady_clock;

  // failures_max <= 0: never limits (failures are still counted).
  FailureLimiter(int failures_max = kFailuresMaxDefault, std::chrono::seconds window = kWindowDefault);
  FailureLimiter(const FailureLimiter&) = delete;
  FailureLimiter& operator=(const FailureLimiter&) = delete;

  // Before the service serves; forgets every address.
  void configure(int failures_max, std::chrono::seconds window);

  // Whether address is over its failures now. Then *retry_after_s is the
  // whole seconds (>= 1) until its window has passed, and the refusal is
  // counted in limited_total().
  bool limited(std::string_view address, Clock::time_point now, int64_t* retry_after_s);
  bool limited(std::string_view address, int64_t* retry_after_s) {
    return limited(address, Clock::now(), retry_after_s);
  }
  // Counts one failed authentication of address.
  void failed(std::string_view address, Clock::time_point now);
  void failed(std::string_view address) { failed(address, Clock::now()); }

  // What failures are counted by: "10.0.0.1", "2001:db8:1:2::/64" (any
  // address of that /64), "10.0.0.1" for "::ffff:10.0.0.1"; anything else
  // as given.
  static std::string source_of(std::string_view address);

  // The refusal the adapters answer (429, Spanish).
  static std::string message(int64_t retry_after_s);

  uint64_t failures_total() const { return failures_total_.load(std::memory_order_relaxed); }
  uint64_t limited_total() const { return limited_total_.load(std::memory_order_relaxed); }
  size_t addresses() const;

 private:
  struct Entry {
    Clock::time_point window_start;
    int failures = 0;
    std::list<std::string>::iterator lru;  // its place in lru_
  };
  int failures_max_;
  std::chrono::seconds window_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // at most kAddressesMax
  std::list<std::string> lru_;                      // most recently touched first
  std::atomic<uint64_t> failures_total_{0};
  std::atomic<uint64_t> limited_total_{0};
};

}  // namespace autoriza::auth
