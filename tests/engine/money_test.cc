#include "engine/core/money.h"

#include <gtest/gtest.h>

namespace autoriza {
namespace {

TEST(Money, ParsesDecimalStrings) {
  EXPECT_EQ(parse_cents("180.00"), Cents{18000});
  EXPECT_EQ(parse_cents("26.9"), Cents{2690});
  EXPECT_EQ(parse_cents("7"), Cents{700});
  EXPECT_EQ(parse_cents("0.05"), Cents{5});
}

TEST(Money, RefusesWhatIsNotExactMoney) {
  for (const char* bad : {"", "12.345", "-1.00", "1e3", ".50", "1.", "12,50", " 1.00", "abc", "99999999999999"}) {
    EXPECT_FALSE(parse_cents(bad).has_value()) << bad;
  }
}

TEST(Money, FormatsTwoDecimals) {
  EXPECT_EQ(format_cents(Cents{18000}), "180.00");
  EXPECT_EQ(format_cents(Cents{538}), "5.38");
  EXPECT_EQ(format_cents(Cents{5}), "0.05");
  EXPECT_EQ(format_cents(Cents{-538}), "-5.38");
  EXPECT_EQ(format_cents(Cents{0}), "0.00");
}

TEST(Money, PercentRoundsHalfUp) {
  EXPECT_EQ(percent_of(Cents{2690}, 20), Cents{538});     // 5.38 exactly
  EXPECT_EQ(percent_of(Cents{4035}, 20), Cents{807});     // 8.07
  EXPECT_EQ(percent_of(Cents{1667500}, 30), Cents{500250});
  EXPECT_EQ(percent_of(Cents{2281597}, 30), Cents{684479});  // 6844.791 -> 6844.79
  EXPECT_EQ(percent_of(Cents{1845962}, 30), Cents{553789});  // 5537.886 -> 5537.89
  EXPECT_EQ(percent_of(Cents{5}, 50), Cents{3});             // 2.5 -> 3 (half up)
  EXPECT_EQ(percent_of(Cents{3}, 50), Cents{2});             // 1.5 -> 2
  EXPECT_EQ(percent_of(Cents{1}, 49), Cents{0});             // 0.49 -> 0
}

TEST(Money, ItemAmountsApplyCategoryOnceAndCoverage) {
  // 20900 at DEN333 (+15%), NORMAL dental 70%: the dental scenario b1.
  ItemAmounts a = item_amounts(Cents{1983997}, Cents{0}, 1, 15, 70);
  EXPECT_EQ(a.professional, Cents{2281597});
  EXPECT_EQ(a.total, Cents{2281597});
  EXPECT_EQ(a.copay, Cents{684479});
  EXPECT_EQ(a.covered, Cents{2281597 - 684479});
  // Rounded once on fee x qty: 3 x 0.05 x 1.10 = 0.165 -> 0.17 (not 3 x 0.06).
  a = item_amounts(Cents{5}, Cents{0}, 3, 10, 100);
  EXPECT_EQ(a.professional, Cents{17});
  EXPECT_EQ(a.copay, Cents{0});
  // Expenses are not incremented by category.
  a = item_amounts(Cents{0}, Cents{26900}, 1, 10, 80);
  EXPECT_EQ(a.expenses, Cents{26900});
  EXPECT_EQ(a.copay, Cents{5380});
  // Coverage 0: the affiliate pays all.
  a = item_amounts(Cents{980000}, Cents{0}, 1, 0, 0);
  EXPECT_EQ(a.copay, a.total);
  EXPECT_EQ(a.covered, Cents{0});
}

}  // namespace
}  // namespace autoriza
