#pragma once
// How people-facing documents write values in Spanish (es-AR): money
// "$ 1.234,56", dates "dd/mm/aaaa", times "hh:mm", months "noviembre de
// 2026", statuses "Autorizado". Inputs are what the codec and the
// projections produce: money as "1234.56" strings, instants as local
// ISO-8601 with their offset ("2026-11-02T10:00:00-03:00"), enum names
// ("NEEDS_AUDIT"). The wall time an instant carries is shown as it is: its
// offset is Argentina's (docs/rules.md §2), so no time zone database is
// needed. Machine-readable exports (CSV, JSON) keep the ISO forms.
//
// Every function is pure and never fails: an input it does not recognise is
// returned unchanged (so a wrong value shows, rather than vanishing).
#include <cstddef>
#include <string>
#include <string_view>

#include "engine/core/money.h"

namespace autoriza::print {

// "1234.56" -> "$ 1.234,56"; "-5.38" -> "-$ 5,38"; "180" -> "$ 180,00".
// Accepts an optional '-', digits, and '.' with one or two decimals.
std::string money_es(std::string_view decimal);
std::string money_es(Cents amount);

// "2026-11-02" or "2026-11-02T10:00:00-03:00" -> "02/11/2026".
std::string date_es(std::string_view iso);
// "2026-11-02T10:05:00-03:00" -> "02/11/2026 10:05"; a date alone -> "02/11/2026".
std::string date_time_es(std::string_view iso);
// "2026-11" -> "noviembre de 2026".
std::string month_es(std::string_view year_month);

// Spanish name of a status of schemas/common.fbs (enum Status), e.g.
// "NEEDS_AUDIT" -> "Requiere auditoría"; "" and "NONE" -> "".
std::string_view status_es(std::string_view status);
// An auditor's verdict: "REQUEST_DOCS" -> "Solicitar documentación".
std::string_view verdict_es(std::string_view verdict);
// Who authorized a register row: "AUTOMATIC" -> "Automática",
// "auditor:AUD1" -> "Auditor AUD1"; anything else unchanged.
std::string authorized_by_es(std::string_view who);

// Upper case of ASCII and Latin-1 letters ("Pérez" -> "PÉREZ"); other
// characters unchanged.
std::string upper_es(std::string_view utf8);

// Characters (code points) of UTF-8 text (continuation bytes count nothing).
size_t text_width(std::string_view utf8);
// text padded with spaces (or cut, the last kept character replaced by
// "…") to exactly width characters. right: padded on the left (numbers).
std::string fit_width(std::string_view utf8, size_t width, bool right = false);

}  // namespace autoriza::print
