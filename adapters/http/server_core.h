#pragma once
// What every connection of an HttpServer shares with it: the service, the
// client-time switch, and the count of Service calls (post, request) whose
// done callback has not run yet. stop() waits for that count to reach zero before
// it tears down the io_context, because a done callback (on an engine
// thread) posts its answer to that io_context.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

#include "adapters/service/service.h"

namespace autoriza {

// How long a connection may take at each stage of a request. A slow client
// (slowloris: a header sent a byte at a time) is closed after header_timeout
// however busy it keeps the socket, while a keep-alive connection with no
// request started may wait idle_timeout.
struct HttpTimeouts {
  // For the first byte of a new connection: one that opens and says nothing
  // holds a slot 10 s, not idle (issue 17).
  std::chrono::milliseconds first_byte{10'000};
  std::chrono::milliseconds idle{60'000};    // for the first byte of a later request (keep-alive)
  std::chrono::milliseconds header{10'000};  // from that byte to the end of the header
  std::chrono::milliseconds body{30'000};    // from the end of the header to the end of the body
  std::chrono::milliseconds write{60'000};   // writing one answer
  // Instead of body and write for a body or an answer over kBodyMaxBytes
  // (an upload, a document): 8 MiB in 180 s is 370 kbit/s, a slow uplink.
  std::chrono::milliseconds large_body{180'000};
};

// Requests whose body may be over kBodyMaxBytes (uploads) read at once; the
// next gets 503 with Retry-After. Bounds their memory: 16 x 8 MiB.
inline constexpr int kLargeBodiesMax = 16;

class ServerCore {
 public:
  explicit ServerCore(Service& service) : service_(service) {}
  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;

  Service& service() { return service_; }

  // Set before the server starts; read by every connection.
  const HttpTimeouts& timeouts() const { return timeouts_; }
  void set_timeouts(const HttpTimeouts& timeouts) { timeouts_ = timeouts; }

  // For GET /metrics (HttpServer registers them as a metrics source).
  struct Counters {
    std::atomic<int64_t> open{0};              // connection objects alive
    std::atomic<uint64_t> accepted{0};         // connections taken
    std::atomic<uint64_t> refused{0};          // kConnectionsMax, none idle: closed at once
    std::atomic<uint64_t> header_timeouts{0};  // requests whose header or body came too slowly: closed
    std::atomic<uint64_t> large_bodies_refused{0};  // 503: every large-body slot was taken
    std::atomic<uint64_t> idle_evictions{0};  // idle connections closed to make room for a new one
  };
  Counters& counters() { return counters_; }

  // Whether a request's X-Autoriza-Time header replaces the wall clock.
  bool allow_client_time() const { return allow_client_time_.load(std::memory_order_relaxed); }
  void set_allow_client_time(bool allow) { allow_client_time_.store(allow, std::memory_order_relaxed); }

  // Takes one of the kLargeBodiesMax slots of large bodies; false when
  // none is free. Each slot taken is given back once by end_large_body().
  bool begin_large_body() {
    int taken = large_bodies_.load(std::memory_order_relaxed);
    do {
      if (taken >= kLargeBodiesMax) return false;
    } while (!large_bodies_.compare_exchange_weak(taken, taken + 1, std::memory_order_relaxed));
    return true;
  }
  void end_large_body() { AUTORIZA_CHECK(large_bodies_.fetch_sub(1, std::memory_order_relaxed) > 0); }
  int large_bodies() const { return large_bodies_.load(std::memory_order_relaxed); }

  // Counts one service call in flight. Returns false once stopping (the caller
  // answers 503 and does not call the service).
  bool begin_call() {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    ++calls_in_flight_;
    return true;
  }
  // The last thing a done callback does: after it the server may be gone.
  // Notifies under the lock so the waiter cannot destroy the condition
  // variable between our unlock and notify.
  void end_call() {
    std::lock_guard lock(mutex_);
    AUTORIZA_CHECK(calls_in_flight_ > 0);
    --calls_in_flight_;
    if (calls_in_flight_ == 0) idle_.notify_all();
  }
  // Refuses new calls, then waits until every call in flight has ended.
  // Relies on the Service contract: done is called exactly once.
  void stop_and_drain() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    idle_.wait(lock, [this] { return calls_in_flight_ == 0; });
  }

 private:
  Service& service_;
  HttpTimeouts timeouts_;
  Counters counters_;
  std::atomic<bool> allow_client_time_{false};
  std::atomic<int> large_bodies_{0};  // slots taken, at most kLargeBodiesMax
  std::mutex mutex_;
  std::condition_variable idle_;
  size_t calls_in_flight_ = 0;  // bounded by connections (one request each)
  bool stopping_ = false;
};

}  // namespace autoriza
