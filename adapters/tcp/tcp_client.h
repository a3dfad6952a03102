#pragma once
// TcpClient: a small client of the binary TCP adapter, the starting point for
// a switch vendor. One connection (plain or TLS, optional client
// certificate), authenticated with an API key; many commands in flight,
// answers matched by request id; a timeout per command; on a broken
// connection it reconnects and sends again every command still unanswered
// with the same frame request id and the same command (the engine answers a
// command whose request_id it has seen with the recorded answer, so a retry
// never records twice).
//
// A connection counts as working once the server answers a frame (AUTH_OK
// to a key; a PONG to the PING sent after the handshake when a certificate
// speaks alone): a server that closes right after the handshake (a client
// certificate it does not accept) is a failed attempt, retried after a
// growing pause, not a success to reconnect from at once.
//
// Threads: the client runs its own I/O thread; callbacks run on it (keep
// them short). Thread-safe.
//
//   TcpClient client({.host = "127.0.0.1", .port = 7000, .api_key = key});
//   if (Status s = client.connect(); !s) ...
//   Answer a = client.execute(command);  // or submit(command, now, callback)
//   if (a.ok()) use(*a.result); else report(a.error.code, a.error.message);
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "adapters/tcp/payload.h"
#include "adapters/tcp/tls.h"

namespace autoriza::tcp {

// Why a connection attempt failed, as ClientOptions::on_failure hears it.
enum class FailureKind : uint8_t {
  kUnreachable,          // resolve or TCP connect failed (refused, timed out)
  kHandshake,            // the TLS handshake failed (a certificate either side did not accept)
  kCertificateRejected,  // the server closed right after the handshake: our certificate is not accepted (TLS 1.3)
  kKeyRejected,          // GOAWAY 401: the API key is unknown or revoked (never retried)
  kLimited,              // GOAWAY 429: too many failed authentications from this address
  kLost,                 // an established connection broke
};

struct ConnectFailure {
  FailureKind kind = FailureKind::kUnreachable;
  std::string detail;  // the transport's or server's words (English, from OpenSSL and Asio)
  int attempt = 1;     // attempts in a row that failed, this one included
  std::chrono::milliseconds retry_in{0};  // 0: given up
};

struct ClientOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string api_key;         // empty: the client certificate authenticates
  bool tls = false;
  TlsClientFiles tls_files = {};  // CA of the server, optional client certificate
  std::chrono::milliseconds connect_timeout{5'000};   // TCP + TLS + AUTH
  std::chrono::milliseconds request_timeout{30'000};  // per command, retries included
  std::chrono::milliseconds ping_interval{20'000};    // keep-alive while idle
  int reconnect_attempts = 5;                          // per broken connection
  int connect_attempts = 1;                            // connect(): 1 fails at the first failure
  // Before attempt n+1: reconnect_delay doubled n times, at most
  // reconnect_delay_max, less up to a quarter at random (jitter, so that
  // clients cut at once do not come back at once); at least a GOAWAY 429's
  // retry_after_s. The count starts again once the server answers a frame.
  std::chrono::milliseconds reconnect_delay{200};
  std::chrono::milliseconds reconnect_delay_max{30'000};
  // Called on the client's I/O thread at each failed attempt (keep it short).
  std::function<void(const ConnectFailure&)> on_failure = nullptr;
  size_t in_flight_max = 4096;                         // beyond it submit answers CLIENT_BUSY
};

class TcpClient {
 public:
  using Callback = std::function<void(Answer)>;

  explicit TcpClient(ClientOptions options);
  // Closes; commands still unanswered get a TRANSPORT error.
  ~TcpClient();
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  // Connects and authenticates; blocks until done or failed (an AUTH refused
  // is kUnauthenticated, a TLS or TCP failure kUnavailable).
  Status connect();
  // The principal the server authenticated ("" before connect()).
  std::string principal() const;

  // Sends command; done gets the answer exactly once: a result, an error
  // frame of the server (400, 403, 429...), or a client-side error (code
  // TRANSPORT when the server cannot be reached again, TIMEOUT,
  // CLIENT_BUSY). now: the command's clock (servers allowing client time).
  void submit(const fb::CommandUnion& command, std::optional<Millis> now, Callback done);
  std::future<Answer> submit(const fb::CommandUnion& command, std::optional<Millis> now = std::nullopt);
  Answer execute(const fb::CommandUnion& command, std::optional<Millis> now = std::nullopt) {
    return submit(command, now).get();
  }

  // Breaks the connection as a network failure would (tests, drills); the
  // client reconnects and retries what is unanswered.
  void break_connection();
  // Connections made so far (the first one included).
  uint64_t connections() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoriza::tcp
