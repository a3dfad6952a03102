#pragma once
// ASCII text checks shared by the engine's parsers (CSV reference rows,
// CUILs, tokens, master keys) and the card view. Locale-free on purpose:
// inputs are wire data, never text for a person.
#include <string_view>

namespace autoriza::ascii {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Whether s is one or more ASCII digits (empty is not).
inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// s without leading and trailing ASCII white space (" \t\r\n\v\f").
inline std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const size_t first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

}  // namespace autoriza::ascii
