// Consume and annul (docs/rules.md §7, §10-11).
#include <gtest/gtest.h>

#include "engine/core/money.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

class Orders : public ::testing::Test {
 protected:
  // A dental budget of three items for 354495 at DEN333, authorized at `at`.
  std::string budget(const std::string& id, const std::string& at = "2026-11-03T16:00:00-03:00") {
    Json a = h.run("authorize",
                   {{"request_id", id}, {"provider", "DEN333"}, {"credential", "354495"}, {"diagnosis", "K029"},
                    {"items", {{{"code", "100100"}, {"tooth", 12}}, {{"code", "10101"}}, {{"code", "20800"}, {"tooth", 15}, {"faces", "O"}}}}},
                   at);
    EXPECT_EQ(a["status"], "AUTHORIZED") << a.dump();
    return a["order"].get<std::string>();
  }
  Json consume(const std::string& id, const std::string& order, Json items, const std::string& at,
               const std::string& credential = "354495", const std::string& provider = "DEN333", Json extra = Json::object()) {
    Json body = {{"request_id", id}, {"provider", provider}, {"credential", credential}, {"order", order}, {"items", items}};
    body.update(extra);
    return h.run("consume", body, at);
  }
  Json annul(const std::string& id, const std::string& tx, const std::string& at, const std::string& provider = "DEN333") {
    return h.run("annul", {{"request_id", id}, {"provider", provider}, {"transaction", tx}, {"reason", "error de carga"}}, at);
  }
  Harness h;
};

TEST_F(Orders, ConsumeListsConsumedItemsWithTotals) {
  const std::string order = budget("b1");
  Json c = consume("c1", order, {0, 2}, "2026-11-04T10:00:00-03:00");
  EXPECT_EQ(c["status"], "ACCEPTED");
  ASSERT_EQ(c["items"].size(), 2u);
  EXPECT_EQ(c["items"][0]["index"], 0);
  EXPECT_EQ(c["items"][1]["index"], 2);
  EXPECT_EQ(c["items"][1]["status"], "CONSUMED");
  EXPECT_EQ(c["totals"]["total"], "35134.62");  // 16675.00 + 18459.62
  EXPECT_NE(c["transaction"], order);
}

TEST_F(Orders, ConsumeReasons) {
  const std::string order = budget("b1");
  const std::string at = "2026-11-04T10:00:00-03:00";
  EXPECT_EQ(codes(consume("x1", "T-0-999", {0}, at)["reasons"]), std::vector<std::string>{"ORDER_NOT_FOUND"});
  EXPECT_EQ(codes(consume("x2", order, {0}, at, "354495", "LAB127")["reasons"]), std::vector<std::string>{"ORDER_PROVIDER_MISMATCH"});
  EXPECT_EQ(codes(consume("x3", order, {0}, at, "438908")["reasons"]), std::vector<std::string>{"ORDER_AFFILIATE_MISMATCH"});
  EXPECT_EQ(codes(consume("x4", order, {7}, at)["reasons"]), std::vector<std::string>{"ITEM_NOT_AUTHORIZED"});
  EXPECT_EQ(codes(consume("x5", order, {0}, at, "354495", "DEN333", {{"performed_at", "2026-11-04T10:00:01-03:00"}})["reasons"]),
            std::vector<std::string>{"PERFORMED_IN_FUTURE"});
  EXPECT_EQ(codes(consume("x6", order, {0}, at, "354495", "DEN333", {{"performed_at", "2026-11-03T15:59:59-03:00"}})["reasons"]),
            std::vector<std::string>{"PERFORMED_BEFORE_AUTHORIZATION"});
  // Nothing of a rejected consume was consumed: all or nothing.
  EXPECT_EQ(codes(consume("x7", order, {0, 9}, at)["reasons"]), std::vector<std::string>{"ITEM_NOT_AUTHORIZED"});
  EXPECT_EQ(consume("x8", order, {0}, at)["status"], "ACCEPTED");
  EXPECT_EQ(codes(consume("x9", order, {0, 1}, at)["reasons"]), std::vector<std::string>{"ITEM_ALREADY_CONSUMED"});
  // Request-level group first, then the order.
  EXPECT_EQ(codes(consume("x10", order, {0}, at, "220000100002")["reasons"]),
            (std::vector<std::string>{"AFFILIATE_SUSPENDED", "ORDER_AFFILIATE_MISMATCH", "ITEM_ALREADY_CONSUMED"}));
}

TEST_F(Orders, OrderExpiresAfterNinetyDays) {
  const std::string order = budget("b1", "2026-08-01T10:00:00-03:00");
  EXPECT_EQ(consume("e1", order, {0}, "2026-10-30T23:00:00-03:00")["status"], "ACCEPTED");  // day 90
  EXPECT_EQ(codes(consume("e2", order, {1}, "2026-10-31T08:00:00-03:00")["reasons"]), std::vector<std::string>{"ORDER_EXPIRED"});
}

TEST_F(Orders, AnnulConsumptionReturnsItemsAndAnnulOrderBlocksConsume) {
  const std::string order = budget("b1");
  Json c = consume("c1", order, {1}, "2026-11-04T10:00:00-03:00");
  Json n = annul("n1", c["transaction"], "2026-11-04T11:00:00-03:00");
  EXPECT_EQ(n["status"], "ANNULLED");
  EXPECT_NE(n["transaction"], c["transaction"]);  // the annulment's own id
  EXPECT_EQ(codes(annul("n2", c["transaction"], "2026-11-04T11:01:00-03:00")["reasons"]), std::vector<std::string>{"ALREADY_ANNULLED"});
  EXPECT_EQ(consume("c2", order, {1}, "2026-11-04T12:00:00-03:00")["status"], "ACCEPTED");
  EXPECT_EQ(annul("n3", order, "2026-11-04T13:00:00-03:00")["status"], "ANNULLED");
  EXPECT_EQ(codes(consume("c3", order, {0}, "2026-11-04T14:00:00-03:00")["reasons"]), std::vector<std::string>{"ORDER_ANNULLED"});
  // The order's consumption fell with it.
  Json view = h.get("/v1/transactions/" + c["transaction"].get<std::string>());
  EXPECT_EQ(view["consumption"]["status"], "ANNULLED");
  Json ov = h.get("/v1/transactions/" + order);
  EXPECT_EQ(ov["order"]["status"], "ANNULLED");
}

TEST_F(Orders, AnnulReasons) {
  const std::string order = budget("b1");
  EXPECT_EQ(codes(annul("a1", "T-0-777", "2026-11-04T10:00:00-03:00")["reasons"]), std::vector<std::string>{"TRANSACTION_NOT_FOUND"});
  EXPECT_EQ(codes(annul("a2", "nonsense", "2026-11-04T10:00:00-03:00")["reasons"]), std::vector<std::string>{"TRANSACTION_NOT_FOUND"});
  EXPECT_EQ(codes(annul("a3", order, "2026-11-04T10:00:00-03:00", "LAB127")["reasons"]), std::vector<std::string>{"ANNUL_FORBIDDEN_PROVIDER"});
  EXPECT_EQ(codes(annul("a4", order, "2026-12-04T10:00:00-03:00")["reasons"]), std::vector<std::string>{"ANNUL_WINDOW_EXPIRED"});
  EXPECT_EQ(annul("a5", order, "2026-12-03T23:59:00-03:00")["status"], "ANNULLED");  // day 30
  EXPECT_EQ(codes(annul("a6", order, "2026-12-03T23:59:30-03:00", "NOPE")["reasons"]),
            (std::vector<std::string>{"PROVIDER_NOT_FOUND", "ANNUL_FORBIDDEN_PROVIDER", "ALREADY_ANNULLED"}));
}

TEST_F(Orders, AnnulledItemsNoLongerCountForFrequency) {
  Json a = h.run("authorize", {{"request_id", "f1"}, {"provider", "DEN333"}, {"credential", "354495"}, {"diagnosis", "K029"},
                               {"items", {{{"code", "50100"}}}}}, "2026-11-03T10:00:00-03:00");
  ASSERT_EQ(a["status"], "AUTHORIZED");
  Json b = h.run("authorize", {{"request_id", "f2"}, {"provider", "DEN333"}, {"credential", "354495"}, {"diagnosis", "K029"},
                               {"items", {{{"code", "50100"}}}}}, "2026-11-04T10:00:00-03:00");
  EXPECT_EQ(codes(b["items"][0]["reasons"]), std::vector<std::string>{"FREQUENCY_EXCEEDED"});
  ASSERT_EQ(annul("f3", a["order"], "2026-11-04T10:01:00-03:00")["status"], "ANNULLED");
  Json c = h.run("authorize", {{"request_id", "f4"}, {"provider", "DEN333"}, {"credential", "354495"}, {"diagnosis", "K029"},
                               {"items", {{{"code", "50100"}}}}}, "2026-11-04T10:02:00-03:00");
  EXPECT_EQ(c["status"], "AUTHORIZED");
}

TEST_F(Orders, AnnulConsumeNowOrderAnnulsItsConsumption) {
  Json a = h.run("authorize", {{"request_id", "k1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"consume_now", true},
                               {"prescribed_on", "2026-10-30"}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                               {"items", {{{"code", "000118"}}}}}, "2026-11-02T10:00:00-03:00");
  ASSERT_EQ(a["items"][0]["status"], "CONSUMED");
  EXPECT_EQ(annul("k2", a["transaction"], "2026-11-02T11:00:00-03:00", "LAB127")["status"], "ANNULLED");
  Json view = h.get("/v1/transactions/" + a["transaction"].get<std::string>());
  EXPECT_EQ(view["order"]["status"], "ANNULLED");
  EXPECT_EQ(view["consumption"]["status"], "ANNULLED");
}

// "Solo honorarios" / "solo gastos" (docs/rules.md §10): a practice that
// allows it bills only that part; one that does not is refused.
class Parts : public Orders {
 protected:
  void SetUp() override {
    fb::PracticeT xray;  // a dental X-ray with both parts, either alone allowed
    xray.code = "90101";
    xray.kind = fb::PracticeKind::DENTAL;
    xray.description = "RADIOGRAFIA PERIAPICAL";
    xray.professional_fee_cents = 420000;
    xray.expenses_fee_cents = 280000;
    xray.max_qty = 2;
    xray.professional_only = true;
    xray.expenses_only = true;
    std::vector<fb::ReferenceRecordUnion> records(1);
    records[0].Set(std::move(xray));
    ReferenceLoadStats stats;
    ASSERT_TRUE(h.engine().load_reference(records, &stats).is_ok());
    Json a = h.run("authorize",
                   {{"request_id", "b1"}, {"provider", "DEN333"}, {"credential", "354495"}, {"diagnosis", "K029"},
                    {"items", {{{"code", "90101"}}, {{"code", "10101"}}}}},
                   "2026-11-03T16:00:00-03:00");
    ASSERT_EQ(a["status"], "AUTHORIZED") << a.dump();
    order = a["order"].get<std::string>();
    whole = a["items"][0];
  }
  std::string order;
  Json whole;
};

TEST_F(Parts, ProfessionalOnlyBillsTheFeeAndItsShareOfTheCopay) {
  Json c = consume("c1", order, {0}, "2026-11-04T10:00:00-03:00", "354495", "DEN333", {{"part", "PROFESSIONAL_ONLY"}});
  ASSERT_EQ(c["status"], "ACCEPTED") << c.dump();
  const Json& item = c["items"][0];
  EXPECT_EQ(item["professional"], whole["professional"]);
  EXPECT_EQ(item["expenses"], "0.00");
  EXPECT_EQ(item["total"], whole["professional"]);
  // copay x professional / total, half up.
  const int64_t copay = parse_cents(whole["copay"].get<std::string>())->value;
  const int64_t prof = parse_cents(whole["professional"].get<std::string>())->value;
  const int64_t total = parse_cents(whole["total"].get<std::string>())->value;
  EXPECT_EQ(item["copay"], format_cents(Cents{(copay * prof * 2 + total) / (total * 2)}));
  EXPECT_EQ(c["totals"]["total"], whole["professional"]);
  // The item is consumed: the other part is not billed later.
  EXPECT_EQ(codes(consume("c2", order, {0}, "2026-11-04T11:00:00-03:00", "354495", "DEN333", {{"part", "EXPENSES_ONLY"}})["reasons"]),
            std::vector<std::string>{"ITEM_ALREADY_CONSUMED"});
}

TEST_F(Parts, ExpensesOnlyAndAPracticeThatDoesNotAllowIt) {
  Json c = consume("c1", order, {0}, "2026-11-04T10:00:00-03:00", "354495", "DEN333", {{"part", "EXPENSES_ONLY"}});
  ASSERT_EQ(c["status"], "ACCEPTED") << c.dump();
  EXPECT_EQ(c["items"][0]["professional"], "0.00");
  EXPECT_EQ(c["items"][0]["expenses"], whole["expenses"]);
  // 10101 (consulta) allows neither: the whole consume is refused.
  Json r = consume("c2", order, {1}, "2026-11-04T10:00:00-03:00", "354495", "DEN333", {{"part", "PROFESSIONAL_ONLY"}});
  EXPECT_EQ(codes(r["reasons"]), std::vector<std::string>{"PART_NOT_ALLOWED"});
  EXPECT_EQ(consume("c3", order, {1}, "2026-11-04T10:00:00-03:00")["status"], "ACCEPTED");
  EXPECT_EQ(consume("c4", order, {1}, "2026-11-04T10:00:00-03:00", "354495", "DEN333", {{"part", "HALF"}})["error"]["field"], "part");
}

TEST(MoneyParts, ShareOfTheCopayRoundsHalfUpAndTheWholeIsUnchanged) {
  const ItemAmounts whole{Cents{300}, Cents{100}, Cents{400}, Cents{101}, Cents{299}};
  const ItemAmounts prof = part_of(whole, BilledPart::kProfessionalOnly);
  EXPECT_EQ(prof.total, Cents{300});
  EXPECT_EQ(prof.copay, Cents{76});  // 101 x 300 / 400 = 75.75
  EXPECT_EQ(prof.covered, Cents{224});
  const ItemAmounts exp = part_of(whole, BilledPart::kExpensesOnly);
  EXPECT_EQ(exp.copay, Cents{25});  // 25.25
  EXPECT_EQ(part_of(whole, BilledPart::kAll).copay, Cents{101});
  const ItemAmounts big{Cents{kCentsMax}, Cents{kCentsMax}, Cents{2 * kCentsMax}, Cents{kCentsMax}, Cents{kCentsMax}};
  EXPECT_EQ(part_of(big, BilledPart::kProfessionalOnly).copay, Cents{kCentsMax / 2});  // no overflow
}

}  // namespace
}  // namespace autoriza::testing
