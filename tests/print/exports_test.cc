// The HTML and fixed-width TXT exports of the register and billing
// (adapters/print/reports.h); the CSV stays machine-readable.
#include <gtest/gtest.h>

#include "adapters/print/format_es.h"
#include "adapters/print/reports.h"
#include "tests/print/pdf_tools.h"
#include "tests/print/sample_rows.h"

namespace autoriza::testing {
namespace {

TEST(RegisterHtml, ASpanishTableWithCaptionHeadersAndTotals) {
  const std::string html = print::register_html(register_page(12), "LAB127 <x>");
  for (const char* part :
       {"<!DOCTYPE html>", "<html lang=\"es\">", "<meta charset=\"utf-8\">",
        "Registro de autorizaciones — LAB127 &lt;x&gt;", "<caption>", "<thead>", "<th scope=\"col\">Descripción</th>",
        "<th scope=\"col\">Transacción</th>", "<th scope=\"col\" class=\"num\">Total</th>", "<tfoot>",
        "<th scope=\"row\"", "Rechazado", "Consumido", "Anulado", "$ 1.450,00", "SCREENING NEONATAL",
        "<td class=\"center\">17</td><td class=\"center\">OM</td>", "@media print"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(html.find("LAB127 <x>"), std::string::npos) << "escaped";
  for (const char* raw : {">REJECTED<", ">CONSUMED<", "T09:4", "1450.00"}) {
    EXPECT_EQ(html.find(raw), std::string::npos) << raw;
  }
  EXPECT_NE(html.find("01/11/2026 09:40"), std::string::npos) << "dd/mm/aaaa hh:mm";
}

TEST(BillingHtml, MonthInWordsTotalsAndLateItems) {
  const std::string html = print::billing_html(billing_answer());
  for (const char* part :
       {"Facturación — LAB127 PINTADO ALBERTO EDUARDO — noviembre de 2026", "Cerrado el 01/12/2026 08:00",
        "<caption>Prestaciones consumidas</caption>", "Consumos registrados después del cierre",
        "Total del período: 3 prestaciones", "$ 23.022,87", "$ 6.886,17"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
}

// Every line of a TXT export has the same number of characters (not bytes).
void expect_fixed_width(const std::string& txt) {
  ASSERT_FALSE(txt.empty());
  ASSERT_EQ(txt.back(), '\n');
  const std::vector<std::string> lines = lines_of(txt);
  ASSERT_GT(lines.size(), 3u);
  const size_t width = print::text_width(lines[0]);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(print::text_width(lines[i]), width) << "line " << i << ": " << lines[i];
  }
}

TEST(RegisterTxt, OneLineARowColumnsOfFixedCharacters) {
  const std::string txt = print::register_txt(register_page(30), "LAB127");
  expect_fixed_width(txt);
  const std::vector<std::string> lines = lines_of(txt);
  size_t header = 0;
  while (header < lines.size() && lines[header].rfind("Fecha ", 0) != 0) ++header;
  ASSERT_LT(header, lines.size()) << txt;
  const std::string& h = lines[header];
  for (const char* title : {"Transacción", "Credencial", "Afiliado", "Práctica", "Descripción", "Pieza", "Caras",
                            "Cant.", "Estado", "Total", "Coseguro", "A cargo OS", "Detalle"}) {
    EXPECT_NE(h.find(std::string(" ") + title), std::string::npos) << title;
  }
  // The columns start at the same character on every row (accents included).
  const std::string first = lines[header + 2], second = lines[header + 3];
  const size_t status_at = print::text_width(h.substr(0, h.find(" Estado") + 1));
  auto at = [](const std::string& line, size_t chars) {  // the text from character `chars` on
    size_t i = 0;
    for (size_t n = 0; i < line.size(); ++i) {
      if ((uint8_t(line[i]) & 0xC0) == 0x80) continue;
      if (n++ == chars) break;
    }
    return line.substr(i);
  };
  EXPECT_EQ(at(first, status_at).rfind("Autorizado ", 0), 0u) << first;
  EXPECT_EQ(at(second, status_at).rfind("Consumido ", 0), 0u) << second;
  EXPECT_EQ(lines.size(), header + 2 + 30 + 3) << "header, rule, one line a row, rule, totals, blank";
  EXPECT_NE(txt.find("Autorizado y consumido: 16 de 30 filas"), std::string::npos);
  EXPECT_NE(txt.find("$ 23.200,00"), std::string::npos);
  EXPECT_NE(txt.find("01/11/2026 09:40 T-0-100"), std::string::npos);
  EXPECT_NE(txt.find("17    OM   "), std::string::npos) << "tooth and faces";
}

TEST(BillingTxt, TotalsUnderTheirColumns) {
  const std::string txt = print::billing_txt(billing_answer());
  expect_fixed_width(txt);
  EXPECT_NE(txt.find("Total del período: 3 prestaciones"), std::string::npos);
  EXPECT_NE(txt.find("$ 23.022,87"), std::string::npos);
  EXPECT_NE(txt.find("Consumos registrados después del cierre"), std::string::npos);
  // The totals' amounts end where the amount columns end.
  const std::vector<std::string> lines = lines_of(txt);
  const auto header =
      std::find_if(lines.begin(), lines.end(), [](const std::string& l) { return l.rfind("Realizada ", 0) == 0; });
  const auto total = std::find_if(lines.begin(), lines.end(),
                                  [](const std::string& l) { return l.rfind("Total del período", 0) == 0; });
  ASSERT_NE(header, lines.end());
  ASSERT_NE(total, lines.end());
  const std::string covered = "$ 16.136,70";
  EXPECT_EQ(print::text_width(total->substr(0, total->find(covered) + covered.size())),
            print::text_width(header->substr(0, header->find("A cargo OS") + std::string("A cargo OS").size())));
}

TEST(Csv, StaysMachineReadable) {
  const std::string csv = print::register_csv(register_page(3));
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "transaction,time,credential,affiliate,code,description,tooth,faces,qty,status,professional,expenses,total,"
            "copay,covered,channel,registered_by,authorized_by,consumption,performed_at,emitted_by,annulment,"
            "annulled_by,annul_reason");
  EXPECT_NE(csv.find(",1450.00,290.00,1160.00,"), std::string::npos);
  EXPECT_NE(csv.find(",2026-11-01T09:40:00-03:00,"), std::string::npos);
  EXPECT_NE(csv.find(",REJECTED,"), std::string::npos);
  const std::string billing = print::billing_csv(billing_answer());
  EXPECT_NE(billing.find("TOTAL,,,3 items,,,,,,,,22995.97,26.90,23022.87,6886.17,16136.70\r\n"), std::string::npos);
}

}  // namespace
}  // namespace autoriza::testing
