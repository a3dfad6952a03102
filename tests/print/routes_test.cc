// The documents through the service, as a switch or the portal asks for
// them (Service::request and the route table): format=txt/html of the
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
