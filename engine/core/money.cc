#include "engine/core/money.h"

#include <cassert>

#include "engine/core/status.h"

namespace autoriza {

std::optional<Cents> parse_cents(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  int64_t units = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    units = units * 10 + (text[i] - '0');
  }
  if (i == 0) return std::nullopt;  // ".50"
  int64_t cents = 0;
  if (i < text.size()) {
    const size_t decimals = text.size() - i - 1;
    if (decimals == 0 || decimals > 2) return std::nullopt;
    for (size_t j = i + 1; j < text.size(); ++j) {
      if (text[j] < '0' || text[j] > '9') return std::nullopt;
      cents = cents * 10 + (text[j] - '0');
    }
    if (decimals == 1) cents *= 10;
  }
  const int64_t total = units * 100 + cents;
  if (total > kCentsMax) return std::nullopt;
  return Cents{total};
}

std::string format_cents(Cents amount) {
  const bool negative = amount.value < 0;
  const uint64_t abs = negative ? uint64_t(-(amount.value + 1)) + 1 : uint64_t(amount.value);
  std::string out = std::to_string(abs / 100);
  out += '.';
  out += char('0' + (abs % 100) / 10);
  out += char('0' + abs % 10);
  return negative ? "-" + out : out;
}

Cents percent_of(Cents amount, int64_t pct) {
  AUTORIZA_CHECK(amount.value >= 0 && amount.value <= kCentsMax * 100);
  AUTORIZA_CHECK(pct >= 0 && pct <= 1000);
  return Cents{(amount.value * pct + 50) / 100};
}

ItemAmounts item_amounts(Cents professional_fee, Cents expenses_fee, int qty, int category_pct,
                         int coverage_pct) {
  assert(qty >= 1 && qty <= 1000);
  assert(coverage_pct >= 0 && coverage_pct <= 100);
  ItemAmounts a;
  a.professional = percent_of(Cents{professional_fee.value * qty}, 100 + category_pct);
  a.expenses = Cents{expenses_fee.value * qty};
  a.total = a.professional + a.expenses;
  a.copay = percent_of(a.total, 100 - coverage_pct);
  a.covered = a.total - a.copay;
  AUTORIZA_CHECK(a.covered.value >= 0 && a.copay.value >= 0);
  return a;
}

ItemAmounts part_of(const ItemAmounts& whole, BilledPart part) {
  if (part == BilledPart::kAll || whole.total.value == 0) return whole;
  ItemAmounts a;
  if (part == BilledPart::kProfessionalOnly) a.professional = whole.professional;
  if (part == BilledPart::kExpensesOnly) a.expenses = whole.expenses;
  a.total = a.professional + a.expenses;
  AUTORIZA_CHECK(whole.copay.value >= 0 && a.total.value <= whole.total.value);
  // copay x part / total, half up; in 128 bits (both factors may be near kCentsMax).
  const __int128 scaled = __int128(whole.copay.value) * a.total.value * 2 + whole.total.value;
  a.copay = Cents{int64_t(scaled / (__int128(whole.total.value) * 2))};
  a.covered = a.total - a.copay;
  return a;
}

}  // namespace autoriza
