// The register, billing and token sheet PDFs read back as a person reads
// them: the text of every page through `pdftotext -layout` (accents, columns
// apart, es-AR money and dates) and every page rendered by `pdftoppm`.
#include <gtest/gtest.h>

#include <regex>

#include "adapters/card/token_sheet.h"
#include "adapters/print/layout.h"
#include "adapters/print/reports.h"
#include "tests/print/pdf_tools.h"
#include "tests/print/sample_rows.h"

namespace autoriza::testing {
namespace {

const std::vector<std::string> kRegisterTitles = {"Fecha",    "Transacción", "Afiliado", "Práctica", "Descripción",
                                                  "Pieza",    "Caras",       "Cant.",    "Estado",   "Total",
                                                  "Coseguro", "A cargo OS",  "Detalle"};

// Amounts and dates as people read them: no "1450.00", no ISO instants.
void expect_es_ar(const std::string& text) {
  EXPECT_FALSE(std::regex_search(text, std::regex(R"([0-9]\.[0-9]{2}([^0-9]|$))"))) << "a dot-decimal amount";
  EXPECT_EQ(text.find("T09:4"), std::string::npos) << "an ISO instant";
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\$ [0-9]{1,3}(\.[0-9]{3})*,[0-9]{2})")));
}

TEST(RegisterPdf, ManyRowsWithLongDescriptionsTakeSeveralReadablePages) {
  const Json page = register_page(150, /*more=*/true);
  const std::string pdf = print::register_pdf(page, "LAB127");
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  PdfFile file(pdf, "register");
  const int pages = file.pages();
  EXPECT_GE(pages, 3);
  EXPECT_EQ(file.render(), pages);
  const std::string text = file.text();

  for (const char* word : {"Registro de autorizaciones — LAB127", "Práctica", "Descripción", "Transacción",
                           "ESPECTROFOTOMETRIA", "Página 1 de ", "hay más filas"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word;
  }
  EXPECT_NE(text.find("Página " + std::to_string(pages) + " de " + std::to_string(pages)), std::string::npos);
  EXPECT_EQ(run_together(text, kRegisterTitles), "");
  // The header row is repeated on every page.
  int headers = 0;
  for (const std::string& line : lines_of(text)) {
    headers += line.find("Fecha") != std::string::npos && line.find("Transacción") != std::string::npos &&
               line.find("Estado") != std::string::npos && line.find("Coseguro") != std::string::npos;
  }
  EXPECT_EQ(headers, pages);
  // Statuses in Spanish, each apart from the amounts next to it.
  for (const char* status : {"Autorizado", "Consumido", "Rechazado", "Anulado"}) {
    EXPECT_TRUE(std::regex_search(text, std::regex(std::string(status) + R"( +\$ 1\.450,00 +\$ 290,00 +\$ 1\.160,00)")))
        << status;
  }
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\b[0-3][0-9]/11/2026 09:4[0-9]\b)"))) << "dd/mm/aaaa hh:mm";
  EXPECT_NE(text.find("Edad del afiliado"), std::string::npos) << "the reasons of a refused row";
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\b17 +OM\b)"))) << "tooth and faces";
  expect_es_ar(text);
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Autorizado y consumido: 76 de 150 filas +\$ 110\.200,00)")));
}

TEST(RegisterPdf, EqualPagesGiveEqualBytes) {
  const Json page = register_page(5);
  EXPECT_EQ(print::register_pdf(page, "LAB127"), print::register_pdf(page, "LAB127"));
}

TEST(RegisterPdf, AnEmptyRegisterSaysSo) {
  PdfFile file(print::register_pdf(register_page(0), "LAB127"));
  EXPECT_EQ(file.pages(), 1);
  EXPECT_EQ(file.render(), 1);
  EXPECT_NE(file.text().find("Sin registros."), std::string::npos);
}

TEST(BillingPdf, ItemsTotalsAndLateArrivalsInColumns) {
  PdfFile file(print::billing_pdf(billing_answer()), "billing");
  EXPECT_EQ(file.render(), file.pages());
  const std::string text = file.text();
  for (const char* word : {"Facturación — LAB127 PINTADO ALBERTO EDUARDO — noviembre de 2026", "Período",
                           "Cerrado el 01/12/2026 08:00", "Práctica", "Descripción", "Honorarios",
                           "Consumos registrados después del cierre", "ACIDO URICO", "Página 1 de 1"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(run_together(text, {"Realizada", "Orden", "Consumo", "Afiliado", "Práctica", "Descripción", "Pieza",
                                "Caras", "Cant.", "Honorarios", "Gastos", "Total", "Coseguro", "A cargo OS"}),
            "");
  EXPECT_TRUE(
      std::regex_search(text, std::regex(R"(\$ 22\.815,97 +\$ 0,00 +\$ 22\.815,97 +\$ 6\.844,79 +\$ 15\.971,18)")));
  EXPECT_TRUE(std::regex_search(
      text,
      std::regex(
          R"(Total del período: 3 prestaciones +\$ 22\.995,97 +\$ 26,90 +\$ 23\.022,87 +\$ 6\.886,17 +\$ 16\.136,70)")));
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\b17 +OM\b)")));
  EXPECT_NE(text.find("02/11/2026 12:00"), std::string::npos);
  expect_es_ar(text);
}

TEST(TokenSheetPdf, TheCardAndTheTokensReadBack) {
  card::TokenSheet sheet;
  sheet.card.credential = "110000783851";
  sheet.card.name = "Pérez (hijo) \\ Juan";
  sheet.card.document = "DNI 24.515.260";
  sheet.card.cuil = "20-24515260-5";
  sheet.card.plan = "NORMAL";
  sheet.card.titular = "CATALDI, ADRIAN";
  sheet.card.updated_on = "02/11/2026";
  sheet.card.security_code = "482913";
  sheet.card.valid_until = "10:05";
  sheet.card.qr_payload = "autoriza-card:v1:payload";
  sheet.month = "2026-11";
  for (int i = 0; i < 12; ++i) sheet.tokens.push_back(std::to_string(10000000 + i * 1234567));
  PdfFile file(card::token_sheet_pdf(sheet), "tokens");
  EXPECT_EQ(file.pages(), 1);
  EXPECT_EQ(file.render(), 1);
  const std::string text = file.text();
  // Each token as its two groups of four (pdftotext may widen the space between them).
  for (const std::string& t : sheet.tokens) {
    EXPECT_TRUE(std::regex_search(text, std::regex(t.substr(0, 4) + " +" + t.substr(4)))) << t;
  }
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(\b12\.)")));
  EXPECT_FALSE(std::regex_search(text, std::regex(R"(\b13\.)")));
  // The insurer's rule: a token may go to the physician of a remote consultation.
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(consulta\s+a\s+distancia)"))) << text;
  for (const char* word :
       {"PÉREZ (HIJO) \\ JUAN", "Tokens de autorización — noviembre de 2026", "Válidos sólo durante noviembre de 2026",
        "CREDENCIAL N.º", "110000783851", "ACTIVA", "teléfono"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word;
  }
  EXPECT_EQ(text.find("482"), std::string::npos) << "no rotating code on paper";
}

TEST(Layout, LongTablesRepeatTheirHeaderAndCountPages) {
  print::Document doc({.title = "Prueba de páginas"});
  print::Table table;
  table.columns = {{"Número", print::Align::kRight, true}, {"Texto largo que se parte", print::Align::kLeft, false}};
  for (int i = 0; i < 300; ++i) {
    table.rows.push_back({std::to_string(i), "una línea de texto con acentos: ñandú, pingüino, canción " +
                                                 std::string(size_t(i % 7) * 12, 'x')});
  }
  doc.title_block("Prueba de páginas", "con tildes");
  doc.table(table);
  doc.signatures({"Firma A", "Firma B"});
  const size_t pages = doc.pages();
  PdfFile file(doc.finish());
  EXPECT_EQ(file.pages(), int(pages));
  EXPECT_GE(pages, 4u);
  EXPECT_EQ(file.render(), int(pages));
  const std::string text = file.text();
  int headers = 0;
  for (const std::string& line : lines_of(text)) headers += line.find("Texto largo que se parte") != std::string::npos;
  EXPECT_EQ(headers, int(pages));
  EXPECT_NE(text.find("Página " + std::to_string(pages) + " de " + std::to_string(pages)), std::string::npos);
  EXPECT_NE(text.find("pingüino"), std::string::npos);
  EXPECT_NE(text.find("Firma B"), std::string::npos);
  EXPECT_FALSE(doc.cut());
}

TEST(Layout, ADocumentStopsAtItsPageBoundAndSaysSo) {
  print::Document doc({.title = "Sin fin"});
  print::Table table;
  table.columns = {{"N.º", print::Align::kRight, true}, {"Texto"}};
  for (int i = 0; i < 60'000; ++i) table.rows.push_back({std::to_string(i), "fila"});
  doc.table(table);
  doc.paragraph("después del corte");
  doc.box(100).text(0, 0, 100, "tampoco", {});
  EXPECT_TRUE(doc.cut());
  EXPECT_EQ(doc.pages(), print::kPagesMax);
  PdfFile file(doc.finish());
  const int last = int(print::kPagesMax);
  EXPECT_EQ(file.pages(), last);
  const std::string text = file.text(last, last);
  EXPECT_NE(text.find("Documento recortado en 1000 páginas"), std::string::npos) << text;
  EXPECT_NE(text.find("Página 1000 de 1000"), std::string::npos);
  EXPECT_EQ(text.find("después del corte"), std::string::npos);
  EXPECT_EQ(text.find("tampoco"), std::string::npos);
}

TEST(Layout, MalformedUtf8PrintsAsReplacementCharacters) {
  print::Document doc({.title = std::string("Bytes \xff")});
  doc.paragraph(std::string("antes \xff\xfe despu\xc3") + "s");
  PdfFile file(doc.finish());
  const std::string text = file.text();
  EXPECT_NE(text.find("antes"), std::string::npos);
  EXPECT_NE(text.find("despu"), std::string::npos);
}

}  // namespace
}  // namespace autoriza::testing
