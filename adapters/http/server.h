#pragma once
// HttpServer: the HTTP/1.1 face of the Service (Boost.Beast over Asio).
//
// Wire: POST /v1/<command> with a JSON body (at most kBodyMaxBytes) goes to
// Service::post; every other GET, HEAD or POST (query API, affiliate API,
// /healthz) to Service::request; routes.h has the table (404, 405). Answers
// carry the reply's Content-Type (application/json unless the service says
// otherwise) and Content-Length; errors carry the body of error_reply().
// Connections are keep-alive and pipelining-safe (answers in request order);
// a new connection that sends nothing is closed after 10 s, an idle
// keep-alive one after 60 s (or sooner, evicted to make room for a new one
// when the server holds kConnectionsMax), a request whose header is not
// complete 10 s after its first byte (a slow client) at once, its body 30 s
// after the header (HttpTimeouts). Malformed HTTP, a header over 8 KiB or a
// body over its route's limit (kBodyMaxBytes; POST /v1/documents, an upload,
// 8 MiB and 64 KiB) answers 400 and closes the connection.
//
// Time: commands are stamped with wall_clock_now(). A server built with
// allow_client_time (tests, scenario runs over HTTP) takes the instant in the
// request header "X-Autoriza-Time: 2026-11-02T10:00:00-03:00" instead; a bad
// value answers 400. Otherwise the header is ignored.
//
// Depends on adapters/service (Service) and engine (Status, clock); Beast stays
// out of this header.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/http/server_core.h"  // HttpTimeouts
#include "adapters/service/service.h"
#include "engine/core/status.h"

namespace autoriza {

inline constexpr unsigned kServerThreadsMax = 64;
// Beyond it a new connection evicts the connection idle the longest (never
// one with a request in progress); when none is idle it is closed at once.
inline constexpr size_t kConnectionsMax = 1024;
// A stop answers the requests in progress for at most this long, then closes them.
inline constexpr std::chrono::milliseconds kHttpDrainMax{10'000};

class HttpServer {
 public:
  // Serves service on host:port (port 0: the system picks one, see port()).
  // threads run the io_context (1 to kServerThreadsMax). service must
  // outlive the server.
  HttpServer(Service& service, std::string host, uint16_t port, unsigned threads = 1,
             bool allow_client_time = false);
  // Calls stop().
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Resolves host, binds, listens and starts the threads. Once only; an
  // error (address in use...) leaves the server stopped.
  Status start();
  // The bound port once start() succeeded; before, the port asked for.
  uint16_t port() const;
  // Closes the listener and every connection, waits for the service calls
  // in flight to call back (answers still to come are dropped), and joins
  // the threads. Idempotent. Never call it
  // from a server thread or a Service callback (it joins those threads).
  void stop();

  // Whether X-Autoriza-Time overrides the wall clock; takes effect for the
  // requests read after the call.
  void set_allow_client_time(bool allow);
  // Idle, header (slow clients), body and write deadlines; before start().
  void set_timeouts(const HttpTimeouts& timeouts);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoriza
