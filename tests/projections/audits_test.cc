// The audit queue and one SAP's detail, through verdicts, consumption and
// annulment.
#include "tests/projections/projections_fixture.h"

namespace autoriza::testing {
namespace {

class Audits : public ProjectionsTest {
 protected:
  void SetUp() override {
    ProjectionsTest::SetUp();
    s1 = open_sap("110000783851", {"000118", "000016"}, "2026-11-10T10:03:00-03:00");
    ASSERT_EQ(s1["status"], "AUDIT_PENDING");
    s2 = open_sap("110000783852", {"000860"}, "2026-11-12T09:00:00-03:00", "LAB200");
    ASSERT_EQ(s2["status"], "AUDIT_PENDING");
    catch_up();
  }

  Json audits(AuditQuery q) {
    Json out;
    Status s = projections->audits(q, &out);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }

  Json audit(const Json& sap) {
    Json out;
    Status s = projections->audit(sap.get<std::string>(), &out);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    return out;
  }

  Json s1, s2;
};

TEST_F(Audits, QueueRowsAndFilters) {
  Json all = audits({});
  ASSERT_EQ(all["items"].size(), 2u);
  EXPECT_TRUE(all["next"].is_null());
  const Json& row = all["items"][0];  // oldest first
  EXPECT_EQ(row["sap"], s1["sap"]);
  EXPECT_EQ(row["status"], "PENDING");
  EXPECT_EQ(row["provider"], "LAB127");
  EXPECT_EQ(row["credential"], "110000783851");
  EXPECT_EQ(row["time"], "2026-11-10T10:03:00-03:00");
  EXPECT_EQ(row["pending"], 1);

  AuditQuery q;
  q.provider = "LAB200";
  ASSERT_EQ(audits(q)["items"].size(), 1u);
  EXPECT_EQ(audits(q)["items"][0]["sap"], s2["sap"]);
  q = {};
  q.from = parse_date("2026-11-11");
  ASSERT_EQ(audits(q)["items"].size(), 1u);
  q = {};
  q.to = parse_date("2026-11-10");
  ASSERT_EQ(audits(q)["items"].size(), 1u);
  EXPECT_EQ(audits(q)["items"][0]["sap"], s1["sap"]);
  q = {};
  q.status = "AUTHORIZED";
  EXPECT_TRUE(audits(q)["items"].empty());

  Json out;
  q.status = "MAYBE";
  EXPECT_EQ(projections->audits(q, &out).field(), "status");
}

TEST_F(Audits, PagingThroughTheQueue) {
  AuditQuery q;
  q.limit = 1;
  Json first = audits(q);
  ASSERT_EQ(first["items"].size(), 1u);
  ASSERT_TRUE(first["next"].is_string());
  q.after = first["next"].get<std::string>();
  Json second = audits(q);
  ASSERT_EQ(second["items"].size(), 1u);
  EXPECT_EQ(second["items"][0]["sap"], s2["sap"]);
  EXPECT_TRUE(second["next"].is_null());
  // A cursor of the whole queue does not page a provider's.
  q.provider = "LAB200";
  Json out;
  EXPECT_EQ(projections->audits(q, &out).field(), "after");
}

TEST_F(Audits, DetailHasPrescriptionItemsAndMessages) {
  Json d = audit(s1["sap"]);
  EXPECT_EQ(d["status"], "PENDING");
  EXPECT_EQ(d["diagnosis"], "K76.0");
  EXPECT_EQ(d["note"], "HC adjunta");
  EXPECT_EQ(d["affiliate"], "CATALDI, ADRIAN");
  EXPECT_EQ(d["prescription"],
            (Json{{"prescribed_on", "2026-10-30"}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}}}));
  ASSERT_EQ(d["items"].size(), 2u);
  ASSERT_EQ(d["pre_authorized"].size(), 1u);
  EXPECT_EQ(d["pre_authorized"][0]["code"], "000118");
  ASSERT_EQ(d["pending_items"].size(), 1u);
  EXPECT_EQ(d["pending_items"][0]["code"], "000016");
  EXPECT_EQ(d["pending_items"][0]["total"], "269.00");
  EXPECT_TRUE(d["messages"].empty());

  Json out;
  EXPECT_EQ(projections->audit("SAP-0-999", &out).kind(), StatusKind::kNotFound);
}

TEST_F(Audits, VerdictsConsumptionAndAnnulmentMoveTheSap) {
  ASSERT_EQ(verdict(s1["sap"], "REQUEST_DOCS", "enviar HC", "2026-11-11T08:00:00-03:00")["status"], "DOCS_REQUESTED");
  catch_up();
  Json d = audit(s1["sap"]);
  EXPECT_EQ(d["status"], "DOCS_REQUESTED");
  ASSERT_EQ(d["messages"].size(), 1u);
  EXPECT_EQ(d["messages"][0]["verdict"], "REQUEST_DOCS");
  EXPECT_EQ(d["messages"][0]["message"], "enviar HC");
  EXPECT_EQ(d["messages"][0]["auditor"], "AUD01");
  EXPECT_EQ(d["pending_items"].size(), 1u);

  Json v = verdict(s1["sap"], "AUTHORIZE", "ok", "2026-11-11T09:00:00-03:00");
  ASSERT_EQ(v["status"], "AUTHORIZED");
  catch_up();
  d = audit(s1["sap"]);
  EXPECT_EQ(d["status"], "AUTHORIZED");
  EXPECT_EQ(d["order"], v["order"]);
  ASSERT_EQ(d["messages"].size(), 2u);
  EXPECT_EQ(d["messages"][1]["verdict"], "AUTHORIZE");
  EXPECT_EQ(d["messages"][1]["time"], "2026-11-11T09:00:00-03:00");
  EXPECT_TRUE(d["pending_items"].empty());
  AuditQuery pending;
  pending.status = "PENDING,DOCS_REQUESTED";
  ASSERT_EQ(audits(pending)["items"].size(), 1u);
  EXPECT_EQ(audits(pending)["items"][0]["sap"], s2["sap"]);

  // The verdict's order is in the register, authorized by the auditor.
  RegisterQuery rq;
  rq.provider = "LAB127";
  Json rows = register_rows(rq)["items"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["transaction"], v["order"]);
  EXPECT_EQ(rows[0]["sap"], s1["sap"]);
  EXPECT_EQ(rows[1]["authorized_by"], "auditor:AUD01");
  EXPECT_EQ(rows[1]["time"], "2026-11-11T09:00:00-03:00");

  Json c = consume("110000783851", v["order"], {0, 1}, "2026-11-11T10:00:00-03:00");
  ASSERT_EQ(c["status"], "ACCEPTED");
  catch_up();
  EXPECT_EQ(audit(s1["sap"])["status"], "EMITTED");
  ASSERT_EQ(annul(c["transaction"], "2026-11-11T11:00:00-03:00")["status"], "ANNULLED");
  catch_up();
  EXPECT_EQ(audit(s1["sap"])["status"], "AUTHORIZED");

  Json n = annul(s1["sap"], "2026-11-11T12:00:00-03:00");
  ASSERT_EQ(n["status"], "ANNULLED");
  catch_up();
  d = audit(s1["sap"]);
  EXPECT_EQ(d["status"], "ANNULLED");
  EXPECT_EQ(d["annulment"]["transaction"], n["transaction"]);
  EXPECT_EQ(statuses(register_rows(rq)["items"]), (std::vector<std::string>{"ANNULLED", "ANNULLED"}));
  AuditQuery annulled;
  annulled.status = "ANNULLED";
  EXPECT_EQ(audits(annulled)["items"].size(), 1u);
}

TEST_F(Audits, RejectedSapIssuesNoOrder) {
  RegisterQuery rq;
  rq.provider = "LAB200";
  Json rows = register_rows(rq)["items"];  // pending: the request's own row
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["transaction"], s2["transaction"]);
  EXPECT_EQ(rows[0]["sap"], s2["sap"]);
  EXPECT_TRUE(rows[0]["order"].is_null());
  EXPECT_EQ(rows[0]["status"], "NEEDS_AUDIT");
  EXPECT_EQ(rows[0]["order_status"], "PENDING");

  ASSERT_EQ(verdict(s2["sap"], "REJECT", "no corresponde", "2026-11-13T08:00:00-03:00")["status"], "REJECTED");
  catch_up();
  Json d = audit(s2["sap"]);
  EXPECT_EQ(d["status"], "REJECTED");
  EXPECT_TRUE(d["order"].is_null());
  EXPECT_EQ(d["items"][0]["status"], "REJECTED");
  rows = register_rows(rq)["items"];  // the rejected request stays listed, without an order
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["status"], "REJECTED");
  EXPECT_EQ(rows[0]["order_status"], "REJECTED");
  EXPECT_TRUE(rows[0]["order"].is_null());
}

TEST_F(Audits, TheProvidersAnswerReturnsTheSapToTheAuditor) {
  const std::string doc = h.upload("LAB127");
  ASSERT_EQ(verdict(s1["sap"], "REQUEST_DOCS", "enviar HC", "2026-11-11T08:00:00-03:00")["status"], "DOCS_REQUESTED");
  Json a = h.run("audit_answer",
                 {{"request_id", next_id()}, {"provider", "LAB127"}, {"sap", s1["sap"]}, {"message", "va la HC"},
                  {"documents", {doc}}},
                 "2026-11-11T08:30:00-03:00");
  ASSERT_EQ(a["status"], "PENDING") << a.dump();
  catch_up();
  Json d = audit(s1["sap"]);
  EXPECT_EQ(d["status"], "PENDING");
  ASSERT_EQ(d["messages"].size(), 2u);
  EXPECT_EQ(d["messages"][1]["provider"], "LAB127");
  EXPECT_EQ(d["messages"][1]["message"], "va la HC");
  EXPECT_EQ(d["messages"][1]["documents"], Json::array({doc}));
  EXPECT_FALSE(d["messages"][1].contains("verdict"));
  RegisterQuery rq;
  rq.provider = "LAB127";
  EXPECT_EQ(register_rows(rq)["items"][0]["order_status"], "PENDING");

  // A second answer, with nothing asked, is refused and changes nothing.
  Json again = h.run("audit_answer", {{"request_id", next_id()}, {"provider", "LAB127"}, {"sap", s1["sap"]}, {"message", "otra"}},
                     "2026-11-11T08:40:00-03:00");
  EXPECT_EQ(again["status"], "REFUSED");
  EXPECT_EQ(again["reasons"][0]["code"], "SAP_NOT_AWAITING_DOCS");
  catch_up();
  EXPECT_EQ(audit(s1["sap"])["messages"].size(), 2u);
}

}  // namespace
}  // namespace autoriza::testing
