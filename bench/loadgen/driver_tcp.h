#pragma once
// The binary TCP driver of `autoriza bench` (plain or TLS): `connections`
// TcpClients, each a closed loop keeping `window` commands in flight
// (answers matched by request id). Latency: submit -> answer callback.
// Same mix, same histogram and report as the HTTP driver.
#include <iosfwd>
#include <string>

#include "bench/loadgen/driver.h"

namespace autoriza::bench {

struct TcpBenchOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  size_t commands = 1'000'000;
  size_t connections = 8;
  size_t window = 64;      // commands in flight per connection
  std::string api_key;     // a principal allowed every command of the mix (ops)
  bool tls = false;
  std::string ca;          // PEM CA of the server certificate (tls)
};

RunReport run_tcp(Mix& mix, const TcpBenchOptions& options, std::ostream& progress);

}  // namespace autoriza::bench
