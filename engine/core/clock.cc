#include "engine/core/clock.h"

#include <cassert>
#include <chrono>

namespace autoriza {

namespace {

// Days-from-civil and back, proleptic Gregorian (H. Hinnant's algorithms).
int64_t days_from_civil_raw(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly n digits at text[pos]; advances pos.
bool read_digits(std::string_view text, size_t& pos, int n, int& out) {
  if (pos + n > text.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::string two(int v) { return std::string{char('0' + v / 10), char('0' + v % 10)}; }

}  // namespace

LocalDay day_from_civil(CivilDate date) {
  return LocalDay{int32_t(days_from_civil_raw(date.year, unsigned(date.month), unsigned(date.day)))};
}

CivilDate civil_from_day(LocalDay day) {
  int64_t z = int64_t(day.value) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = int64_t(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{int(y + (m <= 2)), int(m), int(d)};
}

std::optional<LocalDay> parse_date(std::string_view text) {
  size_t pos = 0;
  int y, m, d;
  if (text.size() != 10 || !read_digits(text, pos, 4, y) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, m) || !expect(text, pos, '-') || !read_digits(text, pos, 2, d)) {
    return std::nullopt;
  }
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return day_from_civil({y, m, d});
}

std::string format_date(LocalDay day) {
  const CivilDate c = civil_from_day(day);
  return std::to_string(c.year) + "-" + two(c.month) + "-" + two(c.day);
}

std::optional<Millis> parse_instant(std::string_view text) {
  if (text.size() < 20 || text.size() > 40) return std::nullopt;
  const auto day = parse_date(text.substr(0, 10));
  if (!day) return std::nullopt;
  size_t pos = 10;
  int hh, mm, ss;
  if (!expect(text, pos, 'T') || !read_digits(text, pos, 2, hh) || !expect(text, pos, ':') ||
      !read_digits(text, pos, 2, mm) || !expect(text, pos, ':') || !read_digits(text, pos, 2, ss)) {
    return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    int64_t frac = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 3) frac = frac * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0 || digits > 9) return std::nullopt;
    for (int i = digits; i < 3; ++i) frac *= 10;
    millis = frac;
  }
  int offset_min = 0;
  if (pos < text.size() && text[pos] == 'Z') {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!read_digits(text, pos, 2, oh) || !expect(text, pos, ':') || !read_digits(text, pos, 2, om)) {
      return std::nullopt;
    }
    if (oh > 14 || om > 59) return std::nullopt;
    offset_min = sign * (oh * 60 + om);
  } else {
    return std::nullopt;  // an instant needs its offset
  }
  if (pos != text.size()) return std::nullopt;
  const int64_t local_ms = int64_t(day->value) * kMillisPerDay + ((hh * 60 + mm) * 60 + ss) * 1000LL + millis;
  return Millis{local_ms - int64_t(offset_min) * 60'000};
}

std::string format_instant(Millis t) {
  const int64_t local = t.value + int64_t(kLocalOffsetMinutes) * 60'000;
  int64_t day = local / kMillisPerDay;
  int64_t rem = local % kMillisPerDay;
  if (rem < 0) {
    rem += kMillisPerDay;
    --day;
  }
  const CivilDate c = civil_from_day(LocalDay{int32_t(day)});
  const int64_t secs = rem / 1000;
  const int64_t ms = rem % 1000;
  std::string out = std::to_string(c.year) + "-" + two(c.month) + "-" + two(c.day) + "T" +
                    two(int(secs / 3600)) + ":" + two(int(secs / 60 % 60)) + ":" + two(int(secs % 60));
  if (ms != 0) {
    out += '.';
    out += char('0' + ms / 100);
    out += char('0' + ms / 10 % 10);
    out += char('0' + ms % 10);
  }
  const int off = -kLocalOffsetMinutes;
  out += kLocalOffsetMinutes < 0 ? "-" : "+";
  out += two(off / 60) + ":" + two(off % 60);
  return out;
}

LocalDay local_day(Millis t) {
  const int64_t local = t.value + int64_t(kLocalOffsetMinutes) * 60'000;
  int64_t day = local / kMillisPerDay;
  if (local % kMillisPerDay < 0) --day;
  return LocalDay{int32_t(day)};
}

std::string local_month(Millis t) { return format_date(local_day(t)).substr(0, 7); }

int age_years(LocalDay birth, LocalDay today) {
  const CivilDate b = civil_from_day(birth);
  const CivilDate t = civil_from_day(today);
  int age = t.year - b.year;
  if (t.month < b.month || (t.month == b.month && t.day < b.day)) --age;
  return age;
}

Millis wall_clock_now() {
  using namespace std::chrono;
  return Millis{duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count()};
}

}  // namespace autoriza
