#include "engine/core/fdi.h"

#include <gtest/gtest.h>

namespace autoriza {
namespace {

TEST(Fdi, ValidTeeth) {
  for (int q = 1; q <= 4; ++q) {
    for (int p = 1; p <= 8; ++p) EXPECT_TRUE(tooth_is_valid(q * 10 + p)) << q * 10 + p;
    EXPECT_FALSE(tooth_is_valid(q * 10 + 9));
    EXPECT_FALSE(tooth_is_valid(q * 10));
  }
  for (int q = 5; q <= 8; ++q) {
    for (int p = 1; p <= 5; ++p) EXPECT_TRUE(tooth_is_valid(q * 10 + p)) << q * 10 + p;
    EXPECT_FALSE(tooth_is_valid(q * 10 + 6));
  }
  for (int bad : {0, 9, 19, 90, 91, 100, -11, 111}) EXPECT_FALSE(tooth_is_valid(bad)) << bad;
}

TEST(Fdi, AnteriorPosteriorUpperLower) {
  EXPECT_TRUE(tooth_is_anterior(11));
  EXPECT_TRUE(tooth_is_anterior(53));
  EXPECT_FALSE(tooth_is_anterior(14));
  EXPECT_FALSE(tooth_is_anterior(85));
  for (int t : {11, 28, 51, 65}) EXPECT_TRUE(tooth_is_upper(t)) << t;
  for (int t : {31, 48, 71, 85}) EXPECT_FALSE(tooth_is_upper(t)) << t;
}

TEST(Fdi, FacesWellFormed) {
  EXPECT_TRUE(faces_well_formed("O"));
  EXPECT_TRUE(faces_well_formed("OMDVG"));
  EXPECT_FALSE(faces_well_formed(""));
  EXPECT_FALSE(faces_well_formed("om"));   // upper-case only
  EXPECT_FALSE(faces_well_formed("OO"));   // each at most once
  EXPECT_FALSE(faces_well_formed("X"));
  EXPECT_FALSE(faces_well_formed("O M"));
}

TEST(Fdi, FacesFitTooth) {
  EXPECT_TRUE(faces_fit_tooth("OM", 17));
  EXPECT_FALSE(faces_fit_tooth("O", 11));   // occlusal: posterior only
  EXPECT_TRUE(faces_fit_tooth("I", 11));
  EXPECT_FALSE(faces_fit_tooth("I", 16));   // incisal: anterior only
  EXPECT_TRUE(faces_fit_tooth("P", 25));
  EXPECT_FALSE(faces_fit_tooth("P", 36));   // palatal: upper jaw
  EXPECT_TRUE(faces_fit_tooth("L", 75));
  EXPECT_FALSE(faces_fit_tooth("L", 61));   // lingual: lower jaw
  EXPECT_TRUE(faces_fit_tooth("VMDG", 41));
}

}  // namespace
}  // namespace autoriza
