// Billing by provider and month: consumed, non-annulled items only; closing
// a period freezes its figures.
#include "adapters/print/reports.h"
#include "tests/projections/projections_fixture.h"

namespace autoriza::testing {
namespace {

class Billing : public ProjectionsTest {
 protected:
  void SetUp() override {
    ProjectionsTest::SetUp();
    // Billed: 000118 consumed at the counter (180.00, copay 36.00).
    counter = authorize("110000783851", {"000118"}, "2026-11-02T10:00:00-03:00", "LAB127", true);
    // Billed: item 0 (26.90, copay 5.38); item 1 authorized only.
    deferred = authorize("110000783852", {"000003", "000015"}, "2026-11-03T10:00:00-03:00");
    EXPECT_EQ(consume("110000783852", deferred["order"], {0}, "2026-11-04T10:00:00-03:00",
                      "2026-11-03T18:00:00-03:00")["status"],
              "ACCEPTED");
    // Not billed: consumed, then the consumption annulled.
    annulled = authorize("110000783853", {"000014"}, "2026-11-05T10:00:00-03:00");
    Json c = consume("110000783853", annulled["order"], {0}, "2026-11-05T11:00:00-03:00");
    EXPECT_EQ(annul(c["transaction"], "2026-11-05T12:00:00-03:00")["status"], "ANNULLED");
    // Another month and another provider: not in LAB127's November.
    EXPECT_EQ(authorize("354495", {"000118"}, "2026-12-01T10:00:00-03:00", "LAB127", true)["status"], "AUTHORIZED");
    EXPECT_EQ(authorize("354495", {"000003"}, "2026-11-06T10:00:00-03:00", "LAB200", true)["status"], "AUTHORIZED");
    catch_up();
  }

  Json billing(const std::string& provider = "LAB127", const std::string& month = "2026-11") {
    Json out;
    Status s = projections->billing(provider, month, &out);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }

  void close_period(const std::string& provider, const std::string& month, const std::string& at) {
    fb::ReferenceRecordUnion record;
    fb::ClosedPeriodT closed;
    closed.provider = provider;
    closed.month = month;
    record.Set(closed);
    ReferenceLoadStats stats;
    ASSERT_TRUE(h.engine().load_reference({record}, &stats, *parse_instant(at)).is_ok());
    ASSERT_EQ(stats.added, 1u);
  }

  Json counter, deferred, annulled;
};

TEST_F(Billing, ConsumedNonAnnulledItemsOfTheMonth) {
  Json b = billing();
  EXPECT_EQ(b["provider"], "LAB127");
  EXPECT_EQ(b["provider_name"], "PINTADO ALBERTO EDUARDO");
  EXPECT_EQ(b["month"], "2026-11");
  EXPECT_EQ(b["closed"], false);
  ASSERT_EQ(b["items"].size(), 2u);
  EXPECT_EQ(b["items"][0]["order"], counter["order"]);
  EXPECT_EQ(b["items"][0]["code"], "000118");
  EXPECT_EQ(b["items"][0]["affiliate"], "CATALDI, ADRIAN");
  EXPECT_EQ(b["items"][1]["code"], "000003");
  EXPECT_EQ(b["items"][1]["performed_at"], "2026-11-03T18:00:00-03:00");
  EXPECT_EQ(b["totals"], (Json{{"items", 2},
                               {"professional", "180.00"},
                               {"expenses", "26.90"},
                               {"total", "206.90"},
                               {"copay", "41.38"},
                               {"covered", "165.52"}}));
  EXPECT_EQ(billing("LAB127", "2026-12")["totals"]["total"], "180.00");
  EXPECT_EQ(billing("LAB200")["totals"]["items"], 1);
  EXPECT_TRUE(billing("LAB127", "2026-10")["items"].empty());
}

TEST_F(Billing, AnnullingTheOrderTakesItsItemsOut) {
  ASSERT_EQ(annul(counter["order"], "2026-11-10T10:00:00-03:00")["status"], "ANNULLED");
  catch_up();
  Json b = billing();
  ASSERT_EQ(b["items"].size(), 1u);
  EXPECT_EQ(b["totals"]["total"], "26.90");
}

TEST_F(Billing, BadMonthIsInvalid) {
  Json out;
  EXPECT_EQ(projections->billing("LAB127", "2026-13", &out).field(), "month");
  EXPECT_EQ(projections->billing("LAB127", "November", &out).field(), "month");
}

TEST_F(Billing, ClosedPeriodNeverChanges) {
  const Json before = billing();
  close_period("LAB127", "2026-11", "2026-12-01T09:00:00-03:00");
  catch_up();
  Json closed = billing();
  EXPECT_EQ(closed["closed"], true);
  EXPECT_EQ(closed["closed_at"], "2026-12-01T09:00:00-03:00");
  EXPECT_EQ(closed["items"], before["items"]);
  EXPECT_EQ(closed["totals"], before["totals"]);

  // The validator refuses annulments that touch the closed month...
  Json n = annul(counter["order"], "2026-12-02T10:00:00-03:00");
  EXPECT_EQ(codes(n["reasons"]), std::vector<std::string>{"PERIOD_CLOSED"});
  // ...but a late consumption performed in November is accepted: it stays out
  // of the closed figures and is listed apart.
  Json late = authorize("354495", {"000012"}, "2026-11-28T10:00:00-03:00");
  EXPECT_EQ(consume("354495", late["order"], {0}, "2026-12-02T11:00:00-03:00", "2026-11-29T10:00:00-03:00")["status"],
            "ACCEPTED");
  catch_up();
  Json after = billing();
  EXPECT_EQ(after["items"], before["items"]);
  EXPECT_EQ(after["totals"], before["totals"]);
  ASSERT_EQ(after["late_items"].size(), 1u);
  EXPECT_EQ(after["late_items"][0]["code"], "000012");

  // A rebuild from scratch answers the same frozen figures.
  auto rebuilt = open_projections(temp_dir("projections-rebuild"));
  ASSERT_TRUE(rebuilt->catch_up().is_ok());
  Json again;
  ASSERT_TRUE(rebuilt->billing("LAB127", "2026-11", &again).is_ok());
  EXPECT_EQ(again, after);
  EXPECT_EQ(digest(*rebuilt), digest(*projections));
}

TEST_F(Billing, CsvTxtAndPdf) {
  Json b = billing();
  const std::string csv = print::billing_csv(b);
  EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
            "order,consumption,index,performed_at,credential,affiliate,code,description,qty,tooth,faces,professional,"
            "expenses,total,copay,covered");
  size_t lines = 0;
  for (size_t at = 0; (at = csv.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
  EXPECT_EQ(lines, 4u);  // header, 2 items, totals
  EXPECT_NE(csv.find("TOTAL,,,2 items,,,,,,,,180.00,26.90,206.90,41.38,165.52\r\n"), std::string::npos) << csv;
  EXPECT_NE(print::billing_txt(b).find("$ 206,90"), std::string::npos);
  // The PDF is read back with pdftotext in tests/print/documents_test.cc.
  const std::string pdf = print::billing_pdf(b);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
}

}  // namespace
}  // namespace autoriza::testing
