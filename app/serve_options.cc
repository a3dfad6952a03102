// `autoriza serve` options of the TCP adapter (see serve_options.h).
#include "app/serve_options.h"

#include <spdlog/spdlog.h>

#include <ostream>

namespace autoriza::tcp {

void add_tcp_options(CLI::App& app, TcpServeOptions* o) {
  app.add_option("--tcp-port", o->port, "Binary TCP adapter port; 0: off")->capture_default_str();
  app.add_option("--tcp-host", o->host, "Binary TCP adapter listen address")->capture_default_str();
  app.add_option("--tcp-threads", o->threads, "TCP I/O threads")->check(CLI::Range(1, 64))->capture_default_str();
  app.add_option("--tls-cert", o->tls_cert, "PEM certificate chain: the TCP adapter speaks TLS 1.2+")
      ->check(CLI::ExistingFile);
  app.add_option("--tls-key", o->tls_key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
  app.add_option("--tls-client-ca", o->tls_client_ca,
                 "PEM CA of client certificates (asked for, verified, mapped to principals)")
      ->check(CLI::ExistingFile);
  app.add_option("--tcp-rate", o->rate_per_s, "TCP commands per second per principal; 0: unlimited")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--tcp-burst", o->burst, "TCP rate limit bucket size (default: the rate)")
      ->check(CLI::NonNegativeNumber);
}

bool start_tcp(Service& service, const TcpServeOptions& o, bool allow_client_time, std::unique_ptr<TcpServer>* out,
               std::ostream& err) {
  out->reset();
  if (o.port == 0) return true;
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    err << "autoriza serve: --tls-cert and --tls-key go together\n";
    return false;
  }
  if (!o.tls_client_ca.empty() && o.tls_cert.empty()) {
    err << "autoriza serve: --tls-client-ca needs --tls-cert and --tls-key\n";
    return false;
  }
  TcpServerOptions so;
  so.host = o.host;
  so.port = o.port;
  so.threads = o.threads;
  so.allow_client_time = allow_client_time;
  so.tls = TlsServerFiles{o.tls_cert, o.tls_key, o.tls_client_ca};
  so.rate_per_s = o.rate_per_s;
  so.burst = o.burst;
  auto server = std::make_unique<TcpServer>(service, so);
  if (Status s = server->start(); !s) {
    err << "autoriza serve: TCP adapter on " << o.host << ":" << o.port << ": " << s.to_string() << "\n";
    return false;
  }
  *out = std::move(server);
  return true;
}

sigset_t serve_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  return signals;
}

void reload_on_hangup(TcpServer* server) {
  if (!server) {
    spdlog::info("serve: SIGHUP: no TLS listener, nothing to reload");
    return;
  }
  if (Status s = server->reload_tls(); !s) spdlog::warn("serve: SIGHUP: {}", s.to_string());
}

}  // namespace autoriza::tcp
