#pragma once
// The TCP adapter's part of `autoriza serve`: its options and starting it.
// Kept here so app/serve.cc only adds a few calls.
//
//   --tcp-port N         0 (default): no TCP adapter
//   --tcp-host HOST      default 127.0.0.1
//   --tcp-threads N      I/O threads (default 2)
//   --tls-cert F --tls-key F [--tls-client-ca F]   TLS (1.2+) instead of plain TCP
//   --tcp-rate R [--tcp-burst B]   commands/s per principal (0: unlimited)
#include <CLI/CLI.hpp>
#include <signal.h>

#include <memory>
#include <string>

#include "adapters/tcp/tcp_server.h"

namespace autoriza::tcp {

struct TcpServeOptions {
  uint16_t port = 0;
  std::string host = "127.0.0.1";
  unsigned threads = 2;
  std::string tls_cert, tls_key, tls_client_ca;
  double rate_per_s = 0;
  double burst = 0;
};

void add_tcp_options(CLI::App& app, TcpServeOptions* options);

// Starts the TCP server when options.port is not 0 (else leaves *out null).
// On failure prints why to err and returns false.
bool start_tcp(Service& service, const TcpServeOptions& options, bool allow_client_time,
               std::unique_ptr<TcpServer>* out, std::ostream& err);

// The signals `serve` waits for: SIGINT and SIGTERM stop it, SIGHUP
// (`systemctl reload`) reloads the TLS certificate. Blocked in every thread
// before the first one starts, so only the waiting thread takes them.
sigset_t serve_signals();

// SIGHUP: the TCP listener (null: none) reads its certificate and key again;
// the outcome is logged (and counted in autoriza_tls_certificate_reloads_total).
void reload_on_hangup(TcpServer* server);

}  // namespace autoriza::tcp
