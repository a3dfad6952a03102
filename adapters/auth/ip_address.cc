#include "adapters/auth/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

namespace autoriza::auth {

std::optional<IpBytes> parse_ip(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  IpBytes out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(&out[12], &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  std::memcpy(out.data(), v6.s6_addr, 16);
  return out;
}

bool is_v4_mapped(const IpBytes& ip) {
  for (size_t i = 0; i < 10; ++i) {
    if (ip[i] != 0) return false;
  }
  return ip[10] == 0xff && ip[11] == 0xff;
}

std::string ip_text(const IpBytes& ip) {
  char out[INET6_ADDRSTRLEN] = {};
  if (is_v4_mapped(ip)) {
    in_addr v4{};
    std::memcpy(&v4, &ip[12], 4);
    return inet_ntop(AF_INET, &v4, out, sizeof out) ? std::string(out) : std::string();
  }
  in6_addr v6{};
  std::memcpy(v6.s6_addr, ip.data(), 16);
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? std::string(out) : std::string();
}

}  // namespace autoriza::auth
