// The documents through the service, as a switch or the portal asks for
// them (Service::request and the route table): the comprobante routes with
// the access of GET /v1/transactions/{id}, and format=txt/html of the
// register and billing.
#include <gtest/gtest.h>

#include <future>

#include "adapters/auth/key_admin.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

class DocumentRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string id;
    ASSERT_TRUE(
        auth::add_key(h.engine(), {"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}}, Millis{0}, &lab127, &id)
            .is_ok());
    ASSERT_TRUE(
        auth::add_key(h.engine(), {"provider-LAB200", auth::Role::kProvider, "LAB200", {}, {}}, Millis{0}, &lab200, &id)
            .is_ok());
    ASSERT_TRUE(
        auth::add_key(h.engine(), {"auditor", auth::Role::kAuditor, {}, {}, {}}, Millis{0}, &auditor, &id).is_ok());
  }
  Reply get(std::string_view key, const std::string& target) {
    std::promise<Reply> promise;
    h.service().request(Caller{key, nullptr}, "GET", target, "", *parse_instant(kAt),
                        [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Harness h;
  std::string lab127, lab200, auditor;
};

TEST_F(DocumentRoutes, ComprobantesForTheOwnerAndReadersOnly) {
  const Json a = h.run("authorize",
                       Json::parse(R"({"request_id":"a1","provider":"LAB127","credential":"110000783851",)"
                                   R"("prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                                   R"("items":[{"code":"000118"}]})"),
                       kAt);
  ASSERT_EQ(a["status"], "AUTHORIZED") << a;
  const std::string base = "/v1/transactions/" + a["transaction"].get<std::string>();

  Reply pdf = get(lab127, base + "/comprobante.pdf");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  Reply html = get(lab127, base + "/comprobante.html");
  ASSERT_EQ(html.status, 200) << html.body;
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("Orden de prestación N.º " + a["transaction"].get<std::string>()), std::string::npos);
  EXPECT_NE(html.body.find("CATALDI, ADRIAN"), std::string::npos);

  // Another provider's key: as unknown, like GET /v1/transactions/{id}.
  EXPECT_EQ(get(lab200, base + "/comprobante.pdf").status, 404);
  EXPECT_EQ(get(lab200, base + "/comprobante.html").status, 404);
  EXPECT_EQ(get(lab200, base).status, 404);
  EXPECT_EQ(get(auditor, base + "/comprobante.pdf").status, 200);  // readers see every transaction
  EXPECT_EQ(get("", base + "/comprobante.pdf").status, 401);
  EXPECT_EQ(get(lab127, "/v1/transactions/T-0-999/comprobante.pdf").status, 404);
  EXPECT_EQ(get(lab127, base + "/comprobante.txt").status, 404);  // no such route
}

TEST_F(DocumentRoutes, AVerdictsOrderIsItsProvidersToPrint) {
  const Json s = h.run(
      "authorize",
      Json::parse(R"({"request_id":"s1","provider":"LAB127","credential":"110000783851","mode":"audit",)"
                  R"("diagnosis":"K76.0","prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                  R"("items":[{"code":"000016"}]})"),
      kAt);
  const Json v =
      h.run("audit_verdict", {{"request_id", "v1"}, {"auditor", "AUD1"}, {"sap", s["sap"]}, {"verdict", "AUTHORIZE"}},
            "2026-11-02T12:00:00-03:00");
  ASSERT_FALSE(v.value("order", "").empty()) << v;
  const std::string target = "/v1/transactions/" + v["order"].get<std::string>() + "/comprobante.pdf";
  EXPECT_EQ(get(lab127, target).status, 200);
  EXPECT_EQ(get(lab200, target).status, 404);
  // The transaction itself too: the provider consumes that order by its number.
  const std::string order = "/v1/transactions/" + v["order"].get<std::string>();
  EXPECT_EQ(get(lab127, order).status, 200);
  EXPECT_EQ(get(lab200, order).status, 404);
}

TEST_F(DocumentRoutes, RegisterAndBillingAsTextAndHtml) {
  const Json a = h.run("authorize",
                       Json::parse(R"({"request_id":"a1","provider":"LAB127","credential":"110000783851",)"
                                   R"("prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                                   R"("items":[{"code":"000118"},{"code":"000003"}]})"),
                       kAt);
  ASSERT_EQ(h.run("consume",
                  {{"request_id", "c1"},
                   {"provider", "LAB127"},
                   {"credential", "110000783851"},
                   {"order", a["order"]},
                   {"items", {0, 1}}},
                  "2026-11-02T11:00:00-03:00")["status"],
            "ACCEPTED");
  ASSERT_TRUE(h.service().catch_up_projections().is_ok());

  Reply txt = get(lab127, "/v1/providers/LAB127/register?format=txt");
  ASSERT_EQ(txt.status, 200) << txt.body;
  EXPECT_EQ(txt.content_type, "text/plain; charset=utf-8");
  EXPECT_NE(txt.body.find("ACTO BIOQUIMICO"), std::string::npos);
  EXPECT_NE(txt.body.find("Consumido"), std::string::npos);
  Reply html = get(lab127, "/v1/providers/LAB127/register?format=html");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(get(lab127, "/v1/providers/LAB127/register?format=pdf").content_type, "application/pdf");
  EXPECT_EQ(get(lab127, "/v1/providers/LAB127/register?format=xls").status, 400);

  txt = get(lab127, "/v1/providers/LAB127/billing/2026-11?format=txt");
  ASSERT_EQ(txt.status, 200) << txt.body;
  EXPECT_EQ(txt.content_type, "text/plain; charset=utf-8");
  EXPECT_NE(txt.body.find("Total del período: 2 prestaciones"), std::string::npos) << txt.body;
  html = get(lab127, "/v1/providers/LAB127/billing/2026-11?format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("Facturación — LAB127"), std::string::npos);
  Reply pdf = get(lab127, "/v1/providers/LAB127/billing/2026-11?format=pdf");
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_EQ(get(lab127, "/v1/providers/LAB127/billing/2026-11?format=doc").status, 400);
  EXPECT_EQ(get(lab127, "/v1/providers/LAB127/billing/2026-11?format=csv").content_type, "text/csv; charset=utf-8");
}

}  // namespace
}  // namespace autoriza::testing
