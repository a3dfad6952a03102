// The per-provider register: rows per item, statuses through consume and
// annul, filters, ordering, paging and exports.
#include <set>

#include "adapters/print/reports.h"
#include "tests/projections/projections_fixture.h"

namespace autoriza::testing {
namespace {

class Register : public ProjectionsTest {
 protected:
  // Rows of one transaction, by item index.
  Json rows_of(const Json& transaction) {
    RegisterQuery q;
    q.provider = "LAB127";
    Json out = Json::array();
    for (const Json& r : all_pages(q)) {
      if (r["transaction"] == transaction) out.push_back(r);
    }
    return out;
  }
};

TEST_F(Register, RowsPerItemWithAmountsAndWhoDidWhat) {
  Json a = authorize("110000783851", {"000118", "000003", "000016"}, "2026-11-02T10:00:00-03:00");
  ASSERT_EQ(a["status"], "PARTIALLY_AUTHORIZED");
  Json c = consume("110000783851", a["order"], {0}, "2026-11-02T11:00:00-03:00");
  ASSERT_EQ(c["status"], "ACCEPTED");
  catch_up();
  Json rows = rows_of(a["order"]);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(statuses(rows), (std::vector<std::string>{"CONSUMED", "AUTHORIZED", "NEEDS_AUDIT"}));
  const Json& r0 = rows[0];
  EXPECT_EQ(r0["time"], "2026-11-02T10:00:00-03:00");
  EXPECT_EQ(r0["credential"], "110000783851");
  EXPECT_EQ(r0["affiliate"], "CATALDI, ADRIAN");
  EXPECT_EQ(r0["code"], "000118");
  EXPECT_EQ(r0["qty"], 1);
  EXPECT_EQ(r0["total"], "180.00");
  EXPECT_EQ(r0["copay"], "36.00");
  EXPECT_EQ(r0["covered"], "144.00");
  EXPECT_EQ(r0["channel"], "http");
  EXPECT_EQ(r0["registered_by"], "LAB127");
  EXPECT_EQ(r0["authorized_by"], "AUTOMATIC");
  EXPECT_EQ(r0["consumption"], c["transaction"]);
  EXPECT_EQ(r0["performed_at"], "2026-11-02T11:00:00-03:00");
  EXPECT_EQ(r0["emitted_by"], "LAB127");
  EXPECT_TRUE(rows[2]["authorized_by"].is_null());  // never authorized

  // Annulling the consumption puts its items back to AUTHORIZED.
  ASSERT_EQ(annul(c["transaction"], "2026-11-03T09:00:00-03:00")["status"], "ANNULLED");
  catch_up();
  rows = rows_of(a["order"]);
  EXPECT_EQ(statuses(rows), (std::vector<std::string>{"AUTHORIZED", "AUTHORIZED", "NEEDS_AUDIT"}));
  EXPECT_TRUE(rows[0]["consumption"].is_null());

  // Annulling the order annuls every item.
  Json n = annul(a["order"], "2026-11-03T09:30:00-03:00");
  ASSERT_EQ(n["status"], "ANNULLED");
  catch_up();
  rows = rows_of(a["order"]);
  EXPECT_EQ(statuses(rows), (std::vector<std::string>{"ANNULLED", "ANNULLED", "ANNULLED"}));
  EXPECT_EQ(rows[0]["annulled_by"], "LAB127");
  EXPECT_EQ(rows[0]["annulment"], n["transaction"]);
  EXPECT_EQ(rows[0]["annul_reason"], "error de carga");
  EXPECT_EQ(rows[0]["order_status"], "ANNULLED");
}

TEST_F(Register, ConsumeNowAndAnnulledOrderWithItsConsumption) {
  Json a = authorize("110000783851", {"000118"}, "2026-11-02T10:00:00-03:00", "LAB127", /*consume_now=*/true);
  catch_up();
  EXPECT_EQ(statuses(rows_of(a["order"])), std::vector<std::string>{"CONSUMED"});
  EXPECT_EQ(rows_of(a["order"])[0]["order_status"], "EMITTED");
  ASSERT_EQ(annul(a["order"], "2026-11-02T12:00:00-03:00")["status"], "ANNULLED");
  catch_up();
  EXPECT_EQ(statuses(rows_of(a["order"])), std::vector<std::string>{"ANNULLED"});
}

TEST_F(Register, RejectedAuthorizationsAreRows) {
  Json a = authorize("220000100002", {"000118", "000003"}, "2026-11-02T10:00:00-03:00");  // suspended
  ASSERT_EQ(a["status"], "REJECTED");
  catch_up();
  Json rows = rows_of(a["transaction"]);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(statuses(rows), (std::vector<std::string>{"REJECTED", "REJECTED"}));
  EXPECT_TRUE(rows[0]["order"].is_null());
  EXPECT_EQ(rows[0]["total"], "0.00");
  EXPECT_EQ(rows[0]["affiliate"], "PRUEBA, ANA");
}

TEST_F(Register, DentalRowsShowToothAndFaces) {
  Json a =
      h.run("authorize",
            {{"request_id", next_id()},
             {"provider", "DEN333"},
             {"credential", "354495"},
             {"diagnosis", "K029"},
             {"items", {{{"code", "100100"}, {"tooth", 12}}, {{"code", "20900"}, {"tooth", 17}, {"faces", "OM"}}}}},
            "2026-11-03T16:00:00-03:00");
  ASSERT_EQ(a["status"], "AUTHORIZED");
  catch_up();
  RegisterQuery q;
  q.provider = "DEN333";
  Json rows = register_rows(q)["items"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["tooth"], 12);
  EXPECT_TRUE(rows[0]["faces"].is_null());
  EXPECT_EQ(rows[1]["tooth"], 17);
  EXPECT_EQ(rows[1]["faces"], "OM");
  EXPECT_EQ(rows[1]["professional"], "22815.97");  // category increment of the provider
  EXPECT_EQ(rows[1]["copay"], "6844.79");
}

class RegisterQueries : public Register {
 protected:
  void SetUp() override {
    Register::SetUp();
    day1 = authorize("110000783851", {"000118", "000003"}, "2026-11-02T10:00:00-03:00");
    day2 = authorize("110000783852", {"000014"}, "2026-11-03T10:00:00-03:00");
    day2b = authorize("110000783853", {"000012", "000015"}, "2026-11-03T23:59:00-03:00");
    day3 = authorize("354495", {"000865"}, "2026-11-04T08:00:00-03:00");
    ASSERT_EQ(annul(day2["order"], "2026-11-04T09:00:00-03:00")["status"], "ANNULLED");
    catch_up();
  }
  Json day1, day2, day2b, day3;
};

TEST_F(RegisterQueries, FromToAreLocalDaysInclusive) {
  RegisterQuery q;
  q.provider = "LAB127";
  q.from = parse_date("2026-11-03");
  q.to = parse_date("2026-11-03");
  std::vector<Json> rows = all_pages(q);
  ASSERT_EQ(rows.size(), 3u);
  for (const Json& r : rows) EXPECT_EQ(r["time"].get<std::string>().substr(0, 10), "2026-11-03");
  q.to.reset();
  EXPECT_EQ(all_pages(q).size(), 4u);
  q.from.reset();
  q.to = parse_date("2026-11-02");
  EXPECT_EQ(all_pages(q).size(), 2u);
}

TEST_F(RegisterQueries, AnnulledIncludeExcludeOnly) {
  RegisterQuery q;
  q.provider = "LAB127";
  EXPECT_EQ(all_pages(q).size(), 6u);
  q.annulled = "only";
  std::vector<Json> only = all_pages(q);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0]["transaction"], day2["order"]);
  q.annulled = "exclude";
  std::vector<Json> rest = all_pages(q);
  EXPECT_EQ(rest.size(), 5u);
  for (const Json& r : rest) EXPECT_NE(r["status"], "ANNULLED");
}

TEST_F(RegisterQueries, DefaultOrderIsByDate) {
  RegisterQuery q;
  q.provider = "LAB127";
  std::vector<Json> rows = all_pages(q);
  ASSERT_EQ(rows.size(), 6u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LE(*parse_instant(rows[i - 1]["time"].get<std::string>()),
              *parse_instant(rows[i]["time"].get<std::string>()));
  }
}

TEST_F(RegisterQueries, OrderByCredentialPracticeAmount) {
  RegisterQuery q;
  q.provider = "LAB127";
  q.order_by = "credential";
  std::vector<Json> rows = all_pages(q);
  ASSERT_EQ(rows.size(), 6u);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_LE(rows[i - 1]["credential"], rows[i]["credential"]);
  q.order_by = "practice";
  rows = all_pages(q);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_LE(rows[i - 1]["code"], rows[i]["code"]);
  // By amount the largest come first: the 0.00 of refused items last.
  q.order_by = "amount";
  rows = all_pages(q);
  ASSERT_EQ(rows.size(), 6u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_GE(parse_cents(rows[i - 1]["total"].get<std::string>())->value,
              parse_cents(rows[i]["total"].get<std::string>())->value);
  }
  EXPECT_EQ(rows.front()["total"], "610.00");
  EXPECT_EQ(rows.back()["total"], "26.90");
  q.order = "asc";
  rows = all_pages(q);
  ASSERT_EQ(rows.size(), 6u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_LE(parse_cents(rows[i - 1]["total"].get<std::string>())->value,
              parse_cents(rows[i]["total"].get<std::string>())->value);
  }
  EXPECT_EQ(rows.front()["total"], "26.90");
  // Newest first by date.
  q.order_by = "date";
  q.order = "desc";
  rows = all_pages(q);
  ASSERT_EQ(rows.size(), 6u);
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_GE(rows[i - 1]["time"], rows[i]["time"]);
}

TEST_F(RegisterQueries, PagingVisitsEveryRowOnce) {
  for (const std::string order_by : {"date", "credential", "practice", "amount", "date desc", "amount asc"}) {
    RegisterQuery q;
    q.provider = "LAB127";
    q.order_by = order_by.substr(0, order_by.find(' '));
    if (order_by.find(' ') != std::string::npos) q.order = order_by.substr(order_by.find(' ') + 1);
    const std::vector<Json> one_page = all_pages(q);
    q.limit = 2;
    size_t pages = 0;
    const std::vector<Json> paged = all_pages(q, &pages);
    EXPECT_EQ(pages, 3u) << order_by;
    ASSERT_EQ(paged.size(), one_page.size()) << order_by;
    std::set<std::string> seen;
    for (size_t i = 0; i < paged.size(); ++i) {
      EXPECT_EQ(paged[i], one_page[i]) << order_by;
      seen.insert(paged[i]["transaction"].get<std::string>() + "/" + paged[i]["index"].dump());
    }
    EXPECT_EQ(seen.size(), paged.size()) << order_by;
  }
  RegisterQuery q;
  q.provider = "LAB127";
  q.limit = 6;
  EXPECT_TRUE(register_rows(q)["next"].is_null());  // an exact last page says so
}

TEST_F(RegisterQueries, BadParametersAreInvalidRequests) {
  Json out;
  auto field_of = [&](RegisterQuery q) {
    Status s = projections->register_rows(q, &out);
    EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
    return s.field();
  };
  RegisterQuery q;
  q.provider = "LAB127";
  q.annulled = "maybe";
  EXPECT_EQ(field_of(q), "annulled");
  q = {};
  q.provider = "LAB127";
  q.order_by = "colour";
  EXPECT_EQ(field_of(q), "order_by");
  q.order_by = "date";
  q.order = "sideways";
  EXPECT_EQ(field_of(q), "order");
  q = {};
  q.provider = "LAB127";
  q.limit = 0;
  EXPECT_EQ(field_of(q), "limit");
  q = {};
  q.provider = "LAB127";
  q.after = "not a cursor!";
  EXPECT_EQ(field_of(q), "after");
  // A cursor of another ordering is refused, not misread.
  q = {};
  q.provider = "LAB127";
  q.limit = 1;
  const std::string date_cursor = register_rows(q)["next"].get<std::string>();
  q.order_by = "amount";
  q.after = date_cursor;
  EXPECT_EQ(field_of(q), "after");
}

// ?transaction= keeps the rows of that transaction, whichever id of it is
// named (the order, a consumption of it); ?credential= one affiliate's.
TEST_F(RegisterQueries, FiltersByTransactionAndCredential) {
  RegisterQuery q;
  q.provider = "LAB127";
  const std::vector<Json> every = all_pages(q);
  ASSERT_FALSE(every.empty());
  const Json& first = every.front();
  q.transaction = first["transaction"].get<std::string>();
  std::vector<Json> rows = all_pages(q);
  ASSERT_FALSE(rows.empty());
  for (const Json& r : rows) EXPECT_EQ(r["transaction"], first["transaction"]);
  EXPECT_LT(rows.size(), every.size());
  for (const Json& r : every) {
    if (!r["consumption"].is_string()) continue;
    q.transaction = r["consumption"].get<std::string>();
    rows = all_pages(q);
    ASSERT_FALSE(rows.empty());
    for (const Json& c : rows) EXPECT_EQ(c["consumption"], r["consumption"]);
    break;
  }
  q = {};
  q.provider = "LAB127";
  q.credential = first["credential"].get<std::string>();
  rows = all_pages(q);
  ASSERT_FALSE(rows.empty());
  for (const Json& r : rows) EXPECT_EQ(r["credential"], first["credential"]);
  q.credential = "000000000000";
  EXPECT_TRUE(all_pages(q).empty());
}

TEST_F(RegisterQueries, UnknownProviderHasAnEmptyRegister) {
  RegisterQuery q;
  q.provider = "NOBODY";
  Json out = register_rows(q);
  EXPECT_TRUE(out["items"].empty());
  EXPECT_TRUE(out["next"].is_null());
}

TEST_F(RegisterQueries, CsvHtmlPdfExports) {
  RegisterQuery q;
  q.provider = "LAB127";
  Json page = register_rows(q);
  const std::string csv = print::register_csv(page);
  const std::string header = csv.substr(0, csv.find("\r\n"));
  EXPECT_EQ(header,
            "transaction,time,credential,affiliate,code,description,tooth,faces,qty,status,professional,expenses,total,"
            "copay,covered,channel,registered_by,authorized_by,consumption,performed_at,emitted_by,annulment,"
            "annulled_by,annul_reason");
  size_t lines = 0;
  for (size_t at = 0; (at = csv.find("\r\n", at)) != std::string::npos; at += 2) ++lines;
  EXPECT_EQ(lines, 7u);  // header + 6 rows
  const std::string first_row = csv.substr(header.size() + 2, csv.find("\r\n", header.size() + 2) - header.size() - 2);
  EXPECT_EQ(first_row.substr(0, day1["order"].get<std::string>().size()), day1["order"].get<std::string>());
  EXPECT_NE(
      first_row.find(",\"CATALDI, ADRIAN\",000118,ACTO BIOQUIMICO,,,1,AUTHORIZED,180.00,0.00,180.00,36.00,144.00,"),
      std::string::npos)
      << first_row;
  EXPECT_EQ(print::register_csv(page["items"]), csv);  // items alone export the same

  const std::string html = print::register_html(page, "LAB127 <x>");
  EXPECT_NE(html.find("<table>"), std::string::npos);
  EXPECT_NE(html.find("LAB127 &lt;x&gt;"), std::string::npos);
  EXPECT_NE(html.find("CATALDI, ADRIAN"), std::string::npos);

  EXPECT_NE(html.find("<html lang=\"es\">"), std::string::npos);
  EXPECT_NE(html.find("Autorizado"), std::string::npos) << "statuses in Spanish";

  const std::string txt = print::register_txt(page, "LAB127");
  EXPECT_NE(txt.find("CATALDI, ADRIAN"), std::string::npos);
  EXPECT_NE(txt.find("$ 180,00"), std::string::npos);

  // The PDF is read back with pdftotext in tests/print/documents_test.cc.
  const std::string pdf = print::register_pdf(page, "LAB127");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
}

}  // namespace
}  // namespace autoriza::testing
