// es-AR formatting of people-facing documents (adapters/print/format_es.h).
#include "adapters/print/format_es.h"

#include <gtest/gtest.h>

#include <set>

#include "schemas/common_generated.h"

namespace autoriza::print {
namespace {

TEST(MoneyEs, ThousandsWithDotsAndCentsAfterAComma) {
  EXPECT_EQ(money_es("1234.56"), "$ 1.234,56");
  EXPECT_EQ(money_es("0.00"), "$ 0,00");
  EXPECT_EQ(money_es("180.00"), "$ 180,00");
  EXPECT_EQ(money_es("999.99"), "$ 999,99");
  EXPECT_EQ(money_es("1000.00"), "$ 1.000,00");
  EXPECT_EQ(money_es("1234567.89"), "$ 1.234.567,89");
  EXPECT_EQ(money_es("-5.38"), "-$ 5,38");
  EXPECT_EQ(money_es("-1234.50"), "-$ 1.234,50");
  EXPECT_EQ(money_es("180"), "$ 180,00");
  EXPECT_EQ(money_es("180.5"), "$ 180,50");
  EXPECT_EQ(money_es(Cents{123456}), "$ 1.234,56");
  EXPECT_EQ(money_es(Cents{-538}), "-$ 5,38");
}

TEST(MoneyEs, AnythingElseIsShownAsItIs) {
  for (const char* odd : {"", "-", "abc", "1.234", "12,50", "1.2.3", ".50", "1e3", "$ 5,00"}) {
    EXPECT_EQ(money_es(odd), odd);
  }
}

TEST(DatesEs, DayMonthYearAndTheLocalTimeTheStringCarries) {
  EXPECT_EQ(date_es("2026-11-02"), "02/11/2026");
  EXPECT_EQ(date_es("2026-11-02T10:05:00-03:00"), "02/11/2026");
  EXPECT_EQ(date_time_es("2026-11-02T10:05:00-03:00"), "02/11/2026 10:05");
  // The offset is kept, not converted: 23:30 at -03:00 stays that evening.
  EXPECT_EQ(date_time_es("2026-12-31T23:30:59-03:00"), "31/12/2026 23:30");
  EXPECT_EQ(date_time_es("2026-12-31T23:30:59Z"), "31/12/2026 23:30");
  EXPECT_EQ(date_time_es("2026-11-02"), "02/11/2026");
  for (const char* odd : {"", "2026-1-02", "02/11/2026", "tomorrow", "2026-11-0x"}) {
    EXPECT_EQ(date_es(odd), odd);
    EXPECT_EQ(date_time_es(odd), odd);
  }
}

TEST(DatesEs, MonthsInWords) {
  EXPECT_EQ(month_es("2026-11"), "noviembre de 2026");
  EXPECT_EQ(month_es("2027-01"), "enero de 2027");
  EXPECT_EQ(month_es("2026-09"), "septiembre de 2026");
  for (const char* odd : {"2026-13", "2026-00", "2026-1", "<b>", ""}) EXPECT_EQ(month_es(odd), odd);
}

TEST(StatusEs, EveryStatusOfTheSchemaHasASpanishName) {
  std::set<std::string_view> names;
  for (fb::Status s : fb::EnumValuesStatus()) {
    const std::string_view code = fb::EnumNameStatus(s);
    const std::string_view spanish = status_es(code);
    if (s == fb::Status::NONE) {
      EXPECT_EQ(spanish, "");
      continue;
    }
    EXPECT_NE(spanish, code) << code << " has no Spanish name";
    EXPECT_FALSE(spanish.empty()) << code;
    names.insert(spanish);
  }
  EXPECT_EQ(names.size(), std::size(fb::EnumValuesStatus()) - 1) << "two statuses read the same";
  EXPECT_EQ(status_es("AUTHORIZED"), "Autorizado");
  EXPECT_EQ(status_es("REJECTED"), "Rechazado");
  EXPECT_EQ(status_es("NEEDS_AUDIT"), "Requiere auditoría");
  EXPECT_EQ(status_es("ANNULLED"), "Anulado");
  EXPECT_EQ(status_es("CONSUMED"), "Consumido");
  EXPECT_EQ(status_es("PARTIALLY_AUTHORIZED"), "Autorizado parcialmente");
  EXPECT_EQ(status_es("SOMETHING_NEW"), "SOMETHING_NEW");
}

TEST(StatusEs, VerdictsAndWhoAuthorized) {
  for (fb::Verdict v : fb::EnumValuesVerdict()) {
    EXPECT_NE(verdict_es(fb::EnumNameVerdict(v)), fb::EnumNameVerdict(v));
  }
  EXPECT_EQ(verdict_es("REQUEST_DOCS"), "Solicitar documentación");
  EXPECT_EQ(authorized_by_es("AUTOMATIC"), "Automática");
  EXPECT_EQ(authorized_by_es("auditor:AUD1"), "Auditor AUD1");
  EXPECT_EQ(authorized_by_es(""), "");
}

TEST(TextWidth, CountsCharactersNotBytes) {
  EXPECT_EQ(text_width("Práctica"), 8u);
  EXPECT_EQ(std::string("Práctica").size(), 9u);
  EXPECT_EQ(text_width("—"), 1u);
  EXPECT_EQ(fit_width("Práctica", 10), "Práctica  ");
  EXPECT_EQ(fit_width("$ 1,00", 8, true), "  $ 1,00");
  EXPECT_EQ(fit_width("Descripción larga", 8), "Descrip…");
  EXPECT_EQ(text_width(fit_width("ñandú ñandú", 5)), 5u);
  EXPECT_EQ(fit_width("abc", 0), "");
  EXPECT_EQ(upper_es("Pérez (hijo) \\ Juan ñ ü"), "PÉREZ (HIJO) \\ JUAN Ñ Ü");
  EXPECT_EQ(upper_es("÷"), "÷");
}

}  // namespace
}  // namespace autoriza::print
