// End to end over a real socket: an engine in a temp dir with the test
// fixtures, the Service, an HttpServer on 127.0.0.1 (port 0) and HttpClient.
#include "adapters/codec/error_codes.h"
#include "adapters/auth/key_admin.h"
#include "engine/core/secrets.h"
#include "adapters/http/server.h"

#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/client.h"
#include "engine/engine.h"
#include "engine/core/reference_loader.h"
#include "adapters/service/security_headers.h"
#include "adapters/service/service.h"
#include "tests/support/idle_sockets.h"

namespace autoriza {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kNow = "2026-11-02T10:00:00-03:00";
const std::vector<std::string> kActiveCredentials = {"110000783851", "110000783852", "110000783853",
                                                     "110000783854", "354495",       "438908"};

std::string eligibility_body(const std::string& request_id, const std::string& credential = "110000783851") {
  return Json{{"request_id", request_id}, {"provider", "LAB127"}, {"credential", credential}}.dump();
}

HttpRequest eligibility_request(const std::string& request_id, const std::string& credential = "110000783851") {
  return HttpRequest{.method = "POST",
                     .target = "/v1/eligibility",
                     .body = eligibility_body(request_id, credential),
                     .headers = {{std::string(kClientTimeHeader), std::string(kNow)}}};
}

struct Answer {
  int status = 0;
  Json body;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir_template = (std::filesystem::temp_directory_path() / "autoriza-http-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir_template.data()), nullptr);
    dir_ = dir_template;

    Status st;
    EngineOptions options;
    options.store = dir_;
    if (master_keys_) options.keys = std::make_shared<const KeyRing>(KeyRing::generate_dev());  // accounts, codes
    engine_ = Engine::open(options, &st);
    ASSERT_TRUE(st) << st.to_string();
    ASSERT_NE(engine_, nullptr);
    const ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, *engine_->reference());
    ASSERT_TRUE(load.ok());
    ReferenceLoadStats stats;
    st = engine_->load_reference(load.records, &stats);
    ASSERT_TRUE(st) << st.to_string();

    std::string key_id;
    st = auth::add_key(*engine_, auth::Principal{"ops-test", auth::Role::kOps, {}, {}, {}}, Millis{0}, &ops_key_, &key_id);
    ASSERT_TRUE(st) << st.to_string();
    st = auth::add_key(*engine_, auth::Principal{"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}}, Millis{0},
                       &lab127_key_, &key_id);
    ASSERT_TRUE(st) << st.to_string();

    service_ = std::make_unique<Service>(*engine_);
    server_ = std::make_unique<HttpServer>(*service_, "127.0.0.1", 0, /*threads=*/2, /*allow_client_time=*/true);
    st = server_->start();
    ASSERT_TRUE(st) << st.to_string();
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override {
    server_.reset();
    service_.reset();
    engine_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void connect(HttpClient& client, const std::string* key = nullptr) {
    client.set_api_key(key ? *key : ops_key_);
    const Status st = client.connect("127.0.0.1", server_->port());
    ASSERT_TRUE(st) << st.to_string();
  }

  // One request on client; the answer's body parsed as JSON (null if empty).
  Answer call(HttpClient& client, std::string_view method, std::string_view target, std::string_view body = {},
              std::string_view time = kNow) {
    Answer answer;
    std::string text;
    const Status st = client.request(method, target, body, &answer.status, &text, kClientTimeHeader, time);
    EXPECT_TRUE(st) << st.to_string();
    if (!text.empty()) answer.body = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    return answer;
  }

  Answer post(HttpClient& client, std::string_view command, std::string_view body) {
    return call(client, "POST", "/v1/" + std::string(command), body);
  }

  std::filesystem::path dir_;
  bool master_keys_ = true;  // AUTORIZA_SECRET_KEYS given (a dev ring)
  std::string ops_key_, lab127_key_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, HealthzAnswers200) {
  HttpClient client;
  connect(client);
  const Answer answer = call(client, "GET", "/healthz");
  EXPECT_EQ(answer.status, 200);
  EXPECT_TRUE(answer.body.is_object()) << answer.body;
}

TEST_F(HttpServerTest, HeadOfHealthzAnswersWithoutBody) {
  HttpClient client;
  connect(client);
  HttpResponse response;
  ASSERT_TRUE(client.send(HttpRequest{.method = "HEAD", .target = "/healthz", .body = {}, .headers = {}}, &response));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(call(client, "GET", "/healthz").status, 200);  // the connection is still in step
}

// Browsers ask for /favicon.ico on their own, without the page's key: an
// empty 204, not a 401 in the console of the auditors' page.
TEST_F(HttpServerTest, FaviconIsOpenAndEmpty) {
  HttpClient client;
  connect(client);
  HttpResponse response;
  ASSERT_TRUE(client.send(HttpRequest{.method = "GET", .target = "/favicon.ico", .body = {}, .headers = {}}, &response));
  EXPECT_EQ(response.status, 204);
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(call(client, "GET", "/healthz").status, 200);  // the connection is still in step
}

TEST_F(HttpServerTest, EligibilityOfAnActiveAffiliateIsEligible) {
  HttpClient client;
  connect(client);
  const Answer answer = post(client, "eligibility", eligibility_body("e1"));
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.body.value("status", ""), "ELIGIBLE") << answer.body;
  EXPECT_TRUE(answer.body.contains("transaction")) << answer.body;
}

TEST_F(HttpServerTest, AuthorizedTransactionCanBeReadBack) {
  HttpClient client;
  connect(client);
  const Json body = {{"request_id", "a1"},
                     {"provider", "LAB127"},
                     {"credential", "110000783851"},
                     {"prescribed_on", "2026-10-30"},
                     {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
                     {"items", Json::array({{{"code", "000118"}}})}};
  const Answer authorized = post(client, "authorize", body.dump());
  ASSERT_EQ(authorized.status, 200) << authorized.body;
  ASSERT_TRUE(authorized.body.contains("transaction")) << authorized.body;
  const std::string id = authorized.body["transaction"].get<std::string>();
  ASSERT_FALSE(id.empty());

  const Answer read = call(client, "GET", "/v1/transactions/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_NE(read.body.dump().find("\"" + id + "\""), std::string::npos) << read.body;

  EXPECT_EQ(call(client, "GET", "/v1/transactions/NO-SUCH-ID").status, 404);
}

TEST_F(HttpServerTest, MalformedJsonIsInvalidRequest) {
  HttpClient client;
  connect(client);
  const Answer answer = post(client, "eligibility", R"({"request_id": "m1", "provider": )");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.body["error"].value("code", ""), "INVALID_REQUEST") << answer.body;
  EXPECT_TRUE(client.connected());  // a bad body is no reason to drop the connection
}

TEST_F(HttpServerTest, BodyOverTheLimitIs400AndCloses) {
  HttpClient client;
  connect(client);
  const std::string note(70'000, 'x');
  const std::string body = Json{{"request_id", "big"}, {"provider", "LAB127"}, {"note", note}}.dump();
  ASSERT_GT(body.size(), kBodyMaxBytes);
  const Answer answer = post(client, "eligibility", body);
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.body["error"].value("code", ""), "INVALID_REQUEST") << answer.body;
  EXPECT_FALSE(client.connected());
}

TEST_F(HttpServerTest, ChunkedBodyOverTheLimitIs400) {
  HttpClient client;
  connect(client);
  std::string raw = "POST /v1/eligibility HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(10'000, 'x');
  for (int i = 0; i < 7; ++i) raw += "2710\r\n" + chunk + "\r\n";  // 0x2710 = 10,000
  raw += "0\r\n\r\n";
  HttpResponse response;
  ASSERT_TRUE(client.send_raw(raw, &response));
  EXPECT_EQ(response.status, 400);
  EXPECT_FALSE(response.keep_alive);
}

TEST_F(HttpServerTest, MalformedHttpIs400AndCloses) {
  HttpClient client;
  connect(client);
  HttpResponse response;
  ASSERT_TRUE(client.send_raw("THIS IS NOT HTTP\r\n\r\n", &response));
  EXPECT_EQ(response.status, 400);
  EXPECT_FALSE(response.keep_alive);
  EXPECT_EQ(Json::parse(response.body)["error"].value("code", ""), "INVALID_REQUEST");
  EXPECT_FALSE(client.connected());
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  for (const char* raw : {"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                          "GET /healthz HTTP/1.0\r\n\r\n"}) {
    HttpClient client;
    connect(client);
    HttpResponse response;
    ASSERT_TRUE(client.send_raw(raw, &response)) << raw;
    EXPECT_EQ(response.status, 200) << raw;
    EXPECT_FALSE(response.keep_alive) << raw;
    EXPECT_FALSE(client.connected()) << raw;
  }
}

TEST_F(HttpServerTest, UnknownPathIs404) {
  HttpClient client;
  connect(client);
  const Answer get = call(client, "GET", "/nope");
  EXPECT_EQ(get.status, 404);
  EXPECT_EQ(get.body["error"].value("code", ""), "NOT_FOUND") << get.body;
  EXPECT_EQ(call(client, "POST", "/nope", "{}").status, 404);
  EXPECT_EQ(call(client, "PUT", "/nope", "{}").status, 404);
  EXPECT_EQ(call(client, "GET", "/v1/nope").status, 404);
  // docs/rules.md §5: an unknown command is a malformed request, not a missing resource.
  const Answer unknown = call(client, "POST", "/v1/teleport", R"({"request_id":"x"})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["error"].value("code", ""), "INVALID_REQUEST") << unknown.body;
}

TEST_F(HttpServerTest, WrongMethodIs405) {
  HttpClient client;
  connect(client);
  const Answer get = call(client, "GET", "/v1/authorize");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.body["error"].value("code", ""), "METHOD_NOT_ALLOWED") << get.body;
  EXPECT_EQ(call(client, "PUT", "/healthz", "{}").status, 405);
  EXPECT_EQ(call(client, "POST", "/healthz", "{}").status, 405);
  EXPECT_EQ(call(client, "DELETE", "/v1/transactions/T1").status, 405);
}

TEST_F(HttpServerTest, BadClientTimeIs400) {
  HttpClient client;
  connect(client);
  const Answer answer = call(client, "POST", "/v1/eligibility", eligibility_body("t1"), "yesterday");
  EXPECT_EQ(answer.status, 400);
  EXPECT_EQ(answer.body["error"].value("code", ""), "INVALID_REQUEST") << answer.body;
}

TEST_F(HttpServerTest, ClientTimeIsIgnoredUnlessAllowed) {
  server_->set_allow_client_time(false);
  HttpClient client;
  connect(client);
  EXPECT_EQ(call(client, "POST", "/v1/eligibility", eligibility_body("t2"), "yesterday").status, 200);
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  HttpClient client;
  connect(client);
  for (int i = 0; i < 100; ++i) {
    const Answer answer = post(client, "eligibility", eligibility_body("k" + std::to_string(i)));
    ASSERT_EQ(answer.status, 200) << i << ": " << answer.body;
    ASSERT_TRUE(client.connected()) << i;
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAnswerInOrder) {
  HttpClient client;
  connect(client);
  std::vector<HttpRequest> requests;
  for (size_t i = 0; i < 20; ++i) {
    requests.push_back(eligibility_request("p" + std::to_string(i), kActiveCredentials[i % kActiveCredentials.size()]));
  }
  std::vector<HttpResponse> responses;
  const Status st = client.pipeline(requests, &responses);
  ASSERT_TRUE(st) << st.to_string();
  ASSERT_EQ(responses.size(), requests.size());
  std::set<std::string> transactions;
  for (size_t i = 0; i < responses.size(); ++i) {
    ASSERT_EQ(responses[i].status, 200) << i << ": " << responses[i].body;
    const Json answer = Json::parse(responses[i].body);
    EXPECT_EQ(answer["affiliate"].value("credential", ""), kActiveCredentials[i % kActiveCredentials.size()])
        << i << ": " << answer;
    transactions.insert(answer.value("transaction", ""));
  }
  EXPECT_EQ(transactions.size(), requests.size());
  EXPECT_TRUE(client.connected());
}

TEST_F(HttpServerTest, PipelineMixesCommandsAndQueriesInOrder) {
  HttpClient client;
  connect(client);
  const std::vector<HttpRequest> requests = {
      eligibility_request("q1"),
      HttpRequest{.method = "GET", .target = "/v1/transactions/NO-SUCH-ID", .body = {}, .headers = {}},
      HttpRequest{.method = "GET", .target = "/healthz", .body = {}, .headers = {}},
      HttpRequest{.method = "GET", .target = "/v1/authorize", .body = {}, .headers = {}},
      eligibility_request("q2"),
  };
  std::vector<HttpResponse> responses;
  ASSERT_TRUE(client.pipeline(requests, &responses));
  ASSERT_EQ(responses.size(), 5u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(responses[1].status, 404);
  EXPECT_EQ(responses[2].status, 200);
  EXPECT_EQ(responses[3].status, 405);
  EXPECT_EQ(responses[4].status, 200);
}

TEST_F(HttpServerTest, LongPipelineDoesNotStall) {
  HttpClient client;
  connect(client);
  std::vector<HttpRequest> requests(kClientPipelineMax,
                                    HttpRequest{.method = "GET", .target = "/healthz", .body = {}, .headers = {}});
  requests[500] = eligibility_request("long");
  std::vector<HttpResponse> responses;
  const Status st = client.pipeline(requests, &responses);
  ASSERT_TRUE(st) << st.to_string();
  ASSERT_EQ(responses.size(), requests.size());
  for (const HttpResponse& response : responses) EXPECT_EQ(response.status, 200);
  EXPECT_NE(responses[500].body.find("ELIGIBLE"), std::string::npos) << responses[500].body;
}

TEST_F(HttpServerTest, ConcurrentConnectionsAllAnswer) {
  constexpr int kConnections = 8;
  constexpr int kRequestsEach = 50;
  std::vector<std::vector<int>> statuses(kConnections);
  std::vector<std::vector<std::string>> transactions(kConnections);
  std::vector<std::thread> threads;
  for (int c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      HttpClient client;
      client.set_api_key(ops_key_);
      if (!client.connect("127.0.0.1", server_->port())) return;
      for (int i = 0; i < kRequestsEach; ++i) {
        int status = 0;
        std::string body;
        const std::string id = "c" + std::to_string(c) + "-" + std::to_string(i);
        if (!client.request("POST", "/v1/eligibility", eligibility_body(id, kActiveCredentials[c % 6]), &status,
                            &body, kClientTimeHeader, kNow)) {
          return;
        }
        statuses[c].push_back(status);
        transactions[c].push_back(Json::parse(body, nullptr, false).value("transaction", ""));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> distinct;
  for (int c = 0; c < kConnections; ++c) {
    ASSERT_EQ(statuses[c].size(), size_t(kRequestsEach)) << "connection " << c;
    for (int status : statuses[c]) EXPECT_EQ(status, 200);
    distinct.insert(transactions[c].begin(), transactions[c].end());
  }
  EXPECT_EQ(distinct.size(), size_t(kConnections * kRequestsEach));
}

TEST_F(HttpServerTest, RequestIdReusedWithAnotherBodyIs409) {
  HttpClient client;
  connect(client);
  const Answer first = post(client, "eligibility", eligibility_body("dup", "110000783851"));
  ASSERT_EQ(first.status, 200) << first.body;
  const Answer again = post(client, "eligibility", eligibility_body("dup", "110000783851"));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body.value("transaction", ""), first.body.value("transaction", ""));
  const Answer other = post(client, "eligibility", eligibility_body("dup", "110000783852"));
  EXPECT_EQ(other.status, 409) << other.body;
  EXPECT_EQ(other.body["error"].value("code", ""), "REQUEST_ID_REUSED") << other.body;
}

TEST_F(HttpServerTest, StopClosesOpenConnections) {
  HttpClient client;
  connect(client);
  EXPECT_EQ(call(client, "GET", "/healthz").status, 200);
  server_->stop();
  int status = 0;
  EXPECT_FALSE(client.request("GET", "/healthz", {}, &status, nullptr));
  EXPECT_FALSE(client.connected());
  server_->stop();  // idempotent
}

// stop() while commands are in flight: it waits for their callbacks, the
// clients see whole answers or a closed connection, nothing hangs or
// crashes. The stop comes once answers flow (not after a fixed pause, which
// a loaded machine may spend before the first connection).
TEST_F(HttpServerTest, StopWhileCommandsAreInFlight) {
  constexpr int kClients = 4;
  std::vector<std::thread> threads;
  std::atomic<int> answered{0};
  std::atomic<int> not_ok{0};  // answers other than 200 or 503 (stopping)
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      HttpClient client;
      client.set_api_key(ops_key_);
      if (!client.connect("127.0.0.1", server_->port())) return;
      for (int round = 0; round < 20; ++round) {
        std::vector<HttpRequest> requests;
        for (int i = 0; i < 50; ++i) {
          requests.push_back(eligibility_request("s" + std::to_string(c) + "-" + std::to_string(round) + "-" +
                                                 std::to_string(i)));
        }
        std::vector<HttpResponse> responses;
        const Status st = client.pipeline(requests, &responses);
        answered += int(responses.size());
        for (const HttpResponse& r : responses) not_ok += r.status != 200 && r.status != 503;
        if (!st) return;
      }
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (answered.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const bool flowing = answered.load() > 0;
  server_->stop();
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(flowing) << "no answer in 30 s";
  EXPECT_EQ(not_ok.load(), 0);
}

// --- Authentication and roles (issue 6) ---

TEST_F(HttpServerTest, RequestWithoutKeyIs401AndRecordsNothing) {
  HttpClient client;
  const std::string none;
  connect(client, &none);
  const Answer a = post(client, "eligibility", R"({"request_id":"nk1","provider":"LAB127","credential":"110000783851"})");
  EXPECT_EQ(a.status, 401);
  EXPECT_EQ(a.body["error"]["code"], "UNAUTHENTICATED");
  EXPECT_FALSE(engine_->find_request("LAB127", "nk1").has_value());
  EXPECT_EQ(call(client, "GET", "/healthz").status, 200);  // stays open
}

TEST_F(HttpServerTest, UnknownOrRevokedKeyIs401) {
  HttpClient client;
  const std::string forged = "az_" + std::string(43, 'A');
  connect(client, &forged);
  EXPECT_EQ(call(client, "GET", "/v1/practices?q=tsh").status, 401);
  size_t revoked = 0;
  ASSERT_TRUE(auth::revoke_keys(*engine_, "provider-LAB127", Millis{0}, &revoked));
  EXPECT_EQ(revoked, 1u);
  HttpClient lab;
  connect(lab, &lab127_key_);
  EXPECT_EQ(call(lab, "GET", "/v1/practices?q=tsh").status, 401);
}

TEST_F(HttpServerTest, ProviderKeyActsForItsOwnProviderOnly) {
  HttpClient client;
  connect(client, &lab127_key_);
  const Answer own = post(client, "eligibility", R"({"request_id":"pk1","provider":"LAB127","credential":"110000783851"})");
  EXPECT_EQ(own.status, 200) << own.body.dump();
  const Answer other = post(client, "eligibility", R"({"request_id":"pk2","provider":"LAB200","credential":"110000783851"})");
  EXPECT_EQ(other.status, 403) << other.body.dump();
  EXPECT_EQ(other.body["error"]["code"], "FORBIDDEN");
  EXPECT_EQ(call(client, "GET", "/v1/providers/LAB200/register").status, 403);
  EXPECT_EQ(call(client, "GET", "/v1/admin/keys").status, 403);
  // Its own audit requests only: another provider's filter is refused.
  EXPECT_EQ(call(client, "GET", "/v1/audits").status, 200);
  EXPECT_EQ(call(client, "GET", "/v1/audits?provider=LAB200").status, 403);
}

TEST_F(HttpServerTest, OpsKeyManagesKeysThroughTheAdminApi) {
  HttpClient admin;
  connect(admin);
  const Answer made = call(admin, "POST", "/v1/admin/keys", R"({"principal":"auditor-ana","role":"auditor"})");
  ASSERT_EQ(made.status, 200) << made.body.dump();
  const std::string key = made.body["key"];
  HttpClient auditor;
  connect(auditor, &key);
  EXPECT_EQ(call(auditor, "GET", "/v1/audits").status, 200);
  const Answer listed = call(admin, "GET", "/v1/admin/keys");
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body.dump().find(key), std::string::npos);  // keys never come back
  size_t undated = 0;
  for (const Json& item : listed.body["items"]) {
    if (item["principal"] == "auditor-ana") {
      EXPECT_TRUE(item["created"].is_string() && item["created"].get<std::string>().starts_with("20")) << item.dump();
    } else if (item["created"].is_null()) {
      ++undated;  // the fixture's keys, made before any command: no 1969 date
    }
  }
  EXPECT_GT(undated, 0u) << listed.body.dump();
  EXPECT_EQ(call(admin, "POST", "/v1/admin/keys/auditor-ana/revoke", "{}").status, 200);
  EXPECT_EQ(call(auditor, "GET", "/v1/audits").status, 401);
}

TEST_F(HttpServerTest, OpsKeyManagesPortalUsersThroughTheAdminApi) {
  HttpClient admin;
  connect(admin);
  const Answer made = call(admin, "POST", "/v1/admin/users",
                           R"({"user":"ana","name":"Ana Pérez","email":"ana@example.org","providers":["LAB127"]})");
  ASSERT_EQ(made.status, 200) << made.body.dump();
  EXPECT_EQ(made.body["must_change_password"], true);
  const std::string password = made.body["password"];
  const std::string none;
  HttpClient portal;
  connect(portal, &none);
  const std::string login = R"({"user":"ana","provider":"LAB127","password":")" + password + R"("})";
  EXPECT_EQ(call(portal, "POST", "/v1/portal/login", login).status, 200);
  const Answer listed = call(admin, "GET", "/v1/admin/users");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.body["items"].size(), 1u);
  EXPECT_EQ(listed.body["items"][0]["name"], "Ana Pérez");
  EXPECT_EQ(listed.body.dump().find(password), std::string::npos);  // shown once
  EXPECT_EQ(listed.body.dump().find("scrypt"), std::string::npos);
  const Answer reset = call(admin, "POST", "/v1/admin/users/ana/reset-password", "{}");
  ASSERT_EQ(reset.status, 200);
  EXPECT_NE(reset.body["password"], password);
  EXPECT_EQ(call(portal, "POST", "/v1/portal/login", login).status, 401);
  EXPECT_EQ(call(admin, "POST", "/v1/admin/users/ana/disable", "{}").status, 200);
  HttpClient lab;
  connect(lab, &lab127_key_);
  EXPECT_EQ(call(lab, "GET", "/v1/admin/users").status, 403);
  EXPECT_EQ(call(lab, "POST", "/v1/admin/users/ana/reset-password", "{}").status, 403);
}

// A server started without AUTORIZA_SECRET_KEYS.
class HttpServerWithoutMasterKeysTest : public HttpServerTest {
 protected:
  HttpServerWithoutMasterKeysTest() { master_keys_ = false; }
};

TEST_F(HttpServerWithoutMasterKeysTest, PortalRecoveryNeedsMasterKeys) {
  const std::string none;
  HttpClient portal;
  connect(portal, &none);
  const Answer a = call(portal, "POST", "/v1/portal/recovery", R"({"user":"nadie"})");
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.body["error"]["code"], "UNAVAILABLE");
}

TEST_F(HttpServerTest, OverTheRateLimitIs429WithRetryAfter) {
  AccessOptions access;
  access.rate_per_s = 1;
  access.rate_burst = 2;
  service_->set_access(access);
  HttpClient client;
  connect(client, &lab127_key_);
  EXPECT_EQ(call(client, "GET", "/v1/practices?q=tsh").status, 200);
  EXPECT_EQ(call(client, "GET", "/v1/practices?q=tsh").status, 200);
  HttpResponse response;
  ASSERT_TRUE(client.send(HttpRequest{.method = "GET", .target = "/v1/practices?q=tsh", .body = {}, .headers = {}}, &response));
  EXPECT_EQ(response.status, 429) << response.body;
  EXPECT_NE(response.body.find("RATE_LIMITED"), std::string::npos);
}

// The value of the sample whose line starts with series ("name{labels}"),
// or -1 when the page has no such line.
double sample_value(const std::string& page, const std::string& series) {
  const size_t at = page.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + 1 + series.size() + 1));
}

TEST_F(HttpServerTest, MetricsPageCountsCommandsByOutcomeAndShowsTheEngineForOpsOnly) {
  HttpClient client;
  connect(client);
  ASSERT_EQ(post(client, "eligibility", eligibility_body("m1")).status, 200);
  ASSERT_EQ(post(client, "eligibility", eligibility_body("m1")).status, 200);  // a retry: replayed
  ASSERT_EQ(post(client, "eligibility", R"({"request_id":"m2","provider":"LAB127"})").status, 400);
  const Answer rejected = post(client, "authorize", R"({"request_id":"m3","provider":"LAB127","credential":"110000783851",
      "prescribed_on":"2026-11-01","prescriber":{"kind":"MD","license":"1234"},"items":[{"code":"999999"}]})");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  ASSERT_EQ(rejected.body.value("status", ""), "REJECTED") << rejected.body;

  std::string text;
  int status = 0;
  ASSERT_TRUE(client.request("GET", "/metrics", {}, &status, &text));
  ASSERT_EQ(status, 200);
  // Commands by channel, command, business status or error code, HTTP status.
  EXPECT_EQ(sample_value(text, R"(autoriza_commands_total{channel="http",command="eligibility",outcome="ELIGIBLE",http_status="200"})"), 2) << text;
  EXPECT_EQ(sample_value(text, R"(autoriza_commands_total{channel="http",command="eligibility",outcome="INVALID_REQUEST",http_status="400"})"), 1) << text;
  EXPECT_EQ(sample_value(text, R"(autoriza_commands_total{channel="http",command="authorize",outcome="REJECTED",http_status="200"})"), 1) << text;
  EXPECT_EQ(sample_value(text, R"(autoriza_command_replays_total{channel="http",command="eligibility"})"), 1) << text;
  EXPECT_EQ(sample_value(text, R"(autoriza_command_latency_seconds_count{channel="http",command="eligibility"})"), 3) << text;
  EXPECT_EQ(sample_value(text, R"(autoriza_command_latency_seconds_bucket{channel="http",command="eligibility",le="+Inf"})"), 3) << text;
  // The engine: partitions, queue, group commits, RocksDB, projections, connections.
  EXPECT_EQ(sample_value(text, R"(autoriza_partition_queue_depth{partition="0"})"), 0) << text;
  EXPECT_EQ(sample_value(text, R"(autoriza_partition_queue_capacity{partition="0"})"), 65536) << text;
  EXPECT_GE(sample_value(text, R"(autoriza_partition_batch_commands_count{partition="0"})"), 1) << text;
  EXPECT_GE(sample_value(text, R"(autoriza_partition_batch_commands_bucket{partition="0",le="+Inf"})"), 1) << text;
  EXPECT_GE(sample_value(text, R"(autoriza_partition_commit_seconds_count{partition="0"})"), 1) << text;
  EXPECT_GE(sample_value(text, R"(autoriza_rocksdb_estimate_keys{table="events"})"), 0) << text;
  EXPECT_GT(sample_value(text, R"(autoriza_rocksdb_memtable_bytes{table="events"})"), 0) << text;
  EXPECT_GE(sample_value(text, R"(autoriza_rocksdb_pending_compaction_bytes{table="orders"})"), 0) << text;
  EXPECT_GT(sample_value(text, "autoriza_rocksdb_block_cache_capacity_bytes"), 0) << text;
  EXPECT_GE(sample_value(text, "autoriza_rocksdb_wal_syncs_total"), 1) << text;  // the store syncs every commit
  EXPECT_GE(sample_value(text, "autoriza_rocksdb_wal_sync_seconds_count"), 1) << text;
  EXPECT_GE(sample_value(text, R"(autoriza_projection_lag_events{projection="register"})"), 0) << text;
  EXPECT_EQ(sample_value(text, "autoriza_http_connections{port=\"" + std::to_string(server_->port()) + "\"}"), 1) << text;
  // Every family once, with its type.
  EXPECT_EQ(text.find("# TYPE autoriza_commands_total counter"), text.rfind("# TYPE autoriza_commands_total counter"));
  EXPECT_NE(text.find("# TYPE autoriza_command_latency_seconds histogram"), std::string::npos);
  // No id, credential or name in any label.
  EXPECT_EQ(text.find("110000783851"), std::string::npos);
  EXPECT_EQ(text.find("m1"), std::string::npos);

  HttpClient provider;
  connect(provider, &lab127_key_);
  EXPECT_EQ(call(provider, "GET", "/metrics").status, 403);
  HttpClient anonymous;
  ASSERT_TRUE(anonymous.connect("127.0.0.1", server_->port()));
  int anonymous_status = 0;
  std::string ignored;
  ASSERT_TRUE(anonymous.request("GET", "/metrics", {}, &anonymous_status, &ignored));
  EXPECT_EQ(anonymous_status, 401);
}

// A raw client socket (no HTTP library): for byte-by-byte senders.
class RawSocket {
 public:
  // from: the local address to send from ("127.0.0.2": another client).
  explicit RawSocket(uint16_t port, const char* from = nullptr) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (from) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      inet_pton(AF_INET, from, &local.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return;
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawSocket() { ::close(fd_); }
  bool connected() const { return connected_; }
  bool send(std::string_view bytes) { return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == ssize_t(bytes.size()); }
  // Whether the server closed its side: a read finds end of stream (or a reset).
  bool closed_by_server() {
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }
  // Reads until the server closes or 10 s pass (a broken test must not hang).
  std::string read_all() {
    timeval timeout{10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) out.append(buf, size_t(n));
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// Issue 17, item 9: pages were served without Content-Security-Policy,
// X-Frame-Options, X-Content-Type-Options and Referrer-Policy. Now each
// answer says them (adapters/service/security_headers.h): the pages and
// their files the page policy, a printable document its own, any answer
// nosniff and no-referrer.
TEST_F(HttpServerTest, PagesDocumentsAndEveryAnswerCarryTheBrowserSecurityHeaders) {
  HttpClient client;
  connect(client);
  const auto get = [&client](const std::string& target) {
    HttpResponse response;
    const Status st = client.send(HttpRequest{"GET", target, "", {}}, &response);
    EXPECT_TRUE(st) << target << ": " << st.to_string();
    return response;
  };
  for (const char* target : {"/audit/", "/audit/app.js", "/prestadores/", "/prestadores/core.js"}) {
    const HttpResponse page = get(target);
    EXPECT_EQ(page.status, 200) << target;
    EXPECT_EQ(page.header("Content-Security-Policy"), kPageSecurityPolicy) << target;
    EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(page.header("Referrer-Policy"), "no-referrer") << target;
  }
  EXPECT_EQ(get("/audit/").header("X-Frame-Options"), "DENY");

  const Answer order = post(client, "authorize",
                            Json{{"request_id", "csp-1"}, {"provider", "LAB127"}, {"credential", "110000783851"},
                                 {"items", Json::array({{{"code", "000118"}}})}}.dump());
  ASSERT_EQ(order.status, 200) << order.body;
  const HttpResponse comprobante =
      get("/v1/transactions/" + order.body.value("transaction", "") + "/comprobante.html");
  EXPECT_EQ(comprobante.status, 200) << comprobante.body;
  EXPECT_EQ(comprobante.header("Content-Security-Policy"), kDocumentSecurityPolicy);
  EXPECT_EQ(comprobante.header("X-Frame-Options"), "DENY");
  EXPECT_NE(comprobante.body.find("<style>"), std::string::npos);  // what its policy lets in

  const HttpResponse health = get("/healthz");
  EXPECT_EQ(health.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(health.header("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(get("/v1/nothing-here").header("X-Content-Type-Options"), "nosniff");
}

// How many answers a byte stream from the server holds (status lines).
size_t answers_in(const std::string& stream) {
  size_t count = 0;
  for (size_t at = stream.find("HTTP/1."); at != std::string::npos; at = stream.find("HTTP/1.", at + 1)) ++count;
  return count;
}

// Issue 17, item 4: request smuggling. With a Transfer-Encoding whose last
// coding was not chunked the body was read as empty and its bytes answered
// as a second request on the same connection (a proxy in front would have
// taken them for the first one's body). Now: one 400, and the server closes.
TEST_F(HttpServerTest, TransferEncodingNotEndingInChunkedIs400AndItsBodyIsNeverARequest) {
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";
  const std::vector<std::string> framings = {
      "Transfer-Encoding: identity\r\n",
      "Transfer-Encoding: gzip\r\n",
      "Transfer-Encoding: chunked, identity\r\n",
      "Transfer-Encoding: identity\r\nContent-Length: 0\r\n",
  };
  for (const std::string& framing : framings) {
    SCOPED_TRACE(framing);
    RawSocket socket(server_->port());
    ASSERT_TRUE(socket.connected());
    ASSERT_TRUE(socket.send("POST /v1/eligibility HTTP/1.1\r\nHost: t\r\n" + framing + "\r\n" + smuggled));
    const std::string answer = socket.read_all();  // until the server closes
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("Transfer-Encoding"), std::string::npos) << answer;
    EXPECT_EQ(answers_in(answer), 1u) << answer;
    EXPECT_EQ(answer.find("\"status\":\"ok\""), std::string::npos) << answer;  // /healthz was not answered
  }
  // HTTP/1.0 has no Transfer-Encoding.
  RawSocket old(server_->port());
  ASSERT_TRUE(old.send("POST /v1/eligibility HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
  EXPECT_EQ(old.read_all().rfind("HTTP/1.1 400", 0), 0u);

  // A chunked body is read whole, and what follows it is the next request.
  RawSocket chunked(server_->port());
  const std::string body = eligibility_body("te-chunked");
  std::ostringstream size;
  size << std::hex << body.size();
  ASSERT_TRUE(chunked.send("POST /v1/eligibility HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " + ops_key_ +
                           "\r\n" + std::string(kClientTimeHeader) + ": " + std::string(kNow) +
                           "\r\nTransfer-Encoding: chunked\r\n\r\n" + size.str() + "\r\n" + body +
                           "\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const std::string both = chunked.read_all();
  EXPECT_EQ(answers_in(both), 2u) << both;
  EXPECT_NE(both.find("\"status\":\"ELIGIBLE\""), std::string::npos) << both;
  EXPECT_NE(both.find("\"status\":\"ok\""), std::string::npos) << both;
}

// Issue 17: 1,024 idle connections (kConnectionsMax) locked every client out
// for the idle timeout (60 s), and reconnecting them renewed the lockout.
// Now a new connection evicts the connection idle the longest: a client is
// served while 2,000 idle sockets are open, again while they reconnect, and
// a request in progress is never evicted. No clock in the assertions: the
// server's deadlines are set far beyond the client's timeout, so a client
// that had to wait for a deadline to free a slot fails instead of being
// served late.
TEST_F(HttpServerTest, ClientIsServedWithoutWaitingForADeadlineWhileTwoThousandIdleSocketsAreOpen) {
  constexpr size_t kIdle = 2000;
  ASSERT_TRUE(testing::raise_open_files(2 * kIdle + 512)) << "raise the hard limit of open files (ulimit -Hn)";
  server_.reset();
  server_ = std::make_unique<HttpServer>(*service_, "127.0.0.1", 0, 2, true);
  HttpTimeouts deadlines;  // no slot frees itself during the test: only an eviction can serve the client
  deadlines.first_byte = deadlines.idle = deadlines.header = std::chrono::minutes(10);
  server_->set_timeouts(deadlines);
  ASSERT_TRUE(server_->start());
  RawSocket in_progress(server_->port());  // a request begun before the flood: busy, never evicted
  ASSERT_TRUE(in_progress.send("GET /healthz HTTP/1.1\r\nHost: autoriza\r\n"));
  testing::IdleSockets idle;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ASSERT_EQ(round == 0 ? idle.open(server_->port(), kIdle) : idle.reopen(server_->port()), kIdle);
    const auto began = std::chrono::steady_clock::now();
    HttpClient client;
    client.set_timeout(std::chrono::seconds(60));  // generous for a loaded machine, still far below the deadlines
    connect(client);
    EXPECT_EQ(call(client, "GET", "/healthz").status, 200);
    // The issue's "within a second", said for a person to read, never asserted.
    std::printf("round %d: connected and answered in %.1f ms with %zu idle sockets open\n", round,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count(), kIdle);
  }
  ASSERT_TRUE(in_progress.send("Connection: close\r\n\r\n"));
  const std::string answer = in_progress.read_all();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  const std::string page = service_->metrics_page();
  const std::string port = "{port=\"" + std::to_string(server_->port()) + "\"}";
  EXPECT_GE(sample_value(page, "autoriza_http_idle_evictions_total" + port), double(kIdle - kConnectionsMax)) << page;
  EXPECT_EQ(sample_value(page, "autoriza_http_connections_refused_total" + port), 0) << page;
}

// One request on a new raw connection from address from, closed after it:
// the whole answer.
// headers: more header lines, each ending in CRLF.
std::string raw_request(uint16_t port, const char* from, const std::string& method, const std::string& target,
                        const std::string& key, const std::string& body = {}, const std::string& headers = {}) {
  RawSocket socket(port, from);
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: autoriza\r\nConnection: close\r\n" + headers;
  if (!key.empty()) request += "Authorization: Bearer " + key + "\r\n";
  request += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  if (!socket.connected() || !socket.send(request)) return {};
  return socket.read_all();
}

// Issue 17, item 3: a stop closed every connection at once, so a command in
// progress was committed but its answer never sent (the client had to retry
// to learn it). Now a stop closes the listener and the idle connections,
// answers the requests in progress, and only then closes those connections.
TEST_F(HttpServerTest, StopAnswersTheRequestInProgressThenCloses) {
  const uint16_t port = server_->port();
  RawSocket idle(port);
  RawSocket busy(port);
  ASSERT_TRUE(idle.connected() && busy.connected());
  const std::string body = eligibility_body("drain-1");
  const std::string head = "POST /v1/eligibility HTTP/1.1\r\nHost: autoriza\r\nAuthorization: Bearer " + lab127_key_ +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  ASSERT_TRUE(busy.send(head + body.substr(0, 10)));  // a request in progress: its body half sent
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::thread stopping([this] { server_->stop(); });
  // The idle connection is closed at once; the busy one is not.
  bool idle_closed = false;
  for (int i = 0; i < 200 && !idle_closed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    idle_closed = idle.closed_by_server();
  }
  EXPECT_TRUE(idle_closed);
  EXPECT_FALSE(busy.closed_by_server());
  ASSERT_TRUE(busy.send(body.substr(10)));
  const std::string answer = busy.read_all();  // then the server closes it
  stopping.join();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\"status\":\"ELIGIBLE\""), std::string::npos) << answer;
  EXPECT_FALSE(RawSocket(port).connected());  // the listener is gone
}

// Issue 17: failed authentications were not limited per address: a guesser
// could try API keys and passwords as fast as the server answered. Now,
// after auth_failures_max failures within the window from one address, that
// address gets 429 with Retry-After and a Spanish message, without its key
// or password being checked, until the window passes. Other addresses are
// served; API keys and both sign-ins count.
TEST_F(HttpServerTest, FailedAuthenticationsFromOneAddressAre429UntilTheWindowPasses) {
  AccessOptions access;
  access.auth_failures_max = 3;
  access.auth_failures_window_s = 60;
  service_->set_access(access);
  const uint16_t port = server_->port();
  const std::string wrong = "az_" + std::string(40, 'x');
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(raw_request(port, "127.0.0.1", "GET", "/v1/practices?q=tsh", wrong).rfind("HTTP/1.1 401", 0), 0u);
  }
  const std::string limited = raw_request(port, "127.0.0.1", "GET", "/v1/practices?q=tsh", lab127_key_);
  EXPECT_EQ(limited.rfind("HTTP/1.1 429", 0), 0u) << limited;  // even the right key: not checked
  EXPECT_NE(limited.find("Retry-After: "), std::string::npos) << limited;
  EXPECT_NE(limited.find("Demasiados intentos de autenticación fallidos"), std::string::npos) << limited;
  EXPECT_EQ(raw_request(port, "127.0.0.1", "POST", "/v1/eligibility", lab127_key_, eligibility_body("lim-1"))
                .rfind("HTTP/1.1 429", 0),
            0u);
  // Another address is served, and a success there forgives nobody.
  EXPECT_EQ(raw_request(port, "127.0.0.2", "GET", "/v1/practices?q=tsh", lab127_key_).rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_EQ(raw_request(port, "127.0.0.1", "GET", "/v1/practices?q=tsh", lab127_key_).rfind("HTTP/1.1 429", 0), 0u);
  // The portal's and the affiliates' sign-ins count, and are limited, alike.
  const std::string portal = R"({"user":"nadie","provider":"LAB127","password":"mal"})";
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(raw_request(port, "127.0.0.3", "POST", "/v1/portal/login", "", portal).rfind("HTTP/1.1 401", 0), 0u);
  }
  EXPECT_EQ(raw_request(port, "127.0.0.3", "POST", "/v1/portal/login", "", portal).rfind("HTTP/1.1 429", 0), 0u);
  const std::string affiliate = R"({"document":"30111222","password":"mal"})";
  for (int i = 0; i < 3; ++i) {
    const std::string a = raw_request(port, "127.0.0.4", "POST", "/v1/account/login", "", affiliate);
    EXPECT_EQ(a.find("HTTP/1.1 429"), std::string::npos) << a;
  }
  EXPECT_EQ(raw_request(port, "127.0.0.4", "POST", "/v1/account/login", "", affiliate).rfind("HTTP/1.1 429", 0), 0u);
  // A mailed code is a credential too: refused codes of the affiliates'
  // recovery and of the portal's count, and are limited, alike.
  for (int i = 0; i < 3; ++i) {
    const std::string code = R"({"request_id":"rc-)" + std::to_string(i) +
                             R"(","document":"30111222","code":"123456","password":"clave-nueva-123"})";
    const std::string a = raw_request(port, "127.0.0.5", "POST", "/v1/password_recovery/confirm", "", code);
    EXPECT_EQ(a.rfind("HTTP/1.1 200", 0), 0u) << a;
    EXPECT_NE(a.find("REJECTED"), std::string::npos) << a;
  }
  const std::string fourth = raw_request(port, "127.0.0.5", "POST", "/v1/password_recovery/confirm", "",
                                         R"({"request_id":"rc-4","document":"30111222","code":"123456","password":"clave-nueva-123"})");
  EXPECT_EQ(fourth.rfind("HTTP/1.1 429", 0), 0u) << fourth;
  const std::string portal_code = R"({"user":"nadie","code":"123456","new_password":"clave-nueva-123"})";
  for (int i = 0; i < 3; ++i) {
    const std::string a = raw_request(port, "127.0.0.6", "POST", "/v1/portal/recovery/confirm", "", portal_code);
    EXPECT_EQ(a.rfind("HTTP/1.1 400", 0), 0u) << a;
  }
  EXPECT_EQ(raw_request(port, "127.0.0.6", "POST", "/v1/portal/recovery/confirm", "", portal_code).rfind("HTTP/1.1 429", 0),
            0u);
  const std::string page = service_->metrics_page();
  EXPECT_GE(sample_value(page, "autoriza_auth_failures_limited_total"), 7) << page;
  EXPECT_GE(sample_value(page, "autoriza_auth_failures_total"), 15) << page;
}

// Behind a reverse proxy every request comes from the proxy's address, so
// one guesser locked every client out. With the proxy trusted
// (--trusted-proxies) the client its X-Forwarded-For names is the one
// counted; from any other peer the header is ignored, so a guesser cannot
// choose whom its failures are charged to.
TEST_F(HttpServerTest, BehindATrustedProxyFailuresCountByTheForwardedClient) {
  AccessOptions access;
  access.auth_failures_max = 3;
  ASSERT_TRUE(auth::TrustedProxies::parse("127.0.0.7", &access.trusted_proxies).is_ok());
  service_->set_access(access);
  const uint16_t port = server_->port();
  const std::string wrong = "az_" + std::string(40, 'y');
  const auto from = [&](const char* peer, const std::string& client, const std::string& key) {
    const std::string answer =
        raw_request(port, peer, "GET", "/v1/practices?q=tsh", key, {}, "X-Forwarded-For: " + client + "\r\n");
    return answer.substr(0, answer.find("\r\n"));
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(from("127.0.0.7", "198.51.100.1", wrong), "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(from("127.0.0.7", "198.51.100.1", lab127_key_), "HTTP/1.1 429 Too Many Requests");
  EXPECT_EQ(from("127.0.0.7", "198.51.100.2", lab127_key_), "HTTP/1.1 200 OK");  // another client, same proxy
  // An untrusted peer is counted by its own address, whatever it claims.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(from("127.0.0.8", "198.51.100." + std::to_string(10 + i), wrong), "HTTP/1.1 401 Unauthorized");
  EXPECT_EQ(from("127.0.0.8", "198.51.100.20", lab127_key_), "HTTP/1.1 429 Too Many Requests");
  EXPECT_EQ(from("127.0.0.7", "198.51.100.10", lab127_key_), "HTTP/1.1 200 OK");  // the claimed one was not charged
  EXPECT_EQ(from("127.0.0.7", "127.0.0.8", lab127_key_), "HTTP/1.1 429 Too Many Requests");  // the guesser, via the proxy
}

class HttpSlowClientTest : public HttpServerTest {
 protected:
  // Replaces the fixture's server by one whose header deadline is short.
  void restart_with_header_timeout(std::chrono::milliseconds header) {
    server_.reset();
    server_ = std::make_unique<HttpServer>(*service_, "127.0.0.1", 0, 2, true);
    HttpTimeouts t;
    t.header = header;
    server_->set_timeouts(t);
    ASSERT_TRUE(server_->start());
  }
};

// Slowloris: a header dribbled a byte at a time keeps the socket busy but is
// closed once header_timeout has passed since its first byte, long before
// the idle timeout (60 s) or the dribble would end.
TEST_F(HttpSlowClientTest, HeaderDribbledByteByByteIsClosedAtTheHeaderDeadline) {
  restart_with_header_timeout(std::chrono::milliseconds(300));
  RawSocket slow(server_->port());
  ASSERT_TRUE(slow.connected());
  ASSERT_TRUE(slow.send("GET /healthz HTTP/1.1\r\nHost: autoriza\r\nX-Slow: "));
  constexpr int kDribbleBytes = 400;  // 20 s at one byte per 50 ms
  int sent = 0;
  bool closed = false;
  while (sent < kDribbleBytes && !closed) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    closed = slow.closed_by_server() || !slow.send("a");
    ++sent;
  }
  EXPECT_TRUE(closed) << "still open after " << sent << " bytes";
  EXPECT_LT(sent, kDribbleBytes);
  const std::string page = service_->metrics_page();
  EXPECT_NE(page.find("autoriza_http_request_timeouts_total{port=\"" + std::to_string(server_->port()) + "\"} 1"),
            std::string::npos)
      << page;
  // The server still serves others.
  HttpClient client;
  connect(client);
  EXPECT_EQ(call(client, "GET", "/healthz").status, 200);
}

// The header deadline starts with a request's first byte: a keep-alive
// connection that waits longer than it between requests is not closed.
TEST_F(HttpSlowClientTest, IdleConnectionOutlivesTheHeaderDeadline) {
  restart_with_header_timeout(std::chrono::milliseconds(200));
  RawSocket idle(server_->port());
  ASSERT_TRUE(idle.connected());
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // 5 header deadlines without a byte
  ASSERT_FALSE(idle.closed_by_server());
  ASSERT_TRUE(idle.send("GET /healthz HTTP/1.1\r\nHost: autoriza\r\nConnection: close\r\n\r\n"));
  const std::string answer = idle.read_all();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
}

// A new connection that sends nothing holds its slot first_byte (10 s), not
// the keep-alive idle timeout (60 s).
TEST_F(HttpSlowClientTest, SilentNewConnectionIsClosedAtTheFirstByteDeadline) {
  server_.reset();
  server_ = std::make_unique<HttpServer>(*service_, "127.0.0.1", 0, 2, true);
  HttpTimeouts t;
  t.first_byte = std::chrono::milliseconds(300);
  server_->set_timeouts(t);
  ASSERT_TRUE(server_->start());
  RawSocket silent(server_->port());
  ASSERT_TRUE(silent.connected());
  EXPECT_EQ(silent.read_all(), "");     // nothing came, and...
  EXPECT_TRUE(silent.closed_by_server());  // ...the server closed it before read_all gave up (10 s)
  // A keep-alive connection between requests waits idle (60 s), not first_byte.
  RawSocket keep_alive(server_->port());
  ASSERT_TRUE(keep_alive.send("GET /healthz HTTP/1.1\r\nHost: autoriza\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(900));  // 3 first_byte deadlines
  ASSERT_TRUE(keep_alive.send("GET /healthz HTTP/1.1\r\nHost: autoriza\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(answers_in(keep_alive.read_all()), 2u);
}

}  // namespace
}  // namespace autoriza
