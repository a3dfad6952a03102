// Comprobantes of real transactions (an engine on the test fixtures): an
// order, an audit request, a verdict, a consumption, an annulment, a dental
// order, a refusal and an eligibility check, as PDF (read back with
// pdftotext, rendered with pdftoppm) and as the HTML print view.
#include "adapters/print/comprobante.h"

#include <gtest/gtest.h>

#include <regex>

#include "tests/print/pdf_tools.h"

namespace autoriza::testing {
namespace {

const std::vector<std::string> kItemTitles = {"Código", "Práctica", "Pieza",    "Caras",     "Cant.",
                                              "Estado", "Total",    "Coseguro", "A cargo OS"};

class Comprobantes : public ::testing::Test {
 protected:
  // The comprobante of transaction id, as the service builds it.
  print::Comprobante of(const std::string& id) {
    TransactionView view;
    EXPECT_TRUE(h.engine().transaction(id, &view).is_ok()) << id;
    std::unique_ptr<TransactionView> target;
    if (const fb::AnnulCmdT* annul = view.event.command.AsAnnulCmd()) {
      target = std::make_unique<TransactionView>();
      if (!h.engine().transaction(annul->transaction, target.get())) target.reset();
    }
    print::Comprobante c;
    EXPECT_TRUE(print::comprobante_of(view, target.get(), *h.engine().reference(), &c).is_ok()) << id;
    return c;
  }

  // The PDF's text, after checking every page renders and that the parts
  // every comprobante has are there.
  std::string pdf_text(const print::Comprobante& c) {
    PdfFile file(print::comprobante_pdf(c), "comprobante");
    EXPECT_EQ(file.render(), file.pages());
    const std::string text = file.text();
    for (const std::string& part : {c.kind + " N.º " + c.number, std::string("Número de transacción"),
                                    std::string("Fecha y hora"), std::string("Firma y aclaración del afiliado"),
                                    std::string("Firma y sello del prestador"), std::string("Página 1 de 1")}) {
      EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
    }
    EXPECT_EQ(run_together(text, kItemTitles), "") << text;
    return text;
  }

  Json authorize_lab(const std::string& id, const std::string& credential) {
    Json body =
        Json::parse(R"({"provider":"LAB127","prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                    R"("note":"Paciente en ayunas","items":[{"code":"000118"},{"code":"000012","qty":2},)"
                    R"({"code":"000016"},{"code":"000858"}]})");
    body["request_id"] = id;
    body["credential"] = credential;
    return h.run("authorize", body, kAt);
  }

  Harness h;
};

TEST_F(Comprobantes, AnOrderWithEveryItemItsAmountsAndThePeople) {
  const Json a = authorize_lab("a1", "110000783852");
  ASSERT_EQ(a["status"], "PARTIALLY_AUTHORIZED") << a;
  const print::Comprobante c = of(a["transaction"]);
  EXPECT_EQ(c.kind, "Orden de prestación");
  const std::string text = pdf_text(c);
  for (const char* part :
       {"02/11/2026 10:00", "Autorizado parcialmente", "CATALDI, MARIA LAURA", "110000783852", "NORMAL",
        "CATALDI, ADRIAN (110000783851)", "PINTADO ALBERTO EDUARDO (LAB127)", "QUIPILDOR ARNALDO RENE", "30/10/2026",
        "ACIDO URICO", "Paciente en ayunas", "Requiere", "Edad del afiliado"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(ACTO BIOQUIMICO +1 +Autorizado +\$ 180,00 +\$ 36,00 +\$ 144,00)")))
      << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Rechazado +\$ 1\.450,00)"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Total autorizado +\$ 287,60 +\$ 57,52 +\$ 230,08)"))) << text;
  EXPECT_EQ(text.find("Pieza"), std::string::npos) << "no tooth column for a laboratory";

  const std::string html = print::comprobante_html(c);
  for (const char* part :
       {"<html lang=\"es\">", "@media print", "<caption>Prácticas</caption>",
        "<th scope=\"col\" class=\"num\">Coseguro</th>", "Firma y aclaración del afiliado",
        "Firma y sello del prestador", "$ 1.450,00", "Autorizado parcialmente", "02/11/2026 10:00"}) {
    EXPECT_NE(html.find(part), std::string::npos) << part;
  }
}

TEST_F(Comprobantes, ADentalOrderShowsToothAndFaces) {
  const Json d =
      h.run("authorize",
            Json::parse(R"({"request_id":"d1","provider":"DEN333","credential":"354495","diagnosis":"K029",)"
                        R"("items":[{"code":"100100","tooth":12},{"code":"20900","tooth":17,"faces":"OM"}]})"),
            kAt);
  ASSERT_EQ(d["status"], "AUTHORIZED") << d;
  const std::string text = pdf_text(of(d["transaction"]));
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(20900 +OBTURACION.* +17 +OM +1 +Autorizado +\$ 22\.815,97)")))
      << text;
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(100100 +EXTRACCION.* +12 +1 +Autorizado +\$ 16\.675,00)"))) << text;
  for (const char* part :
       {"ODONTOLOGO DE PRUEBA COCH (DEN333)", "K029", "Diagnóstico (CIE-10)", "AFILIADO DE PRUEBA DE", "$ 39.490,97"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
}

TEST_F(Comprobantes, AnAuditRequestAndTheVerdictThatIssuedItsOrder) {
  const Json s = h.run(
      "authorize",
      Json::parse(R"({"request_id":"s1","provider":"LAB127","credential":"110000783851","mode":"audit",)"
                  R"("diagnosis":"K76.0","prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                  R"("items":[{"code":"000016"},{"code":"000118"}]})"),
      kAt);
  ASSERT_EQ(s["status"], "AUDIT_PENDING") << s;
  std::string text = pdf_text(of(s["transaction"]));
  const std::string sap = s["sap"].get<std::string>();
  for (const std::string& part : {std::string("Solicitud de auditoría N.º"), sap, std::string("Auditoría pendiente"),
                                  std::string("K76.0"), std::string("ALCOHOL DEHIDROGENASA")}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  const Json v = h.run("audit_verdict",
                       {{"request_id", "v1"},
                        {"auditor", "AUD1"},
                        {"sap", s["sap"]},
                        {"verdict", "AUTHORIZE"},
                        {"message", "Estudio justificado"}},
                       "2026-11-02T12:00:00-03:00");
  ASSERT_EQ(v["status"], "AUTHORIZED") << v;
  text = pdf_text(of(s["transaction"]));  // the reprint says what became of it
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Estado actual)"))) << text;
  const print::Comprobante order = of(v["transaction"]);
  EXPECT_EQ(order.kind, "Orden de prestación autorizada por auditoría");
  EXPECT_EQ(order.provider, "LAB127");
  text = pdf_text(order);
  for (const char* part : {"Autorizar", "AUD1", "Estudio justificado", "02/11/2026 12:00", "CATALDI, ADRIAN"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
}

TEST_F(Comprobantes, AConsumptionAndItsAnnulment) {
  const Json a = authorize_lab("a1", "110000783852");
  const Json c = h.run("consume",
                       {{"request_id", "c1"},
                        {"provider", "LAB127"},
                        {"credential", "110000783852"},
                        {"order", a["order"]},
                        {"items", {0, 1}}},
                       "2026-11-02T11:00:00-03:00");
  ASSERT_EQ(c["status"], "ACCEPTED") << c;
  std::string text = pdf_text(of(c["transaction"]));
  for (const char* part : {"Comprobante de consumo N.º", "Aceptado", "Realizada", "02/11/2026 11:00", "Total consumido",
                           "CATALDI, MARIA LAURA"}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(ACIDO URICO +2 +Consumido +\$ 107,60)"))) << text;

  const Json n = h.run(
      "annul",
      {{"request_id", "n1"}, {"provider", "LAB127"}, {"transaction", c["transaction"]}, {"reason", "error de carga"}},
      "2026-11-02T13:00:00-03:00");
  ASSERT_EQ(n["status"], "ANNULLED") << n;
  text = pdf_text(of(n["transaction"]));
  const std::string consumption = c["transaction"].get<std::string>();
  for (const std::string& part :
       {std::string("Comprobante de anulación N.º"), std::string("Anula"), consumption, std::string("error de carga"),
        std::string("CATALDI, MARIA LAURA"), std::string("Total anulado")}) {
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  }
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(ACIDO URICO +2 +Anulado +\$ 107,60)"))) << text;
  EXPECT_EQ(text.find("abona el coseguro"), std::string::npos) << "nothing to pay on an annulment";
  // The consumption, reprinted, says it was annulled.
  EXPECT_NE(pdf_text(of(c["transaction"])).find("Estado actual"), std::string::npos);
}

TEST_F(Comprobantes, ARefusedAnnulmentOfAnotherProvidersOrderShowsNothingOfIt) {
  const Json a = authorize_lab("a1", "110000783852");
  const Json n =
      h.run("annul", {{"request_id", "n2"}, {"provider", "LAB200"}, {"transaction", a["order"]}, {"reason", "x"}},
            "2026-11-02T13:00:00-03:00");
  ASSERT_EQ(n["status"], "REJECTED") << n;
  const print::Comprobante c = of(n["transaction"]);
  EXPECT_EQ(c.kind, "Anulación rechazada");
  EXPECT_TRUE(c.credential.empty());
  EXPECT_TRUE(c.items.empty());
  const std::string text = pdf_text(c);
  EXPECT_EQ(text.find("CATALDI"), std::string::npos) << text;
  EXPECT_NE(text.find("LABORATORIO CENTRAL JUJUY"), std::string::npos) << text;
}

TEST_F(Comprobantes, ARefusalAndAnEligibilityCheck) {
  const Json r = h.run("authorize",
                       Json::parse(R"({"request_id":"r1","provider":"LAB127","credential":"220000100002",)"
                                   R"("prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                                   R"("items":[{"code":"000118"}]})"),
                       kAt);
  ASSERT_EQ(r["status"], "REJECTED") << r;
  std::string text = pdf_text(of(r["transaction"]));
  EXPECT_NE(text.find("Autorización rechazada"), std::string::npos) << text;
  EXPECT_NE(text.find("Motivo:"), std::string::npos) << text;
  EXPECT_EQ(text.find("abona el coseguro"), std::string::npos);

  const Json e =
      h.run("eligibility", {{"request_id", "e1"}, {"provider", "LAB127"}, {"credential", "110000783851"}}, kAt);
  text = pdf_text(of(e["transaction"]));
  EXPECT_NE(text.find("Constancia de elegibilidad"), std::string::npos) << text;
  EXPECT_NE(text.find("Elegible"), std::string::npos) << text;
}

TEST_F(Comprobantes, TokenIssuesHaveNone) {
  const Json t = h.run("token_issue", {{"request_id", "t1"}, {"credential", "220000100001"}, {"kind", "DYNAMIC"}}, kAt);
  TransactionView view;
  // A token issue answers no transaction id; any id that is no comprobante's is 404.
  if (t.contains("transaction") && t["transaction"].is_string()) {
    ASSERT_TRUE(h.engine().transaction(t["transaction"].get<std::string>(), &view).is_ok());
    print::Comprobante c;
    EXPECT_EQ(print::comprobante_of(view, nullptr, *h.engine().reference(), &c).kind(), StatusKind::kNotFound);
  }
}

}  // namespace
}  // namespace autoriza::testing
