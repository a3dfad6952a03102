#include "engine/core/clock.h"

#include <gtest/gtest.h>

namespace autoriza {
namespace {

TEST(Clock, ParsesInstantsWithOffset) {
  auto a = parse_instant("2026-11-02T10:00:00-03:00");
  auto b = parse_instant("2026-11-02T13:00:00Z");
  auto c = parse_instant("2026-11-02T13:00:00.000+00:00");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(format_instant(*a), "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(parse_instant("2026-11-02T10:00:00.250-03:00")->value - a->value, 250);
}

TEST(Clock, RefusesInstantsWithoutOffsetOrOutOfRange) {
  for (const char* bad : {"2026-11-02T10:00:00", "2026-11-02", "2026-13-02T10:00:00Z", "2026-02-30T10:00:00Z",
                          "2026-11-02T24:00:00Z", "2026-11-02 10:00:00Z", "2026-11-02T10:00:00+3:00", ""}) {
    EXPECT_FALSE(parse_instant(bad).has_value()) << bad;
  }
}

TEST(Clock, LocalDayIsArgentina) {
  // 02:59 UTC on Nov 3 is still Nov 2 in Argentina.
  EXPECT_EQ(format_date(local_day(*parse_instant("2026-11-03T02:59:59Z"))), "2026-11-02");
  EXPECT_EQ(format_date(local_day(*parse_instant("2026-11-03T03:00:00Z"))), "2026-11-03");
  EXPECT_EQ(format_date(local_day(*parse_instant("1969-12-31T20:59:59-03:00"))), "1969-12-31");
}

TEST(Clock, DatesRoundTripAndValidate) {
  EXPECT_EQ(format_date(*parse_date("2024-02-29")), "2024-02-29");
  EXPECT_FALSE(parse_date("2026-02-29").has_value());
  EXPECT_FALSE(parse_date("2026-1-05").has_value());
  EXPECT_FALSE(parse_date("1899-12-31").has_value());
  EXPECT_EQ(days_between(*parse_date("2026-10-02"), *parse_date("2026-11-01")), 30);
}

TEST(Clock, AgeInWholeYearsAtLocalDate) {
  const LocalDay birth = *parse_date("1975-03-14");
  EXPECT_EQ(age_years(birth, *parse_date("2026-03-13")), 50);
  EXPECT_EQ(age_years(birth, *parse_date("2026-03-14")), 51);
  EXPECT_EQ(age_years(*parse_date("2026-10-30"), *parse_date("2026-11-10")), 0);
  // Born on Feb 29: a year older on Mar 1 of a common year.
  EXPECT_EQ(age_years(*parse_date("2008-02-29"), *parse_date("2026-02-28")), 17);
  EXPECT_EQ(age_years(*parse_date("2008-02-29"), *parse_date("2026-03-01")), 18);
}

}  // namespace
}  // namespace autoriza
