#include "adapters/print/format_es.h"

#include <cassert>
#include <cstdint>

namespace autoriza::print {
namespace {

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Whether iso starts with YYYY-MM-DD.
bool has_date(std::string_view iso) {
  return iso.size() >= 10 && digits(iso.substr(0, 4)) && iso[4] == '-' && digits(iso.substr(5, 2)) && iso[7] == '-' &&
         digits(iso.substr(8, 2));
}

// Whether iso continues its date with THH:MM.
bool has_time(std::string_view iso) {
  return iso.size() >= 16 && (iso[10] == 'T' || iso[10] == ' ') && digits(iso.substr(11, 2)) && iso[13] == ':' &&
         digits(iso.substr(14, 2));
}

// Whether the byte starts a character (is not a UTF-8 continuation byte).
bool starts_char(char c) {
  return (static_cast<uint8_t>(c) & 0xC0) != 0x80;
}

struct Name {
  std::string_view code, spanish;
};

// Every value of enum Status (schemas/common.fbs); tests/print checks the list is complete.
constexpr Name kStatuses[] = {
    {"NONE", ""},
    {"ELIGIBLE", "Elegible"},
    {"NOT_ELIGIBLE", "No elegible"},
    {"AUTHORIZED", "Autorizado"},
    {"PARTIALLY_AUTHORIZED", "Autorizado parcialmente"},
    {"REJECTED", "Rechazado"},
    {"NEEDS_AUDIT", "Requiere auditoría"},
    {"AUDIT_PENDING", "Auditoría pendiente"},
    {"ACCEPTED", "Aceptado"},
    {"CONSUMED", "Consumido"},
    {"ANNULLED", "Anulado"},
    {"REFUSED", "No aplicado"},
    {"PENDING", "Pendiente"},
    {"DOCS_REQUESTED", "Documentación solicitada"},
    {"EMITTED", "Emitido"},
    {"ISSUED", "Otorgado"},
    {"VERIFICATION_SENT", "Verificación enviada"},
    {"REGISTERED", "Registrado"},
    {"RECOVERY_SENT", "Recuperación enviada"},
    {"PASSWORD_CHANGED", "Contraseña cambiada"},
    {"SHARED", "Compartido"},
    {"REVOKED", "Revocado"},
};

constexpr Name kVerdicts[] = {
    {"AUTHORIZE", "Autorizar"},
    {"REJECT", "Rechazar"},
    {"PARTIAL", "Autorizar en parte"},
    {"REQUEST_DOCS", "Solicitar documentación"},
};

template <size_t N>
std::string_view lookup(const Name (&names)[N], std::string_view code) {
  for (const Name& n : names) {
    if (n.code == code) return n.spanish;
  }
  return code;
}

}  // namespace

std::string money_es(std::string_view decimal) {
  std::string_view s = decimal;
  const bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  const size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view cents = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  if (!digits(whole) || (dot != std::string_view::npos && (cents.empty() || cents.size() > 2 || !digits(cents)))) {
    return std::string(decimal);
  }
  std::string out = negative ? "-$ " : "$ ";
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += '.';
    out += whole[i];
  }
  out += ',';
  out += cents.empty() ? std::string("00") : std::string(cents) + (cents.size() == 1 ? "0" : "");
  return out;
}

std::string money_es(Cents amount) {
  return money_es(format_cents(amount));
}

std::string date_es(std::string_view iso) {
  if (!has_date(iso)) return std::string(iso);
  std::string out;
  out.reserve(10);
  out.append(iso.substr(8, 2)).append("/").append(iso.substr(5, 2)).append("/").append(iso.substr(0, 4));
  return out;
}

std::string date_time_es(std::string_view iso) {
  if (!has_date(iso)) return std::string(iso);
  std::string out = date_es(iso);
  if (has_time(iso)) out.append(" ").append(iso.substr(11, 5));
  return out;
}

std::string month_es(std::string_view year_month) {
  static constexpr std::string_view kMonths[] = {"enero", "febrero", "marzo",      "abril",   "mayo",      "junio",
                                                 "julio", "agosto",  "septiembre", "octubre", "noviembre", "diciembre"};
  if (year_month.size() != 7 || !digits(year_month.substr(0, 4)) || year_month[4] != '-' ||
      !digits(year_month.substr(5, 2))) {
    return std::string(year_month);
  }
  const int month = (year_month[5] - '0') * 10 + (year_month[6] - '0');
  if (month < 1 || month > 12) return std::string(year_month);
  return std::string(kMonths[month - 1]) + " de " + std::string(year_month.substr(0, 4));
}

std::string_view status_es(std::string_view status) {
  return lookup(kStatuses, status);
}

std::string_view verdict_es(std::string_view verdict) {
  return lookup(kVerdicts, verdict);
}

std::string authorized_by_es(std::string_view who) {
  if (who == "AUTOMATIC") return "Automática";
  if (who.starts_with("auditor:")) return "Auditor " + std::string(who.substr(8));
  return std::string(who);
}

std::string upper_es(std::string_view utf8) {
  std::string out(utf8);
  for (size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<uint8_t>(out[i]);
    if (c >= 'a' && c <= 'z') {
      out[i] = static_cast<char>(c - 0x20);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      // U+00E0..U+00FE but U+00F7 (÷): the capital is 0x20 below.
      const auto next = static_cast<uint8_t>(out[i + 1]);
      if (next >= 0xA0 && next <= 0xBE && next != 0xB7) out[i + 1] = static_cast<char>(next - 0x20);
      ++i;
    }
  }
  return out;
}

size_t text_width(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += starts_char(c);
  return n;
}

std::string fit_width(std::string_view utf8, size_t width, bool right) {
  const size_t have = text_width(utf8);
  if (have <= width) {
    const std::string pad(width - have, ' ');
    return right ? pad + std::string(utf8) : std::string(utf8) + pad;
  }
  if (width == 0) return {};
  // Keep width - 1 characters, then the ellipsis.
  size_t kept = 0, end = 0;
  while (end < utf8.size()) {
    if (starts_char(utf8[end]) && kept++ == width - 1) break;
    ++end;
  }
  std::string out(utf8.substr(0, end));
  out += "…";
  assert(text_width(out) == width);
  return out;
}

}  // namespace autoriza::print
