#include "engine/core/cuil.h"

#include <algorithm>

#include "engine/core/ascii.h"
#include "engine/core/status.h"

namespace autoriza {

int cuil_check_digit(std::string_view first_ten) {
  static constexpr int kWeights[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
  AUTORIZA_CHECK(first_ten.size() == 10 && ascii::all_digits(first_ten));
  int sum = 0;
  for (size_t i = 0; i < 10; ++i) sum += (first_ten[i] - '0') * kWeights[i];
  const int digit = 11 - sum % 11;
  if (digit == 11) return 0;
  if (digit == 10) return 9;
  return digit;
}

bool cuil_is_valid(std::string_view text) {
  if (text.size() != kCuilDigits || !ascii::all_digits(text)) return false;
  return cuil_check_digit(text.substr(0, 10)) == text[10] - '0';
}

}  // namespace autoriza
