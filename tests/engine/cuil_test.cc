#include "engine/core/cuil.h"

#include <gtest/gtest.h>

namespace autoriza {
namespace {

TEST(Cuil, AcceptsValidExamples) {
  EXPECT_TRUE(cuil_is_valid("20245152605"));
  EXPECT_TRUE(cuil_is_valid("27261112227"));
  EXPECT_TRUE(cuil_is_valid("20083334445"));
}

TEST(Cuil, AcceptsEveryFixtureCuil) {
  for (const char* cuil : {"20245152605", "27261112227", "20521003333", "27701004448", "20299999980",
                           "27312223339", "20145556660", "27401112222", "20178889991", "20083334445"}) {
    EXPECT_TRUE(cuil_is_valid(cuil)) << cuil;
  }
}

TEST(Cuil, RejectsWrongCheckDigit) {
  EXPECT_FALSE(cuil_is_valid("20245152606"));
  EXPECT_FALSE(cuil_is_valid("27261112220"));
  EXPECT_EQ(cuil_check_digit("2024515260"), 5);
}

TEST(Cuil, ElevenGivesZero) {
  // 2030000007: weighted sum 33, 33 mod 11 = 0, 11 - 0 = 11 -> 0.
  EXPECT_EQ(cuil_check_digit("2030000007"), 0);
  EXPECT_TRUE(cuil_is_valid("20300000070"));
  EXPECT_FALSE(cuil_is_valid("20300000071"));
}

TEST(Cuil, TenGivesNine) {
  // 2030000002: weighted sum 23, 23 mod 11 = 1, 11 - 1 = 10 -> 9.
  EXPECT_EQ(cuil_check_digit("2030000002"), 9);
  EXPECT_TRUE(cuil_is_valid("20300000029"));
  EXPECT_FALSE(cuil_is_valid("20300000020"));
}

TEST(Cuil, RejectsWrongShape) {
  EXPECT_FALSE(cuil_is_valid(""));
  EXPECT_FALSE(cuil_is_valid("2024515260"));     // 10 digits
  EXPECT_FALSE(cuil_is_valid("202451526050"));   // 12 digits
  EXPECT_FALSE(cuil_is_valid("20-24515260-5"));  // dashes
  EXPECT_FALSE(cuil_is_valid(" 20245152605"));
  EXPECT_FALSE(cuil_is_valid("2024515260a"));
}

}  // namespace
}  // namespace autoriza
