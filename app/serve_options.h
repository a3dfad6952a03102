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

}  // namespace autoriza::tcp
