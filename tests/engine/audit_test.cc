// Audit requests (SAP) and verdicts (docs/rules.md §9).
#include <gtest/gtest.h>

#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

class Audit : public ::testing::Test {
 protected:
  // Items: 0 AUTHORIZED (000118), 1 pending requires_audit (000016),
  // 2 pending QUANTITY_EXCEEDED (000012 x4), 3 REJECTED PRACTICE_NOT_FOUND.
  Json open_sap(const std::string& id) {
    return h.run("authorize",
                 {{"request_id", id}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"mode", "audit"},
                  {"diagnosis", "K76.0"}, {"note", "HC adjunta"}, {"prescribed_on", "2026-10-30"},
                  {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                  {"items", {{{"code", "000118"}}, {{"code", "000016"}}, {{"code", "000012"}, {"qty", 4}}, {{"code", "999999"}}}}},
                 kAt);
  }
  Json verdict(const std::string& id, const Json& sap, const std::string& verdict, Json items = nullptr,
               const std::string& at = "2026-11-03T09:00:00-03:00") {
    Json body = {{"request_id", id}, {"auditor", "AUD01"}, {"sap", sap}, {"verdict", verdict}, {"message", "revisado"}};
    if (!items.is_null()) body["items"] = items;
    return h.run("audit_verdict", body, at);
  }
  Harness h;
};

TEST_F(Audit, OpeningKeepsPreAuthorizedAndSendsAuditableToTheAuditor) {
  Json s = open_sap("s1");
  EXPECT_EQ(s["status"], "AUDIT_PENDING");
  ASSERT_TRUE(s["sap"].is_string());
  EXPECT_FALSE(s.contains("order"));
  EXPECT_EQ(s["items"][0]["status"], "AUTHORIZED");
  EXPECT_EQ(s["items"][1]["status"], "NEEDS_AUDIT");
  EXPECT_EQ(s["items"][2]["status"], "NEEDS_AUDIT");
  EXPECT_EQ(codes(s["items"][2]["reasons"]), std::vector<std::string>{"QUANTITY_EXCEEDED"});
  EXPECT_EQ(s["items"][3]["status"], "REJECTED");
  EXPECT_EQ(s["totals"]["total"], "180.00");
  // Pending items do not count for frequency until authorized.
  Json sap = h.get("/v1/transactions/" + s["sap"].get<std::string>());
  EXPECT_EQ(sap["sap"]["status"], "PENDING");
  EXPECT_EQ(sap["sap"]["diagnosis"], "K76.0");
}

TEST_F(Audit, AuthorizeIssuesAnOrderWithTheVerdictsIdAndTime) {
  Json s = open_sap("s1");
  Json v = verdict("v1", s["sap"], "AUTHORIZE");
  EXPECT_EQ(v["status"], "PARTIALLY_AUTHORIZED");  // item 3 stays rejected
  ASSERT_TRUE(v.contains("order"));
  EXPECT_EQ(v["order"], v["transaction"]);
  Json c = h.run("consume", {{"request_id", "c1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"order", v["order"]},
                             {"items", {0, 1, 2}}, {"performed_at", "2026-11-03T09:30:00-03:00"}},
                 "2026-11-03T10:00:00-03:00");
  EXPECT_EQ(c["status"], "ACCEPTED");
  // Before the verdict's time is before the authorization.
  Json early = h.run("consume", {{"request_id", "c2"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"order", v["order"]},
                                 {"items", {3}}, {"performed_at", "2026-11-03T08:00:00-03:00"}},
                     "2026-11-03T10:00:00-03:00");
  EXPECT_EQ(codes(early["reasons"]), (std::vector<std::string>{"ITEM_NOT_AUTHORIZED", "PERFORMED_BEFORE_AUTHORIZATION"}));
  Json sap = h.get("/v1/transactions/" + s["sap"].get<std::string>());
  EXPECT_EQ(sap["sap"]["status"], "EMITTED");
  EXPECT_EQ(sap["sap"]["messages"].size(), 1u);
}

TEST_F(Audit, RejectKeepsPreAuthorizedItems) {
  Json s = open_sap("s1");
  Json v = verdict("v1", s["sap"], "REJECT");
  EXPECT_EQ(v["status"], "PARTIALLY_AUTHORIZED");
  EXPECT_EQ(v["items"][0]["status"], "AUTHORIZED");
  EXPECT_EQ(v["items"][1]["status"], "REJECTED");
  EXPECT_EQ(v["items"][2]["status"], "REJECTED");
}

TEST_F(Audit, PartialDecidesListedAndRejectsUnlisted) {
  Json s = open_sap("s1");
  Json v = verdict("v1", s["sap"], "PARTIAL", {{{"index", 2}, {"decision", "AUTHORIZE"}}});
  EXPECT_EQ(v["items"][1]["status"], "REJECTED");
  EXPECT_EQ(v["items"][2]["status"], "AUTHORIZED");
  EXPECT_EQ(v["status"], "PARTIALLY_AUTHORIZED");
}

TEST_F(Audit, PartialErrors) {
  Json s = open_sap("s1");
  Json no_items = verdict("v1", s["sap"], "PARTIAL");
  EXPECT_EQ(no_items["error"]["code"], "INVALID_REQUEST");
  EXPECT_EQ(no_items["error"]["field"], "items");
  Json not_pending = verdict("v2", s["sap"], "PARTIAL", {{{"index", 0}, {"decision", "AUTHORIZE"}}});
  EXPECT_EQ(not_pending["error"]["code"], "INVALID_REQUEST");
  EXPECT_EQ(not_pending["error"]["field"], "items[0].index");
  Json repeated = verdict("v3", s["sap"], "PARTIAL", {{{"index", 1}, {"decision", "AUTHORIZE"}}, {{"index", 1}, {"decision", "REJECT"}}});
  EXPECT_EQ(repeated["error"]["code"], "INVALID_REQUEST");
  // None of these wrote anything: the SAP is still pending.
  EXPECT_EQ(verdict("v4", s["sap"], "AUTHORIZE")["status"], "PARTIALLY_AUTHORIZED");
}

TEST_F(Audit, DocsRequestedThenDecidedThenAlreadyDecided) {
  Json s = open_sap("s1");
  Json d = verdict("v1", s["sap"], "REQUEST_DOCS");
  EXPECT_EQ(d["status"], "DOCS_REQUESTED");
  EXPECT_FALSE(d.contains("order"));
  EXPECT_EQ(verdict("v2", s["sap"], "REQUEST_DOCS")["status"], "DOCS_REQUESTED");
  EXPECT_EQ(verdict("v3", s["sap"], "AUTHORIZE")["status"], "PARTIALLY_AUTHORIZED");
  Json again = verdict("v4", s["sap"], "REJECT");
  EXPECT_EQ(again["status"], "REFUSED");
  EXPECT_EQ(codes(again["reasons"]), std::vector<std::string>{"SAP_ALREADY_DECIDED"});
  Json none = verdict("v5", "SAP-0-999", "AUTHORIZE");
  EXPECT_EQ(codes(none["reasons"]), std::vector<std::string>{"SAP_NOT_FOUND"});
  Json sap = h.get("/v1/transactions/" + s["sap"].get<std::string>());
  EXPECT_EQ(sap["sap"]["messages"].size(), 3u);
}

TEST_F(Audit, AllRejectedVerdictIssuesNoOrder) {
  Json s = h.run("authorize", {{"request_id", "s2"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"mode", "audit"},
                               {"diagnosis", "K76.0"}, {"prescribed_on", "2026-10-30"}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                               {"items", {{{"code", "000016"}}}}}, kAt);
  Json v = verdict("v1", s["sap"], "REJECT");
  EXPECT_EQ(v["status"], "REJECTED");
  EXPECT_FALSE(v.contains("order"));
}

TEST_F(Audit, AnnullingTheSapAnnulsItsOrder) {
  Json s = open_sap("s1");
  Json v = verdict("v1", s["sap"], "AUTHORIZE");
  Json n = h.run("annul", {{"request_id", "n1"}, {"provider", "LAB127"}, {"transaction", s["transaction"]}, {"reason", "duplicada"}},
                 "2026-11-03T10:00:00-03:00");
  EXPECT_EQ(n["status"], "ANNULLED");
  Json c = h.run("consume", {{"request_id", "c1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"order", v["order"]}, {"items", {0}}},
                 "2026-11-03T10:05:00-03:00");
  EXPECT_EQ(codes(c["reasons"]), std::vector<std::string>{"ORDER_ANNULLED"});
  EXPECT_EQ(codes(verdict("v2", s["sap"], "AUTHORIZE")["reasons"]), std::vector<std::string>{"SAP_ALREADY_DECIDED"});
}

// The provider's answer to a request for documents (audit_answer).
TEST_F(Audit, AnAnswerReturnsARequestForDocumentsToTheAuditor) {
  const std::string doc = h.upload("LAB127");
  Json s = open_sap("s1");
  auto answer = [&](const std::string& id, const std::string& provider, const Json& sap, const std::string& at) {
    return h.run("audit_answer",
                 {{"request_id", id}, {"provider", provider}, {"sap", sap}, {"message", "HC"}, {"documents", {doc}}}, at);
  };
  EXPECT_EQ(codes(answer("a0", "LAB127", s["sap"], "2026-11-03T08:10:00-03:00")["reasons"]),
            std::vector<std::string>{"SAP_NOT_AWAITING_DOCS"});
  ASSERT_EQ(verdict("v1", s["sap"], "REQUEST_DOCS", nullptr, "2026-11-03T08:20:00-03:00")["status"], "DOCS_REQUESTED");
  Json foreign = h.run("audit_answer", {{"request_id", "a1"}, {"provider", "LAB200"}, {"sap", s["sap"]}, {"message", "HC"}},
                       "2026-11-03T08:30:00-03:00");
  EXPECT_EQ(codes(foreign["reasons"]), std::vector<std::string>{"SAP_FORBIDDEN_PROVIDER"});
  // A document another provider sent is refused before the engine.
  Json stolen = answer("a1b", "LAB200", s["sap"], "2026-11-03T08:30:00-03:00");
  EXPECT_EQ(stolen["error"]["field"], "documents[0]");
  EXPECT_EQ(codes(answer("a2", "LAB127", "SAP-0-999", "2026-11-03T08:30:00-03:00")["reasons"]),
            std::vector<std::string>{"SAP_NOT_FOUND"});
  Json ok = answer("a3", "LAB127", s["sap"], "2026-11-03T08:40:00-03:00");
  EXPECT_EQ(ok["status"], "PENDING");
  EXPECT_EQ(ok["sap"], s["sap"]);
  Json sap = h.get("/v1/transactions/" + s["sap"].get<std::string>());
  EXPECT_EQ(sap["sap"]["status"], "PENDING");
  ASSERT_EQ(sap["sap"]["messages"].size(), 2u);
  EXPECT_EQ(sap["sap"]["messages"][1]["provider"], "LAB127");
  EXPECT_EQ(sap["sap"]["messages"][1]["documents"], Json::array({doc}));
  // The auditor then decides as usual.
  EXPECT_EQ(verdict("v2", s["sap"], "AUTHORIZE", nullptr, "2026-11-03T09:00:00-03:00")["status"], "PARTIALLY_AUTHORIZED");
}

TEST_F(Audit, AnAnswerNeedsTextOrDocumentsWellNamed) {
  Json s = open_sap("s1");
  Json empty = h.run("audit_answer", {{"request_id", "a1"}, {"provider", "LAB127"}, {"sap", s["sap"]}}, kAt);
  EXPECT_EQ(empty["error"]["field"], "message");
  Json bad = h.run("audit_answer", {{"request_id", "a2"}, {"provider", "LAB127"}, {"sap", s["sap"]}, {"documents", {"ABC"}}}, kAt);
  EXPECT_EQ(bad["error"]["field"], "documents[0]");
  const std::string doc(64, 'c');
  Json twice = h.run("audit_answer",
                     {{"request_id", "a3"}, {"provider", "LAB127"}, {"sap", s["sap"]}, {"documents", {doc, doc}}}, kAt);
  EXPECT_EQ(twice["error"]["field"], "documents[1]");
}

TEST_F(Audit, ADiagnosisInWordsOpensARequestAndTravelsWithIt) {
  Json s = h.run("authorize",
                 {{"request_id", "w1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"mode", "audit"},
                  {"diagnosis_text", "Enfermedad respiratoria"}, {"diagnosis_type", "PRESUMPTIVE"},
                  {"prescribed_on", "2026-10-30"}, {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                  {"documents", {h.upload("LAB127")}}, {"items", {{{"code", "000016"}}}}},
                 kAt);
  ASSERT_EQ(s["status"], "AUDIT_PENDING") << s.dump();
  Json sap = h.get("/v1/transactions/" + s["sap"].get<std::string>());
  EXPECT_EQ(sap["sap"]["diagnosis_text"], "Enfermedad respiratoria");
  EXPECT_EQ(sap["sap"]["diagnosis_type"], "PRESUMPTIVE");
  EXPECT_EQ(sap["sap"]["documents"].size(), 1u);
  // Neither a code nor words: DIAGNOSIS_REQUIRED as before.
  Json none = h.run("authorize", {{"request_id", "w2"}, {"provider", "LAB127"}, {"credential", "110000783851"},
                                  {"mode", "audit"}, {"prescribed_on", "2026-10-30"},
                                  {"prescriber", {{"kind", "MD"}, {"license", "1234"}}}, {"items", {{{"code", "000016"}}}}},
                    kAt);
  EXPECT_EQ(codes(none["reasons"]), std::vector<std::string>{"DIAGNOSIS_REQUIRED"});
  Json type = h.run("authorize", {{"request_id", "w3"}, {"provider", "LAB127"}, {"credential", "110000783851"},
                                  {"mode", "audit"}, {"diagnosis_type", "SURE"}, {"items", {{{"code", "000016"}}}}},
                    kAt);
  EXPECT_EQ(type["error"]["field"], "diagnosis_type");
}

}  // namespace
}  // namespace autoriza::testing
