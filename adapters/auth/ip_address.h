#pragma once
// IP addresses as 16 bytes, an IPv4 address mapped into IPv6
// (::ffff:a.b.c.d), so both families compare and mask alike: what the
// failure limiter counts by and the trusted proxies match.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace autoriza::auth {

using IpBytes = std::array<uint8_t, 16>;

// "10.0.0.1" (as ::ffff:10.0.0.1), "2001:db8::1", "::ffff:10.0.0.1";
// nullopt for anything else (no ports, brackets or spaces).
std::optional<IpBytes> parse_ip(std::string_view text);
bool is_v4_mapped(const IpBytes& ip);
// An IPv4 (mapped) address in dotted form, IPv6 as inet_ntop writes it.
std::string ip_text(const IpBytes& ip);

}  // namespace autoriza::auth
