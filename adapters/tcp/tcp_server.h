#pragma once
// TcpServer: the binary TCP face of the Service (issue 6), on Boost.Asio,
// plain or TLS. Frames are described in frame.h, their payloads in
// schemas/tcp.fbs.
//
// Session: the first frame is AUTH with an API key, unless the TLS handshake
// presented a client certificate that maps to a principal (then commands may
// come at once). No AUTH, a bad key, or a COMMAND before it: GOAWAY 401 and
// close. Then any number of COMMAND frames, up to in_flight_max unanswered
// at a time per connection (beyond it the server stops reading: TCP
// backpressure); each is answered by a RESULT with the same request id, in
// whatever order the engine finishes them. A RESULT carries the Result or an
// error: 400 bad shape, 403 another provider's command (nothing recorded),
// 429 over the principal's rate (retry_after_s), 503 engine queue full or
// stopping. A frame that does not decode (frame.h) answers GOAWAY 400 and the
// connection closes; nothing of it reaches the engine. PING is answered
// with PONG. An acknowledged command is durable; answers still to come when
// the connection breaks are dropped, and a retry with the same command
// request id gets the recorded answer (idempotency).
//
// Limits: frames kFrameBytesMax; idle_timeout without a frame (GOAWAY 408);
// frame_timeout to finish a started frame or the TLS handshake (slow
// clients); write_timeout per write; answers queued per connection at most
// kWriteQueueBytesMax (reading stops beyond it); connections_max.
//
// Time: wall_clock_now(), or the TcpCommand's now_ms when allow_client_time
// (tests, benchmarks).
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/service/service.h"
#include "engine/core/status.h"
#include "adapters/tcp/tls.h"

namespace autoriza::tcp {

inline constexpr size_t kWriteQueueBytesMax = 1024 * 1024;
// A stop answers the requests in progress for at most this long, then closes them.
inline constexpr std::chrono::milliseconds kTcpDrainMax{10'000};
inline constexpr unsigned kTcpThreadsMax = 64;

struct TcpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: the system picks one (see TcpServer::port())
  unsigned threads = 2;
  bool allow_client_time = false;
  TlsServerFiles tls;  // tls.cert empty: plain TCP
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds frame_timeout{10'000};
  std::chrono::milliseconds write_timeout{30'000};
  size_t in_flight_max = 256;  // unanswered commands per connection
  size_t connections_max = 1024;
  double rate_per_s = 0;  // commands per second per principal; 0: unlimited
  double burst = 0;       // bucket size; 0: rate_per_s
};

class TcpServer {
 public:
  // service must outlive the server.
  TcpServer(Service& service, TcpServerOptions options);
  ~TcpServer();  // stop()
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  // Loads TLS files, binds, listens, starts the threads. Once only.
  Status start();
  // The bound port after start().
  uint16_t port() const;
  // Reads the TLS certificate and key files again (a renewed certificate:
  // `systemctl reload`, SIGHUP): new connections get the new context,
  // connections open go on with theirs. On an error (a file missing or not
  // matching) the listener keeps the context it had, and the error says why.
  // Plain listeners: kInvalidRequest.
  Status reload_tls();
  // Closes the listener and every connection, waits for the service calls
  // in flight to call back, joins the threads. Idempotent; never from a
  // server thread or a Service callback.
  void stop();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoriza::tcp
