// auth::FailureLimiter: failed authentications per address, a window from
// the first failure, addresses independent, bounded (LRU).
#include "adapters/auth/failure_limiter.h"

#include <gtest/gtest.h>

#include <string>

namespace autoriza::auth {
namespace {

using std::chrono::seconds;

TEST(FailureLimiter, LimitsAnAddressPastItsFailuresUntilTheWindowPasses) {
  FailureLimiter limiter(3, seconds(60));
  const auto t0 = FailureLimiter::Clock::time_point{} + seconds(1000);
  int64_t retry = 0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(limiter.limited("10.0.0.1", t0, &retry));
    limiter.failed("10.0.0.1", t0 + seconds(i));
  }
  EXPECT_TRUE(limiter.limited("10.0.0.1", t0 + seconds(10), &retry));
  EXPECT_EQ(retry, 50);  // the window began with the first failure
  EXPECT_FALSE(limiter.limited("10.0.0.2", t0 + seconds(10), &retry));  // another address
  EXPECT_FALSE(limiter.limited("10.0.0.1", t0 + seconds(60), &retry));  // the window passed
  limiter.failed("10.0.0.1", t0 + seconds(61));                         // a new window, one failure
  EXPECT_FALSE(limiter.limited("10.0.0.1", t0 + seconds(62), &retry));
  EXPECT_EQ(limiter.limited_total(), 1u);
  EXPECT_EQ(limiter.failures_total(), 4u);
  EXPECT_FALSE(limiter.limited("", t0, &retry));  // in-process callers
  EXPECT_NE(FailureLimiter::message(50).find("50 segundos"), std::string::npos);
}

// IPv6 clients are counted by their /64: every address of one subscriber's
// network shares the count; the next /64 does not.
TEST(FailureLimiter, AnIpv6NetworkCountsAsOneSource) {
  EXPECT_EQ(FailureLimiter::source_of("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(FailureLimiter::source_of("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(FailureLimiter::source_of("::ffff:10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(FailureLimiter::source_of("::1"), "::/64");
  EXPECT_EQ(FailureLimiter::source_of("not:an:address"), "not:an:address");
  FailureLimiter limiter(3, seconds(60));
  const auto t0 = FailureLimiter::Clock::time_point{} + seconds(1000);
  int64_t retry = 0;
  for (const char* a : {"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3"}) limiter.failed(a, t0);
  EXPECT_TRUE(limiter.limited("2001:db8:1:2::99", t0, &retry));
  EXPECT_FALSE(limiter.limited("2001:db8:1:3::1", t0, &retry));  // the next /64
  limiter.failed("::ffff:10.0.0.9", t0);
  limiter.failed("10.0.0.9", t0);
  limiter.failed("::ffff:10.0.0.9", t0);
  EXPECT_TRUE(limiter.limited("10.0.0.9", t0, &retry));  // one IPv4 client, however written
  EXPECT_EQ(limiter.addresses(), 2u);
}

TEST(FailureLimiter, OffWithZeroAndBoundedInAddresses) {
  const auto t0 = FailureLimiter::Clock::time_point{} + seconds(1000);
  int64_t retry = 0;
  FailureLimiter off(0, seconds(60));
  for (int i = 0; i < 10; ++i) off.failed("10.0.0.1", t0);
  EXPECT_FALSE(off.limited("10.0.0.1", t0, &retry));

  FailureLimiter limiter(1, seconds(60));
  limiter.failed("first", t0);
  for (size_t i = 0; i < FailureLimiter::kAddressesMax; ++i) limiter.failed("a" + std::to_string(i), t0);
  EXPECT_EQ(limiter.addresses(), FailureLimiter::kAddressesMax);
  EXPECT_FALSE(limiter.limited("first", t0, &retry));  // the least recently touched was forgotten
  EXPECT_TRUE(limiter.limited("a" + std::to_string(FailureLimiter::kAddressesMax - 1), t0, &retry));
}

}  // namespace
}  // namespace autoriza::auth
