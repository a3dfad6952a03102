#include "adapters/auth/failure_limiter.h"

#include "adapters/auth/ip_address.h"

#include <algorithm>
#include <cassert>

namespace autoriza::auth {

FailureLimiter::FailureLimiter(int failures_max, std::chrono::seconds window)
    : failures_max_(failures_max), window_(std::max(window, std::chrono::seconds(1))) {}

void FailureLimiter::configure(int failures_max, std::chrono::seconds window) {
  std::lock_guard lock(mutex_);
  failures_max_ = failures_max;
  window_ = std::max(window, std::chrono::seconds(1));
  entries_.clear();
  lru_.clear();
}

std::string FailureLimiter::source_of(std::string_view address) {
  if (address.find(':') == std::string_view::npos) return std::string(address);
  std::optional<IpBytes> ip = parse_ip(address);
  if (!ip) return std::string(address);
  if (is_v4_mapped(*ip)) return ip_text(*ip);
  std::fill(ip->begin() + 8, ip->end(), uint8_t{0});  // the interface half
  return ip_text(*ip) + "/64";
}

bool FailureLimiter::limited(std::string_view client, Clock::time_point now, int64_t* retry_after_s) {
  if (client.empty()) return false;
  const std::string address = source_of(client);
  std::lock_guard lock(mutex_);
  if (failures_max_ <= 0) return false;
  const auto it = entries_.find(address);
  if (it == entries_.end()) return false;
  const Entry& e = it->second;
  const Clock::time_point ends = e.window_start + window_;
  if (e.failures < failures_max_ || now >= ends) return false;
  const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(ends - now).count();
  if (retry_after_s) *retry_after_s = std::max<int64_t>(1, (left_ms + 999) / 1000);
  limited_total_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void FailureLimiter::failed(std::string_view client, Clock::time_point now) {
  failures_total_.fetch_add(1, std::memory_order_relaxed);
  if (client.empty()) return;
  const std::string address = source_of(client);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(address);
  if (it == entries_.end()) {
    if (entries_.size() >= kAddressesMax) {  // forget the one touched least recently
      entries_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.emplace_front(address);
    it = entries_.emplace(lru_.front(), Entry{now, 0, lru_.begin()}).first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
  }
  Entry& e = it->second;
  if (now - e.window_start >= window_) {
    e.window_start = now;
    e.failures = 0;
  }
  ++e.failures;
  assert(entries_.size() == lru_.size() && entries_.size() <= kAddressesMax);
}

std::string FailureLimiter::message(int64_t retry_after_s) {
  return "Demasiados intentos de autenticación fallidos desde esta dirección: probá de nuevo en " +
         std::to_string(retry_after_s) + (retry_after_s == 1 ? " segundo" : " segundos");
}

size_t FailureLimiter::addresses() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace autoriza::auth
