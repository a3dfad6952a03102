#pragma once
// CUIL/CUIT, the Argentine tax id of a person: 11 digits, the last one a
// check digit (docs/rules.md §3).
#include <cstddef>
#include <string_view>

namespace autoriza {

inline constexpr size_t kCuilDigits = 11;

// The check digit of a CUIL from its first ten digits: 11 - (weighted sum
// mod 11) with weights 5,4,3,2,7,6,5,4,3,2, where 11 gives 0 and 10 gives 9.
// Needs: first_ten is exactly 10 ASCII digits. Returns 0-9.
int cuil_check_digit(std::string_view first_ten);

// Whether text is exactly 11 ASCII digits whose last one is the check digit
// of the first ten. No dashes, no spaces. Never fails otherwise.
bool cuil_is_valid(std::string_view text);

}  // namespace autoriza
