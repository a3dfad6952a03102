#pragma once
// Time is explicit: every command carries its instant (UTC milliseconds) and
// rules work on local calendar days of Argentina (UTC-03:00, no DST since
// 2009). Nothing here reads the wall clock except wall_clock_now(), which only
// adapters call.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace autoriza {

struct Millis {
  int64_t value = 0;  // UTC milliseconds since 1970-01-01T00:00:00Z
  friend constexpr bool operator==(Millis, Millis) = default;
  friend constexpr auto operator<=>(Millis, Millis) = default;
};

// A local calendar day: days since 1970-01-01.
struct LocalDay {
  int32_t value = 0;
  friend constexpr bool operator==(LocalDay, LocalDay) = default;
  friend constexpr auto operator<=>(LocalDay, LocalDay) = default;
};

inline constexpr int kLocalOffsetMinutes = -180;  // Argentina
inline constexpr int64_t kMillisPerDay = 86'400'000;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};

LocalDay day_from_civil(CivilDate date);
CivilDate civil_from_day(LocalDay day);

// "YYYY-MM-DD", a real calendar date between 1900 and 2999.
std::optional<LocalDay> parse_date(std::string_view text);
std::string format_date(LocalDay day);

// ISO-8601 with an explicit offset: "2026-11-02T10:00:00-03:00",
// "...T13:00:00Z", optional fraction of seconds ("...:00.250-03:00").
std::optional<Millis> parse_instant(std::string_view text);
// Formats in local time: "2026-11-02T10:00:00-03:00" (milliseconds shown when not 0).
std::string format_instant(Millis t);

LocalDay local_day(Millis t);
// "YYYY-MM" of the local day of t (billing months, pre-printed token months).
std::string local_month(Millis t);
// Whole years from birth to the local day (docs/rules.md §2: ages in local time).
int age_years(LocalDay birth, LocalDay today);
// Days between two local days (b - a).
inline int32_t days_between(LocalDay a, LocalDay b) { return b.value - a.value; }

// The only clock read in autoriza; adapters stamp commands with it.
Millis wall_clock_now();

}  // namespace autoriza
