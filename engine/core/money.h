#pragma once
// Money is exact: integer cents inside, "1234.56" strings outside.
// Percentages are integers and round half up to the cent (docs/rules.md §3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace autoriza {

struct Cents {
  int64_t value = 0;
  friend constexpr bool operator==(Cents, Cents) = default;
  friend constexpr auto operator<=>(Cents, Cents) = default;
  friend constexpr Cents operator+(Cents a, Cents b) { return Cents{a.value + b.value}; }
  friend constexpr Cents operator-(Cents a, Cents b) { return Cents{a.value - b.value}; }
};

// Upper bound of any amount we accept (a thousand million pesos): keeps every
// product below in int64 range.
inline constexpr int64_t kCentsMax = 100'000'000'000;

// Parses "180", "180.5" or "180.00" (no sign, no exponent, at most two
// decimals, at most kCentsMax). Returns nullopt on anything else.
std::optional<Cents> parse_cents(std::string_view text);

// Formats with exactly two decimals: "180.00", "-5.38".
std::string format_cents(Cents amount);

// amount x pct / 100, rounded half up (amount >= 0, 0 <= pct <= 1000).
Cents percent_of(Cents amount, int64_t pct);

// The amounts of one item (docs/rules.md §6).
struct ItemAmounts {
  Cents professional, expenses, total, copay, covered;
};

// professional = fee x qty x (100 + category_pct) / 100, rounded once;
// expenses = expenses_fee x qty; copay = total x (100 - coverage_pct) / 100.
ItemAmounts item_amounts(Cents professional_fee, Cents expenses_fee, int qty,
                         int category_pct, int coverage_pct);

// The part of an item a consumption bills (docs/rules.md §10): "solo
// honorarios" keeps the professional amount, "solo gastos" the expenses; the
// copay is the item's copay in the part's proportion, rounded half up
// (the whole item's copay when the part is the whole).
enum class BilledPart { kAll, kProfessionalOnly, kExpensesOnly };
ItemAmounts part_of(const ItemAmounts& whole, BilledPart part);

}  // namespace autoriza
