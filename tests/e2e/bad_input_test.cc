// Bad-input suite (issue 6, part 5), over a real HTTP socket: for every POST
// command, a table of malformed inputs (truncated and malformed HTTP,
// oversized bodies, invalid UTF-8, huge numbers, negative quantities, NaN,
// duplicate keys, wrong types, deep nesting) must each be answered 4xx with an
// error body naming the problem and must write no event; unknown fields and
// SQL/shell metacharacters are ordinary data (accepted or refused as any
// other value, never executed); after all of it a valid command still
// succeeds and /healthz answers. Prints the counts of cases tried.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/auth/key_admin.h"
#include "tests/e2e/bad_input_cases.h"
#include "adapters/http/client.h"
#include "engine/engine.h"
#include "engine/journal.h"
#include "engine/core/reference_loader.h"
#include "engine/core/secrets.h"
#include "adapters/http/server.h"
#include "adapters/service/service.h"

namespace autoriza {
namespace {

using namespace bad_input;  // NOLINT: the cases and their vocabulary

namespace fs = std::filesystem;

// The server under test: engine on a temporary store with the test fixtures,
// the JSON service and the HTTP server on 127.0.0.1 (port 0). Every request
// goes out with request_headers(): the one place to add credentials.
struct TestServer {
  fs::path dir;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Service> service;
  std::unique_ptr<HttpServer> http;

  ~TestServer() {
    http.reset();
    service.reset();
    engine.reset();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }
};

// An ops key made by start_server(): every case is refused for its input,
// never for want of credentials.
std::string g_api_key;

std::vector<std::pair<std::string, std::string>> request_headers() {
  return {{std::string(kClientTimeHeader), std::string(kNow)}, {"Authorization", "Bearer " + g_api_key}};
}

std::unique_ptr<TestServer> start_server() {
  auto s = std::make_unique<TestServer>();
  std::string dir_template = (fs::temp_directory_path() / "autoriza-bad-input-XXXXXX").string();
  AUTORIZA_CHECK(mkdtemp(dir_template.data()) != nullptr);
  s->dir = dir_template;
  Status st;
  EngineOptions options;
  options.store = s->dir;
  options.sync = false;  // durability is not what this suite is about
  options.keys = std::make_shared<const KeyRing>(KeyRing::generate_dev());
  s->engine = Engine::open(options, &st);
  AUTORIZA_CHECK(st.is_ok() && s->engine != nullptr);
  const ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, *s->engine->reference());
  AUTORIZA_CHECK(load.ok());
  ReferenceLoadStats stats;
  AUTORIZA_CHECK(s->engine->load_reference(load.records, &stats).is_ok());
  std::string key_id;
  AUTORIZA_CHECK(auth::add_key(*s->engine, auth::Principal{"ops-bad-input", auth::Role::kOps, {}, {}, {}}, Millis{0},
                               &g_api_key, &key_id).is_ok());
  s->service = std::make_unique<Service>(*s->engine);
  s->http = std::make_unique<HttpServer>(*s->service, "127.0.0.1", 0, /*threads=*/2, /*allow_client_time=*/true);
  AUTORIZA_CHECK(s->http->start().is_ok());
  return s;
}

// Events in the journal, every stream (reference loads included).
size_t event_count(Engine& engine) {
  size_t n = 0;
  for (PartitionId stream : engine.journal().streams()) {
    const Status s = engine.journal().scan_events(stream, 0, [&](Sequence, std::string_view) {
      ++n;
      return true;
    });
    AUTORIZA_CHECK(s.is_ok());
  }
  return n;
}

// Writes bytes on a fresh connection, closes the writing side, and reads
// whatever the server answers until it closes (at most 5 s).
std::string raw_exchange(uint16_t port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  AUTORIZA_CHECK(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server may close early (body over the limit)
      sent += size_t(n);
    }
    ::shutdown(fd, SHUT_WR);
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) answer.append(buf, size_t(n));
  }
  ::close(fd);
  return answer;
}

// ---- The suite -----------------------------------------------------------------

struct SuiteAnswer {
  int status = 0;
  std::string text;
  Json json;
};

class BadInputSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = start_server();
    ASSERT_TRUE(client_.connect("127.0.0.1", server_->http->port()));
  }

  SuiteAnswer post(const std::string& command, const std::string& body) {
    if (!client_.connected()) {
      EXPECT_TRUE(client_.connect("127.0.0.1", server_->http->port()));
    }
    HttpResponse response;
    const Status st = client_.send(HttpRequest{.method = "POST", .target = "/v1/" + command, .body = body,
                                               .headers = request_headers()},
                                   &response);
    EXPECT_TRUE(st) << st.to_string();
    SuiteAnswer a{response.status, response.body, Json::parse(response.body, nullptr, /*allow_exceptions=*/false)};
    return a;
  }

  // Runs the valid commands whose bodies the cases start from.
  Baselines run_baselines() {
    Baselines b;
    auto run = [&](const std::string& command, Json body) -> Json {
      const SuiteAnswer a = post(command, body.dump());
      EXPECT_EQ(a.status, 200) << command << " " << a.text;
      b.bodies[command] = body;
      b.answers[command] = a.text;
      return a.json;
    };
    run("eligibility", {{"request_id", "b-e"}, {"provider", "LAB127"}, {"credential", "110000783851"}});
    const Json prescription = {{"kind", "MD"}, {"license", "1234"}};
    const Json order = run("authorize", {{"request_id", "b-a"}, {"provider", "LAB127"}, {"credential", "110000783851"},
                                         {"prescribed_on", "2026-11-09"}, {"prescriber", prescription},
                                         {"items", {{{"code", "000118"}}, {{"code", "000016"}}}}});
    run("consume", {{"request_id", "b-c"}, {"provider", "LAB127"}, {"credential", "110000783851"},
                    {"order", order.value("order", "")}, {"items", {0}}});
    const Json other = post("authorize", Json{{"request_id", "b-a2"}, {"provider", "LAB127"}, {"credential", "110000783852"},
                                              {"prescribed_on", "2026-11-09"}, {"prescriber", prescription},
                                              {"items", {{{"code", "000118"}}}}}.dump()).json;
    run("annul", {{"request_id", "b-n"}, {"provider", "LAB127"}, {"transaction", other.value("transaction", "")},
                  {"reason", "carga erronea"}});
    const Json audit = post("authorize", Json{{"request_id", "b-s"}, {"provider", "LAB200"}, {"credential", "110000783852"},
                                              {"mode", "audit"}, {"diagnosis", "E03.9"}, {"prescribed_on", "2026-11-09"},
                                              {"prescriber", {{"kind", "MD"}, {"license", "5678"}}},
                                              {"items", {{{"code", "000118"}}, {{"code", "000860"}}}}}.dump()).json;
    // Named as the key's principal: a verdict carries its key's auditor.
    run("audit_verdict", {{"request_id", "b-v"}, {"auditor", "ops-bad-input"}, {"sap", audit.value("sap", "")},
                          {"verdict", "REQUEST_DOCS"}, {"message", "Adjuntar TSH previa"}});
    run("token_issue", {{"request_id", "b-t"}, {"credential", "110000783851"}, {"kind", "DYNAMIC"}});
    return b;
  }

  // Checks one case; returns whether it was answered with a clear error.
  bool check(const Case& c, const Baselines& b) {
    SCOPED_TRACE(c.kind + " on " + c.command + ": " + c.body.substr(0, 200));
    const size_t before = event_count(*server_->engine);
    SuiteAnswer a;
    if (c.raw) {
      const std::string reply = raw_exchange(server_->http->port(), c.body);
      if (!reply.empty()) {
        EXPECT_EQ(reply.rfind("HTTP/1.1 ", 0), 0u) << reply;
        a.status = std::atoi(reply.substr(9, 3).c_str());
        const size_t blank = reply.find("\r\n\r\n");
        a.text = blank == std::string::npos ? "" : reply.substr(blank + 4);
        a.json = Json::parse(a.text, nullptr, false);
      }
    } else {
      a = post(c.command, c.body);
    }
    const size_t written = event_count(*server_->engine) - before;
    const Json error = a.json.is_object() && a.json.contains("error") ? a.json["error"] : Json();
    const bool clear_error = a.status >= 400 && a.status < 500 && error.is_object() && !error.value("code", "").empty() &&
                             !error.value("message", "").empty();
    switch (c.expect) {
      case Expect::kError: {
        EXPECT_TRUE(clear_error) << a.status << " " << a.text;
        EXPECT_EQ(written, 0u);
        const std::string message = error.is_object() ? error.value("message", "") : "";
        EXPECT_NE(message.find(c.says), std::string::npos) << "expected '" << c.says << "' in: " << a.text;
        if (!c.field.empty()) {
          EXPECT_EQ(error.is_object() ? error.value("field", "") : "", c.field) << a.text;
        }
        return clear_error && written == 0 && message.find(c.says) != std::string::npos;
      }
      case Expect::kClosed:
        EXPECT_TRUE(a.status == 0 || clear_error) << a.status << " " << a.text;
        EXPECT_EQ(written, 0u);
        return false;
      case Expect::kData:
        EXPECT_TRUE(a.status == 200 || clear_error) << a.status << " " << a.text;
        ++(a.status == 200 ? data_accepted_ : data_refused_);
        EXPECT_EQ(written, a.status == 200 ? 1u : 0u) << a.text;
        EXPECT_TRUE(a.json.is_object()) << a.text;
        return false;
      case Expect::kRetry:
        EXPECT_EQ(a.status, 200) << a.text;
        EXPECT_EQ(a.text, b.answers.at(c.command));
        EXPECT_EQ(written, 0u);
        return false;
    }
    return false;
  }

  std::unique_ptr<TestServer> server_;
  HttpClient client_;
  int data_accepted_ = 0;  // metacharacter cases answered 200 (one event each)
  int data_refused_ = 0;   // metacharacter cases answered 4xx (no event)
};

TEST_F(BadInputSuite, EveryBadInputIsAnsweredAndWritesNothing) {
  const Baselines baselines = run_baselines();
  ASSERT_FALSE(HasFailure());
  std::map<std::string, std::pair<int, int>> by_kind;  // kind -> tried, clear errors
  int tried = 0, clear = 0, errors_expected = 0, closed = 0, data = 0;
  auto run_all = [&](const std::vector<Case>& cases) {
    for (const Case& c : cases) {
      const bool ok = check(c, baselines);
      ++tried;
      auto& [k_tried, k_clear] = by_kind[c.kind];
      ++k_tried;
      if (c.expect == Expect::kError) ++errors_expected;
      if (c.expect == Expect::kClosed) ++closed;
      if (c.expect == Expect::kData || c.expect == Expect::kRetry) ++data;
      if (ok) ++clear, ++k_clear;
    }
  };
  run_all(error_cases(baselines));
  run_all(raw_cases(baselines));
  run_all(data_cases(baselines));

  // The engine still serves.
  const SuiteAnswer valid = post("eligibility", Json{{"request_id", "after-all"}, {"provider", "LAB127"},
                                                {"credential", "110000783851"}}.dump());
  EXPECT_EQ(valid.status, 200) << valid.text;
  EXPECT_EQ(valid.json.value("status", ""), "ELIGIBLE") << valid.text;
  HttpResponse health;
  ASSERT_TRUE(client_.send(HttpRequest{.method = "GET", .target = "/healthz", .body = {}, .headers = request_headers()},
                           &health));
  EXPECT_EQ(health.status, 200);
  EXPECT_FALSE(fs::exists("/tmp/autoriza-pwned"));  // "$(touch /tmp/autoriza-pwned)" stayed a string

  std::cout << "| kind | cases | clear errors |\n|---|---|---|\n";
  for (const auto& [kind, counts] : by_kind) {
    std::cout << "| " << kind << " | " << counts.first << " | " << counts.second << " |\n";
  }
  std::cout << "bad-input suite: " << errors_expected << " cases tried, " << clear << " answered with a clear error\n"
            << "bad-input suite: " << closed << " truncated frames closed without an event, " << data
            << " cases of ordinary data (unknown fields, metacharacters) answered as data (" << data_accepted_
            << " accepted with one event each, " << data_refused_ << " refused with an error); " << tried << " in all\n";
  EXPECT_EQ(clear, errors_expected);
  EXPECT_GT(errors_expected, 300);
}

}  // namespace
}  // namespace autoriza
