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
  std::chrono::milliseconds reconnect_delay{200};     // doubled per attempt
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
