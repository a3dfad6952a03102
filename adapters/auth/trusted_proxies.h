#pragma once
// Reverse proxies whose X-Forwarded-For header is believed (serve
// --trusted-proxies). Behind a proxy (ops/README.md: TLS in front of HTTP)
// every request comes from the proxy's address, so the failed
// authentications of one client would limit every client. A request whose
// peer is a trusted proxy is counted by the client its X-Forwarded-For
// names instead: the rightmost address there that is not itself a trusted
// proxy (each proxy appends the address it was reached from, so what is
// left of the last untrusted hop may be made up by the client and is
// ignored). A request from any other peer is counted by its peer address,
// whatever headers it sends.
#include <string>
#include <string_view>
#include <vector>

#include "adapters/auth/ip_address.h"
#include "engine/core/status.h"

namespace autoriza::auth {

class TrustedProxies {
 public:
  // "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8": addresses and networks in
  // CIDR notation, separated by commas; empty: none. kInvalidRequest
  // naming the entry that is neither.
  static Status parse(std::string_view list, TrustedProxies* out);

  bool empty() const { return networks_.empty(); }
  // Whether address (IPv4, IPv6, or IPv4-mapped IPv6) is a trusted proxy.
  bool contains(std::string_view address) const;
  // The client of a request from peer carrying forwarded_for (the values of
  // its X-Forwarded-For headers joined by commas): peer unless it is a
  // trusted proxy; else the rightmost entry that is not one. An entry that
  // is not an address ends the walk at the hop before it.
  std::string client_of(std::string_view peer, std::string_view forwarded_for) const;

 private:
  struct Network {
    IpBytes bytes{};  // IPv4 as IPv4-mapped IPv6
    int prefix = 0;                   // of the 128 bits
  };
  std::vector<Network> networks_;
};

}  // namespace autoriza::auth
