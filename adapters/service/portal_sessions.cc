#include "adapters/service/portal_sessions.h"

#include <algorithm>

#include "engine/core/secrets.h"

namespace autoriza {

namespace {

// The key a name is counted under: bounded, whatever was typed.
std::string tracked(const std::string& user) { return user.substr(0, PortalSessions::kTrackedNameBytesMax); }

}  // namespace

std::string PortalSessions::open(const std::string& user, const std::string& provider, Millis now) {
  std::string token = base64url_encode(random_bytes(32));
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= kSessionsMax) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
      return a.second.last_seen_ms < b.second.last_seen_ms;
    });
    sessions_.erase(oldest);
  }
  sessions_[token] = PortalSession{user, provider, base64url_encode(random_bytes(24)), now.value};
  return token;
}

std::optional<PortalSession> PortalSessions::touch(const std::string& token, Millis now) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(token);
  if (it == sessions_.end()) return std::nullopt;
  if (now.value - it->second.last_seen_ms > kIdleMs) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen_ms = std::max(it->second.last_seen_ms, now.value);
  return it->second;
}

void PortalSessions::set_provider(const std::string& token, const std::string& provider) {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(token); it != sessions_.end()) it->second.provider = provider;
}

void PortalSessions::close(const std::string& token) {
  std::lock_guard lock(mutex_);
  sessions_.erase(token);
}

void PortalSessions::close_user(const std::string& user, const std::string& keep) {
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](const auto& s) { return s.second.user == user && s.first != keep; });
}

int64_t PortalSessions::locked_until(const std::string& user, Millis now) {
  std::lock_guard lock(mutex_);
  auto it = failures_.find(tracked(user));
  return it == failures_.end() || it->second.locked_until_ms <= now.value ? 0 : it->second.locked_until_ms;
}

void PortalSessions::failed(const std::string& user, Millis now) {
  std::lock_guard lock(mutex_);
  const std::string key = tracked(user);
  if (failures_.size() >= kTrackedUsersMax && !failures_.contains(key)) {
    std::erase_if(failures_, [&](const auto& f) { return f.second.locked_until_ms <= now.value; });
    if (failures_.size() >= kTrackedUsersMax) return;  // under a flood: the rate limiter holds the line
  }
  Failures& f = failures_[key];
  if (++f.count >= kFailuresMax) {
    f.locked_until_ms = now.value + kLockMs;
    f.count = 0;
  }
}

void PortalSessions::succeeded(const std::string& user) {
  std::lock_guard lock(mutex_);
  failures_.erase(tracked(user));
}

int64_t PortalSessions::request_recovery(const std::string& user, Millis now) {
  std::lock_guard lock(mutex_);
  auto over = [&](const auto& r) { return now.value - r.second.window_start_ms >= kRecoveryWindowMs; };
  const std::string key = tracked(user);
  if (recoveries_.size() >= kTrackedUsersMax && !recoveries_.contains(key)) {
    std::erase_if(recoveries_, over);
    if (recoveries_.size() >= kTrackedUsersMax) return now.value + 60'000;  // no name goes uncounted
  }
  const auto it = recoveries_.try_emplace(key, Requests{0, now.value}).first;
  if (over(*it)) it->second = Requests{0, now.value};
  if (it->second.count >= kRecoveryRequestsMax) return it->second.window_start_ms + kRecoveryWindowMs;
  ++it->second.count;
  return 0;
}

}  // namespace autoriza
