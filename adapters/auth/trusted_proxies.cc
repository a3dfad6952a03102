#include "adapters/auth/trusted_proxies.h"

#include <algorithm>
#include <optional>

#include "adapters/auth/ip_address.h"

namespace autoriza::auth {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An address as an X-Forwarded-For entry may write it: "[2001:db8::1]"
// and "10.0.0.1:4711" too.
std::optional<IpBytes> forwarded_ip(std::string_view text) {
  text = trim(text);
  if (text.size() > 2 && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (const size_t colon = text.find(':');
             colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos) {
    text = text.substr(0, colon);  // IPv4 with a port
  }
  return parse_ip(text);
}

}  // namespace

Status TrustedProxies::parse(std::string_view list, TrustedProxies* out) {
  TrustedProxies parsed;
  while (!trim(list).empty()) {
    const size_t comma = list.find(',');
    const std::string_view entry = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    const size_t slash = entry.find('/');
    const auto bytes = parse_ip(entry.substr(0, slash));
    Network n;
    bool ok = bytes.has_value();
    if (ok) {
      n.bytes = *bytes;
      const bool v4 = is_v4_mapped(n.bytes) && entry.find(':') == std::string_view::npos;
      n.prefix = 128;
      if (slash != std::string_view::npos) {
        const std::string bits(entry.substr(slash + 1));
        char* end = nullptr;
        const long p = bits.empty() ? -1 : std::strtol(bits.c_str(), &end, 10);
        ok = end && *end == '\0' && p >= 0 && p <= (v4 ? 32 : 128);
        n.prefix = int(p) + (v4 ? 96 : 0);
      }
    }
    if (!ok) {
      return Status::invalid("'" + std::string(entry) +
                                 "' is not an address or a network (10.0.0.0/8, 192.168.1.7, fd00::/8)",
                             "--trusted-proxies");
    }
    parsed.networks_.push_back(n);
  }
  *out = std::move(parsed);
  return Status::ok();
}

bool TrustedProxies::contains(std::string_view address) const {
  const auto bytes = parse_ip(address);
  if (!bytes) return false;
  for (const Network& n : networks_) {
    bool match = true;
    for (int bit = 0; bit < n.prefix && match; bit += 8) {
      const int take = std::min(8, n.prefix - bit);
      const auto mask = uint8_t(0xff << (8 - take));
      match = ((*bytes)[size_t(bit / 8)] & mask) == (n.bytes[size_t(bit / 8)] & mask);
    }
    if (match) return true;
  }
  return false;
}

std::string TrustedProxies::client_of(std::string_view peer, std::string_view forwarded_for) const {
  if (trim(forwarded_for).empty() || !contains(peer)) return std::string(peer);
  std::string hop(peer);
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    const auto bytes = forwarded_ip(entry);
    if (!bytes) break;  // not an address: believe no further
    hop = ip_text(*bytes);
    if (!contains(hop)) break;
  }
  return hop;
}

}  // namespace autoriza::auth
