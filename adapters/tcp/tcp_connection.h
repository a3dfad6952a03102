#pragma once
// One accepted connection of the TCP server (see tcp_server.h for the protocol).
// Every handler runs on the connection's strand. A read fills in_ (two
// frames' worth at most); complete frames are decoded and handled one by
// one; reading resumes only while the connection has room (answers owed
// below in_flight_max, queued bytes below kWriteQueueBytesMax).
#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "adapters/auth/auth.h"
#include "adapters/tcp/frame.h"
#include "adapters/tcp/handshake_log.h"
#include "adapters/tcp/payload.h"
#include "adapters/auth/rate_limiter.h"
#include "adapters/tcp/tcp_server.h"
#include "adapters/tcp/transport.h"
#include "adapters/service/connection_table.h"

namespace autoriza::tcp {

// What connections share with the server: service, options, rate limiter,
// and the count of service calls whose callback has not run (stop() waits
// for it, since a callback posts to the server's io_context).
class TcpCore {
 public:
  TcpCore(Service& service, const TcpServerOptions& options)
      : service_(service),
        options_(options),
        limiter_(options.rate_per_s, options.burst > 0 ? options.burst : options.rate_per_s) {}
  Service& service() { return service_; }
  const TcpServerOptions& options() const { return options_; }
  auth::RateLimiter& limiter() { return limiter_; }

  // For GET /metrics (TcpServer registers them as a metrics source).
  struct Counters {
    std::atomic<int64_t> open{0};               // connection objects alive
    std::atomic<uint64_t> accepted{0};          // connections taken
    std::atomic<uint64_t> refused{0};           // connections_max, none idle: closed at once
    std::atomic<uint64_t> idle_evictions{0};    // idle connections closed to make room for a new one
    std::atomic<uint64_t> handshake_failed{0};  // TLS handshakes that failed or timed out
    std::atomic<uint64_t> goaway_400{0}, goaway_401{0}, goaway_408{0}, goaway_429{0};
  };
  Counters& counters() { return counters_; }
  // Logs a failed TLS handshake: the first of an address, then a summary a
  // minute at most (handshake_log.h).
  void log_handshake_failure(std::string_view address, std::string_view why) { handshake_log_.failed(address, why); }

  bool begin_call() {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    ++calls_;
    return true;
  }
  void end_call() {
    std::lock_guard lock(mutex_);
    AUTORIZA_CHECK(calls_ > 0);
    if (--calls_ == 0) idle_.notify_all();
  }
  void stop_and_drain() {
    std::unique_lock lock(mutex_);
    stopping_ = true;
    idle_.wait(lock, [this] { return calls_ == 0; });
  }

 private:
  Service& service_;
  const TcpServerOptions& options_;
  auth::RateLimiter limiter_;
  Counters counters_;
  HandshakeFailureLog handshake_log_;
  std::mutex mutex_;
  std::condition_variable idle_;
  size_t calls_ = 0;  // bounded by connections x in_flight_max
  bool stopping_ = false;
};

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
 public:
  // transport's socket executor must be a strand; core outlives handlers.
  TcpConnection(Transport transport, TcpCore& core);
  ~TcpConnection();
  // Starts the TLS handshake (if any) and reading. Once, after construction.
  void start();
  // Thread-safe: closes from the strand, then calls on_closed there.
  void close(std::function<void()> on_closed);
  // Idle while it waits for a frame with nothing in progress (no partial
  // frame, no command unanswered, nothing being written), or during its TLS
  // handshake: ConnectionTable evicts the oldest idle one when full.
  IdleMark& idle_mark() { return idle_mark_; }

 private:
  enum class Phase : uint8_t { kHandshake, kOpen, kClosing, kClosed };

  // An address over its failed authentications (Service::check_auth_failures)
  // is refused at once: GOAWAY 429 on plain TCP, a close on TLS (before the
  // handshake). True when it was.
  bool refuse_limited_address();
  void on_handshake(const boost::system::error_code& ec);
  void read();
  void on_read(const boost::system::error_code& ec, size_t bytes);
  void arm_timer();
  void on_timer(const boost::system::error_code& ec);
  // Decodes and handles the complete frames in in_, then reads if there is room.
  void process();
  bool has_room() const;
  void handle(Frame& frame);
  void on_auth(const Frame& frame);
  void on_command(const Frame& frame);
  void on_outcome(uint64_t request_id, Outcome outcome);
  void reply_error(uint64_t request_id, const WireError& error);
  // Sends GOAWAY and closes once it is written (reading only drains).
  void goaway(uint64_t request_id, const WireError& error);
  void send(std::string frame);
  void write_next();
  void on_write(const boost::system::error_code& ec, size_t bytes);
  void close_now();
  // Tells idle_mark_ whether the connection is idle now; closes it when it
  // was evicted.
  void update_idle();

  Transport transport_;
  TcpCore& core_;
  Phase phase_ = Phase::kHandshake;
  std::vector<char> in_;  // kFrameBytesMax * 2
  size_t in_size_ = 0;
  bool reading_ = false;
  bool spoke_ = false;  // a whole frame came: later waits are idle_timeout, not frame_timeout
  size_t linger_bytes_ = 0;
  std::deque<std::string> out_;  // frames to write, front being written
  size_t out_bytes_ = 0;         // at most kWriteQueueBytesMax + in_flight_max answers
  bool writing_ = false;
  std::unordered_set<uint64_t> in_flight_;  // at most in_flight_max request ids
  std::optional<auth::Principal> principal_;
  IdleMark idle_mark_;
  std::string address_;  // the client's IP address ("" when the socket could not say)
  boost::asio::steady_timer timer_;        // handshake, idle, frame, linger deadlines
  boost::asio::steady_timer write_timer_;  // the write in progress
};

}  // namespace autoriza::tcp
