// auth::TrustedProxies: which peers' X-Forwarded-For is believed, and the
// client it names (the rightmost hop that is not a trusted proxy).
#include "adapters/auth/trusted_proxies.h"

#include <gtest/gtest.h>

namespace autoriza::auth {
namespace {

TrustedProxies parsed(std::string_view list) {
  TrustedProxies p;
  const Status s = TrustedProxies::parse(list, &p);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return p;
}

TEST(TrustedProxies, MatchesAddressesAndNetworksOfBothFamilies) {
  const TrustedProxies p = parsed(" 10.0.0.0/8, 192.168.1.7 ,fd00::/8, ::1");
  EXPECT_TRUE(p.contains("10.200.3.4"));
  EXPECT_FALSE(p.contains("11.0.0.1"));
  EXPECT_TRUE(p.contains("192.168.1.7"));
  EXPECT_FALSE(p.contains("192.168.1.8"));
  EXPECT_TRUE(p.contains("::ffff:10.1.2.3"));  // IPv4-mapped, as a dual-stack socket reports it
  EXPECT_TRUE(p.contains("fd12:3456::1"));
  EXPECT_FALSE(p.contains("fe80::1"));
  EXPECT_TRUE(p.contains("::1"));
  EXPECT_FALSE(p.contains("not an address"));
  EXPECT_TRUE(parsed("").empty());
  EXPECT_TRUE(parsed("0.0.0.0/0").contains("203.0.113.9"));
  EXPECT_FALSE(parsed("0.0.0.0/0").contains("2001:db8::1"));  // an IPv4 network holds no IPv6 client
  EXPECT_TRUE(parsed("10.1.2.3/31").contains("10.1.2.2"));
  EXPECT_FALSE(parsed("10.1.2.3/31").contains("10.1.2.4"));
}

TEST(TrustedProxies, RefusesWhatIsNotAnAddressOrANetworkNamingIt) {
  for (const char* bad : {"10.0.0.0/33", "proxy.example", "10.0.0.1/", "10.0.0.1/8x", "::1/129", "10.0.0.0/8,,x",
                          "10.0.0.1:80", "[::1]"}) {  // a proxy is an address, not an address and a port
    TrustedProxies p;
    const Status s = TrustedProxies::parse(bad, &p);
    EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest) << bad;
    EXPECT_EQ(s.field(), "--trusted-proxies") << bad;
  }
  TrustedProxies p;
  EXPECT_NE(TrustedProxies::parse("10.0.0.1, proxy.example", &p).message().find("'proxy.example'"), std::string::npos);
}

TEST(TrustedProxies, TheClientIsTheRightmostHopThatIsNotATrustedProxy) {
  const TrustedProxies p = parsed("10.0.0.0/8");
  // Not from a trusted proxy: the header is the client's own say, ignored.
  EXPECT_EQ(p.client_of("203.0.113.9", "198.51.100.1"), "203.0.113.9");
  // From the proxy: the address it was reached from.
  EXPECT_EQ(p.client_of("10.0.0.5", "198.51.100.1"), "198.51.100.1");
  // What a client wrote before it (left) is not believed; proxies in the chain are skipped.
  EXPECT_EQ(p.client_of("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.9.9.9"), "198.51.100.1");
  // Ports, brackets, mapped addresses as proxies write them; the address is what is counted.
  EXPECT_EQ(p.client_of("10.0.0.5", "198.51.100.1:4711"), "198.51.100.1");
  EXPECT_EQ(p.client_of("10.0.0.5", "[2001:db8::7]"), "2001:db8::7");
  EXPECT_EQ(p.client_of("::ffff:10.0.0.5", "::ffff:198.51.100.1"), "198.51.100.1");
  // A garbled entry stops the walk at the hop after it; none at all: the peer.
  EXPECT_EQ(p.client_of("10.0.0.5", "198.51.100.1, unknown"), "10.0.0.5");
  EXPECT_EQ(p.client_of("10.0.0.5", "unknown, 10.1.1.1"), "10.1.1.1");
  EXPECT_EQ(p.client_of("10.0.0.5", ""), "10.0.0.5");
  // Every hop trusted: the leftmost.
  EXPECT_EQ(p.client_of("10.0.0.5", "10.3.3.3, 10.2.2.2"), "10.3.3.3");
  EXPECT_EQ(parsed("").client_of("10.0.0.5", "198.51.100.1"), "10.0.0.5");
}

}  // namespace
}  // namespace autoriza::auth
