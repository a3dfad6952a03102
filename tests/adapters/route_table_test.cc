// The route table (adapters/service/route_table.h): its rows are well formed,
// and dispatch, 401/403/404/405 and GET /openapi.json all come from it.
#include "adapters/service/route_table.h"

#include <gtest/gtest.h>

#include <future>
#include <set>

#include "adapters/auth/key_admin.h"
#include "adapters/codec/codec.h"
#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

TEST(RouteTable, EveryRowIsWellFormed) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const RouteRow& row : route_table()) {
    SCOPED_TRACE(std::string(row.method) + " " + std::string(row.pattern));
    EXPECT_TRUE(row.method == "GET" || row.method == "POST");
    EXPECT_TRUE(row.pattern.starts_with("/"));
    EXPECT_NE(row.handler, nullptr);
    EXPECT_FALSE(row.summary.empty());
    EXPECT_TRUE(seen.emplace(row.method, row.pattern).second) << "a second row for the same route";
    if (row.scope != RouteScope::kNone) EXPECT_NE(row.pattern.find('{'), std::string_view::npos);
  }
  for (const char* command : {"eligibility", "authorize", "consume", "annul", "audit_verdict", "token_issue"}) {
    const RouteMatch m = match_route("POST", std::string("/v1/") + command);
    ASSERT_NE(m.row, nullptr) << command;
    EXPECT_TRUE(is_command_name(command));
  }
}

TEST(RouteTable, MatchesPatternsAndSaysWhatElseThePathTakes) {
  RouteMatch m = match_route("GET", "/v1/providers/LAB127/billing/2026-11");
  ASSERT_NE(m.row, nullptr);
  EXPECT_EQ(m.row->pattern, "/v1/providers/{provider}/billing/{month}");
  EXPECT_EQ(m.params, (std::vector<std::string>{"LAB127", "2026-11"}));
  EXPECT_NE(match_route("HEAD", "/healthz").row, nullptr);  // HEAD is GET without the body
  m = match_route("DELETE", "/v1/admin/keys");
  EXPECT_EQ(m.row, nullptr);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  m = match_route("GET", "/v1/affiliates/110000783851");  // a prefix of routes is no route
  EXPECT_EQ(m.row, nullptr);
  EXPECT_TRUE(m.allow.empty());
  EXPECT_EQ(match_route("GET", "/v1/transactions/").row, nullptr);  // an empty {id} matches nothing
}

TEST(RouteTable, RolesAndScopesOfTheRowsDecide) {
  Reference reference;
  const auth::Principal provider{"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}};
  const auth::Principal analyst{"analyst", auth::Role::kAnalyst, {}, {}, {}};
  const auth::Principal ops{"ops", auth::Role::kOps, {}, {}, {}};
  for (const RouteRow& row : route_table()) {
    SCOPED_TRACE(std::string(row.method) + " " + std::string(row.pattern));
    std::vector<std::string> params(std::count(row.pattern.begin(), row.pattern.end(), '{'), "LAB127");
    EXPECT_TRUE(permit_route(ops, row, params, reference).is_ok());
    const bool open = row.access & kOpen;
    EXPECT_EQ(permit_route(provider, row, params, reference).is_ok(), open || (row.access & kByProvider) != 0);
    EXPECT_EQ(permit_route(analyst, row, params, reference).is_ok(), open || (row.access & kByAnalyst) != 0);
  }
  const RouteRow& register_row = *match_route("GET", "/v1/providers/LAB127/register").row;
  EXPECT_EQ(permit_route(provider, register_row, {"LAB200"}, reference).kind(), StatusKind::kForbidden);
}

class RouteDispatch : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::add_key(h.engine(), {"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}}, Millis{0},
                              &provider_key, &key_id).is_ok());
    ASSERT_TRUE(auth::add_key(h.engine(), {"auditor", auth::Role::kAuditor, {}, {}, {}}, Millis{0}, &auditor_key,
                              &key_id).is_ok());
  }
  Reply request(std::string_view key, const std::string& method, const std::string& target) {
    std::promise<Reply> promise;
    h.service().request(Caller{key, nullptr}, method, target, "", *parse_instant("2026-11-02T10:00:00-03:00"),
                        [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Reply post(std::string_view key, const std::string& command, const std::string& body) {
    std::promise<Reply> promise;
    h.service().post(Caller{key, nullptr}, command, body, *parse_instant("2026-11-02T10:00:00-03:00"),
                     [&](Reply r) { promise.set_value(std::move(r)); });
    return promise.get_future().get();
  }
  Harness h;
  std::string provider_key, auditor_key, key_id;
};

TEST_F(RouteDispatch, AnswersComeFromTheTable) {
  EXPECT_EQ(request("", "GET", "/v1/nope").status, 404);         // no row: 404, key or not
  EXPECT_EQ(request("", "PUT", "/healthz").status, 405);         // the path takes GET only
  EXPECT_EQ(request("", "GET", "/healthz").status, 200);         // open
  EXPECT_EQ(request("", "GET", "/v1/audits").status, 401);       // closed, no key
  EXPECT_EQ(request(provider_key, "GET", "/v1/projections").status, 403);  // not the provider's row
  EXPECT_EQ(request(auditor_key, "GET", "/v1/audits").status, 200);
  EXPECT_EQ(request(provider_key, "GET", "/v1/providers/LAB200/register").status, 403);  // another provider
  EXPECT_EQ(request(provider_key, "GET", "/v1/providers/LAB127/register").status, 200);
  EXPECT_EQ(request(provider_key, "POST", "/v1/teleport").status, 400);  // an unknown command
  // A command's row: an auditor may not authorize, whatever the body says.
  const std::string body =
      R"({"request_id":"r1","provider":"LAB127","credential":"110000783851","items":[{"code":"000118"}]})";
  EXPECT_EQ(post(auditor_key, "authorize", body).status, 403);
  EXPECT_EQ(post(provider_key, "authorize", body).status, 200);
}

// A provider sees its own audit requests, and only those (issue: a provider
// could not see its own audit requests).
TEST_F(RouteDispatch, AProviderSeesItsOwnAuditRequestsOnly) {
  // 000016 requires audit: the request opens a SAP.
  const std::string body = R"({"request_id":"s1","provider":"LAB127","credential":"110000783851","mode":"audit",)"
                           R"("diagnosis":"K76.0","prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                           R"("items":[{"code":"000016"}]})";
  const Reply sent = post(provider_key, "authorize", body);
  ASSERT_EQ(sent.status, 200) << sent.body;
  Json answer;
  ASSERT_TRUE(parse_json(sent.body, &answer).is_ok());
  const std::string sap = answer.value("sap", "");
  ASSERT_FALSE(sap.empty()) << sent.body;
  ASSERT_TRUE(h.service().catch_up_projections().is_ok());
  Json own;
  const Reply list = request(provider_key, "GET", "/v1/audits");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_TRUE(parse_json(list.body, &own).is_ok());
  ASSERT_EQ(own["items"].size(), 1u) << list.body;
  EXPECT_EQ(request(provider_key, "GET", "/v1/audits?provider=LAB200").status, 403);
  EXPECT_EQ(request(provider_key, "GET", "/v1/audits/" + sap).status, 200);
  std::string other_key;
  ASSERT_TRUE(auth::add_key(h.engine(), {"provider-LAB200", auth::Role::kProvider, "LAB200", {}, {}}, Millis{0},
                            &other_key, &key_id).is_ok());
  EXPECT_EQ(request(other_key, "GET", "/v1/audits/" + sap).status, 404);  // another's SAP: as unknown
  const Reply others = request(other_key, "GET", "/v1/audits");
  ASSERT_EQ(others.status, 200);
  Json none;
  ASSERT_TRUE(parse_json(others.body, &none).is_ok());
  EXPECT_TRUE(none["items"].empty()) << others.body;
}

// Issue 17, item 3: an auditor could record a verdict in another auditor's
// name (the body's auditor was taken as given). The verdict carries the
// key's auditor (docs/rules.md section 9): omitted, it is filled in; naming
// someone else is 403, over JSON and over the binary adapter's path alike.
TEST_F(RouteDispatch, AVerdictCarriesTheKeysAuditorNeverTheBodys) {
  std::string aud01, aud02, admin;
  ASSERT_TRUE(auth::add_key(h.engine(), {"AUD01", auth::Role::kAuditor, {}, {}, {}}, Millis{0}, &aud01, &key_id));
  ASSERT_TRUE(auth::add_key(h.engine(), {"AUD02", auth::Role::kAuditor, {}, {}, {}}, Millis{0}, &aud02, &key_id));
  ASSERT_TRUE(auth::add_key(h.engine(), {"admin", auth::Role::kOps, {}, {}, {}}, Millis{0}, &admin, &key_id));
  const std::string body = R"({"request_id":"s1","provider":"LAB127","credential":"110000783851","mode":"audit",)"
                           R"("diagnosis":"K76.0","prescribed_on":"2026-10-30","prescriber":{"kind":"MD","license":"1234"},)"
                           R"("items":[{"code":"000016"}]})";
  const Reply sent = post(provider_key, "authorize", body);
  ASSERT_EQ(sent.status, 200) << sent.body;
  Json answer;
  ASSERT_TRUE(parse_json(sent.body, &answer).is_ok());
  const std::string sap = answer.value("sap", "");
  ASSERT_FALSE(sap.empty()) << sent.body;
  const auto verdict = [&](const std::string& id, const std::string& auditor) {
    Json v = {{"request_id", id}, {"sap", sap}, {"verdict", "REQUEST_DOCS"}, {"message", "Adjunte la orden."}};
    if (!auditor.empty()) v["auditor"] = auditor;
    return v.dump();
  };

  // In another's name: refused before the engine, whoever's key it is.
  const Reply forged = post(aud01, "audit_verdict", verdict("v1", "AUD02"));
  EXPECT_EQ(forged.status, 403) << forged.body;
  EXPECT_NE(forged.body.find("AUD02"), std::string::npos) << forged.body;
  EXPECT_EQ(post(admin, "audit_verdict", verdict("v2", "AUD02")).status, 403);
  fb::AuditVerdictCmdT binary;
  binary.request_id = "v3";
  binary.auditor = "AUD02";
  binary.sap = sap;
  binary.verdict = fb::Verdict::REJECT;
  fb::CommandUnion command;
  command.Set(std::move(binary));
  auth::Principal aud01_principal;
  ASSERT_TRUE(auth::authenticate_key(*h.engine().reference(), aud01, &aud01_principal));
  std::promise<Outcome> over_tcp;
  h.service().submit(aud01_principal, std::move(command), *parse_instant("2026-11-02T10:00:00-03:00"), "tcp",
                     [&](Outcome o) { over_tcp.set_value(std::move(o)); });
  EXPECT_EQ(over_tcp.get_future().get().status.kind(), StatusKind::kForbidden);

  // Omitted: the key's auditor; named as the key's: as given.
  ASSERT_EQ(post(aud01, "audit_verdict", verdict("v4", "")).status, 200);
  ASSERT_EQ(post(aud02, "audit_verdict", verdict("v5", "AUD02")).status, 200);
  ASSERT_TRUE(h.service().catch_up_projections().is_ok());
  const Reply audit = request(aud01, "GET", "/v1/audits/" + sap);
  ASSERT_EQ(audit.status, 200) << audit.body;
  Json detail;
  ASSERT_TRUE(parse_json(audit.body, &detail).is_ok());
  ASSERT_EQ(detail["messages"].size(), 2u) << audit.body;  // the forged ones left nothing
  EXPECT_EQ(detail["messages"][0].value("auditor", ""), "AUD01") << audit.body;
  EXPECT_EQ(detail["messages"][1].value("auditor", ""), "AUD02") << audit.body;
}

TEST_F(RouteDispatch, OpenApiDocumentHasEveryRow) {
  const Reply reply = request("", "GET", "/openapi.json");
  ASSERT_EQ(reply.status, 200);
  Json doc;
  ASSERT_TRUE(parse_json(reply.body, &doc).is_ok());
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> operation_ids;
  for (const RouteRow& row : route_table()) {
    std::string method(row.method);
    for (char& c : method) c = char(std::tolower(c));
    const Json& op = doc["paths"][std::string(row.pattern)][method];
    ASSERT_TRUE(op.is_object()) << row.pattern;
    EXPECT_EQ(op["summary"], std::string(row.summary));
    EXPECT_TRUE(operation_ids.insert(op["operationId"].get<std::string>()).second);
    EXPECT_TRUE(op["responses"].contains("400"));
    if (!row.doc.request.empty()) {
      EXPECT_TRUE(doc["components"]["schemas"].contains(std::string(row.doc.request))) << row.doc.request;
    }
  }
  EXPECT_EQ(operation_ids.size(), route_table().size());
}

}  // namespace
}  // namespace autoriza::testing
