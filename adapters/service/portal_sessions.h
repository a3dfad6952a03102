#pragma once
// Sessions of the providers' portal, in memory: a restart signs everyone
// out (the user signs in again; nothing else is lost). A session is a random
// token in an HttpOnly, SameSite=Strict cookie, with its own CSRF token that
// every write must send back (X-CSRF-Token), and an idle expiry. Repeated
// failed sign-ins lock the user for a while, and a user gets at most
// kRecoveryRequestsMax forgotten-password codes per kRecoveryWindowMs; both
// count by the name typed, whether or not such a user exists. Bounded: at
// most kSessionsMax sessions (the oldest idle one goes) and kTrackedUsersMax
// users with failures, and as many with recovery requests.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "engine/core/clock.h"

namespace autoriza {

struct PortalSession {
  std::string user;
  std::string provider;  // the place of attention acting now (one of the user's providers)
  std::string csrf;
  int64_t last_seen_ms = 0;
};

class PortalSessions {
 public:
  static constexpr int64_t kIdleMs = 15 * 60 * 1000;
  static constexpr size_t kSessionsMax = 10'000;
  static constexpr int kFailuresMax = 5;  // then locked for kLockMs
  static constexpr int64_t kLockMs = 15 * 60 * 1000;
  static constexpr size_t kTrackedUsersMax = 10'000;
  static constexpr size_t kTrackedNameBytesMax = 64;  // a longer name (no user has one) counts as its first 64 bytes

  // A new session; returns its token (the cookie's value).
  std::string open(const std::string& user, const std::string& provider, Millis now);
  // The session of token, its idle clock restarted; nullopt when unknown or
  // idle for longer than kIdleMs (then forgotten).
  std::optional<PortalSession> touch(const std::string& token, Millis now);
  void set_provider(const std::string& token, const std::string& provider);
  void close(const std::string& token);
  // Every session of user but keep (a password change signs the others out).
  void close_user(const std::string& user, const std::string& keep = {});

  // > now: the user is locked until then (ms).
  int64_t locked_until(const std::string& user, Millis now);
  void failed(const std::string& user, Millis now);
  // Forgets user's failures: signed in, or a new password (which unlocks).
  void succeeded(const std::string& user);

  static constexpr int kRecoveryRequestsMax = 3;
  static constexpr int64_t kRecoveryWindowMs = 60 * 60 * 1000;
  // 0: user may get a recovery code now, and the request is counted; else
  // the time (ms, > now) from which it may. With kTrackedUsersMax names
  // counted within their window (a flood), every new name waits a minute.
  int64_t request_recovery(const std::string& user, Millis now);

 private:
  struct Failures {
    int count = 0;
    int64_t locked_until_ms = 0;
  };
  std::mutex mutex_;
  std::map<std::string, PortalSession> sessions_;  // by token
  struct Requests {
    int count = 0;
    int64_t window_start_ms = 0;
  };
  std::map<std::string, Failures> failures_;       // by user
  std::map<std::string, Requests> recoveries_;     // by user
};

}  // namespace autoriza
