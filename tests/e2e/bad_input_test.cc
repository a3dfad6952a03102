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

#include "client.h"
#include "engine.h"
#include "journal.h"
#include "reference_loader.h"
#include "secrets.h"
#include "server.h"
#include "service.h"

namespace autoriza {
namespace {

using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kTimeHeader = "X-Autoriza-Time";
constexpr std::string_view kNow = "2026-11-10T10:00:00-03:00";

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

std::vector<std::pair<std::string, std::string>> request_headers() {
  return {{std::string(kTimeHeader), std::string(kNow)}};
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

// ---- The cases ---------------------------------------------------------------

enum class Expect {
  kError,     // 4xx, error body naming the problem, no event
  kClosed,    // a request cut short: the server closes (an answer is optional), no event
  kData,      // ordinary data: 200 (exactly one event) or 4xx with an error (none)
  kRetry,     // a retry of a baseline with unknown fields: the baseline's answer, no event
};

struct Case {
  Case(std::string kind_, std::string command_, std::string body_, Expect expect_ = Expect::kError, std::string says_ = {},
       std::string field_ = {}, bool raw_ = false)
      : kind(std::move(kind_)), command(std::move(command_)), body(std::move(body_)), expect(expect_),
        says(std::move(says_)), field(std::move(field_)), raw(raw_) {}
  std::string kind;      // "invalid UTF-8", ...
  std::string command;   // POST /v1/<command>
  std::string body;      // JSON text (or raw HTTP bytes for raw cases)
  Expect expect;
  std::string says;      // kError: the error message contains this
  std::string field;     // kError: error.field, when not empty
  bool raw;              // body is the whole HTTP request
};

// A valid body of each command, run once before the cases (baselines).
struct Baselines {
  std::map<std::string, Json> bodies;
  std::map<std::string, std::string> answers;
};

// Replaces the value at pointer (e.g. "/items/0/qty") by raw JSON text.
std::string with_raw(Json body, const std::string& pointer, const std::string& raw) {
  constexpr std::string_view kMark = "__RAW_VALUE__";
  body[Json::json_pointer(pointer)] = kMark;
  std::string text = body.dump();
  const size_t at = text.find("\"" + std::string(kMark) + "\"");
  AUTORIZA_CHECK(at != std::string::npos);
  return text.replace(at, kMark.size() + 2, raw);
}

std::string field_of(const std::string& pointer) {  // "/items/0/qty" -> "items[0].qty"
  std::string out;
  size_t pos = 1;
  while (pos <= pointer.size()) {
    size_t end = pointer.find('/', pos);
    if (end == std::string::npos) end = pointer.size();
    const std::string part = pointer.substr(pos, end - pos);
    if (!part.empty() && part.find_first_not_of("0123456789") == std::string::npos) {
      out += "[" + part + "]";
    } else {
      out += (out.empty() ? "" : ".") + part;
    }
    pos = end + 1;
  }
  return out;
}

struct CommandShape {
  std::string name;
  std::vector<std::string> strings;   // pointers of string fields
  std::vector<std::string> integers;  // pointers of integer fields
  std::string integer_range;          // words of their range error ("between 1 and 1000")
};

std::vector<CommandShape> shapes() {
  return {
      {"eligibility", {"/provider", "/credential", "/token"}, {}, ""},
      {"authorize", {"/provider", "/credential", "/note", "/items/0/code"}, {"/items/0/qty"}, "between 1 and 1000"},
      {"consume", {"/provider", "/credential", "/order", "/note"}, {"/items/0"}, "integer 0..49"},
      {"annul", {"/provider", "/transaction", "/reason"}, {}, ""},
      {"audit_verdict", {"/auditor", "/sap", "/message"}, {"/items/0/index"}, "between 0 and 49"},
      {"token_issue", {"/credential"}, {"/count"}, "between 1 and 31"},
  };
}

// Bodies used as templates: valid, with a fresh request_id.
Json template_of(const Baselines& b, const std::string& command, int n) {
  Json body = b.bodies.at(command);
  if (command == "audit_verdict") {  // a template with items, for the integer cases
    body["verdict"] = "PARTIAL";
    body["items"] = Json::array({{{"index", 0}, {"decision", "AUTHORIZE"}}});
  }
  if (command == "eligibility") body["token"] = "123456";
  body["request_id"] = "bad-" + std::to_string(n);
  return body;
}

std::vector<Case> error_cases(const Baselines& b) {
  std::vector<Case> cases;
  int n = 0;
  for (const CommandShape& shape : shapes()) {
    const std::string& c = shape.name;
    auto body = [&] { return template_of(b, c, ++n); };
    const std::string text = body().dump();
    cases.push_back({"truncated JSON", c, text.substr(0, text.size() / 2), Expect::kError, "not valid JSON"});
    cases.push_back({"truncated JSON", c, text.substr(0, text.size() - 1), Expect::kError, "not valid JSON"});
    cases.push_back({"empty body", c, "", Expect::kError, "not valid JSON"});
    for (const char* not_object : {"[]", "\"eligibility\"", "42", "null"}) {
      cases.push_back({"wrong type", c, not_object, Expect::kError, "must be a JSON object"});
    }
    Json big = body();
    big["note"] = std::string(kBodyMaxBytes, 'x');
    cases.push_back({"oversized body", c, big.dump(), Expect::kError, "body over 65536 bytes"});
    cases.push_back({"deep nesting", c, with_raw(body(), "/x_unknown", std::string(20, '[') + std::string(20, ']')),
                     Expect::kError, "deeper than 16"});
    for (const std::string& p : shape.strings) {
      cases.push_back({"invalid UTF-8", c, with_raw(body(), p, "\"A\xff\xfe" "B\""), Expect::kError, "UTF-8"});
      cases.push_back({"invalid UTF-8", c, with_raw(body(), p, "\"\xc0\xaf\""), Expect::kError, "UTF-8"});  // overlong '/'
      cases.push_back({"invalid UTF-8", c, with_raw(body(), p, "\"\xed\xa0\x80\""), Expect::kError, "UTF-8"});  // surrogate
      cases.push_back({"wrong type", c, with_raw(body(), p, "12345"), Expect::kError, "must be a string", field_of(p)});
      cases.push_back({"wrong type", c, with_raw(body(), p, "[\"a\"]"), Expect::kError, "must be a string", field_of(p)});
      cases.push_back({"wrong type", c, with_raw(body(), p, "{\"a\":1}"), Expect::kError, "must be a string", field_of(p)});
      cases.push_back({"huge numbers", c, with_raw(body(), p, "1e999"), Expect::kError, "not valid JSON"});
      if (p.find('/', 1) == std::string::npos && body().contains(p.substr(1))) {  // top-level keys of the body
        cases.push_back({"duplicate keys", c, "{\"" + p.substr(1) + "\":\"X\"," + body().dump().substr(1), Expect::kError,
                         "twice", p.substr(1)});
      }
      cases.push_back({"too long", c, with_raw(body(), p, "\"" + std::string(1001, 'z') + "\""), Expect::kError,
                       "longer than", field_of(p)});
    }
    cases.push_back({"duplicate keys", c, "{\"request_id\":\"dup\"," + body().dump().substr(1), Expect::kError, "twice",
                     "request_id"});
    cases.push_back({"wrong type", c, with_raw(body(), "/request_id", "7"), Expect::kError, "must be a string", "request_id"});
    for (const std::string& p : shape.integers) {
      const std::string f = field_of(p);
      for (const char* huge : {"99999999999999999999", "18446744073709551616", "1e30", "9223372036854775807"}) {
        cases.push_back({"huge numbers", c, with_raw(body(), p, huge), Expect::kError, shape.integer_range, f});
      }
      cases.push_back({"huge numbers", c, with_raw(body(), p, "1e400"), Expect::kError, "number overflow"});
      for (const char* negative : {"-1", "-9223372036854775808", "-1e3"}) {
        cases.push_back({"negative quantities", c, with_raw(body(), p, negative), Expect::kError, shape.integer_range, f});
      }
      for (const char* nan : {"NaN", "-NaN", "Infinity", "-Infinity", "nan"}) {
        cases.push_back({"NaN amounts", c, with_raw(body(), p, nan), Expect::kError, "not valid JSON"});
      }
      cases.push_back({"NaN amounts", c, with_raw(body(), p, "\"NaN\""), Expect::kError, shape.integer_range, f});
      cases.push_back({"wrong type", c, with_raw(body(), p, "1.5"), Expect::kError, shape.integer_range, f});
      cases.push_back({"wrong type", c, with_raw(body(), p, "true"), Expect::kError, shape.integer_range, f});
      cases.push_back({"wrong type", c, with_raw(body(), p, "\"2\""), Expect::kError, shape.integer_range, f});
    }
  }
  return cases;
}

// Raw HTTP, per command: truncated frames, malformed heads, oversized bodies.
std::vector<Case> raw_cases(const Baselines& b) {
  std::vector<Case> cases;
  for (const CommandShape& shape : shapes()) {
    const std::string c = shape.name;
    const std::string target = "/v1/" + c;
    const std::string body = template_of(b, c, 0).dump();
    const std::string head = "POST " + target + " HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n";
    const std::string time = std::string(kTimeHeader) + ": " + std::string(kNow) + "\r\n";
    cases.push_back({"truncated frame", c, head + time + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                               body.substr(0, body.size() / 2),
                     Expect::kClosed, "", "", true});
    cases.push_back({"truncated frame", c, head.substr(0, head.size() - 10), Expect::kClosed, "", "", true});
    cases.push_back({"truncated frame", c, head + time + "Transfer-Encoding: chunked\r\n\r\n10\r\n" + body.substr(0, 8),
                     Expect::kClosed, "", "", true});
    cases.push_back({"malformed HTTP", c, head + time + "Content-Length: abc\r\n\r\n" + body, Expect::kError,
                     "malformed HTTP", "", true});
    cases.push_back({"malformed HTTP", c, head + time + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
                     Expect::kError, "malformed HTTP", "", true});
    cases.push_back({"malformed HTTP", c, "POST " + target + " HTTP/9.9 extra\r\n\r\n", Expect::kError, "malformed HTTP",
                     "", true});
    cases.push_back({"malformed HTTP", c, head + "Bad Header Name: x\r\n\r\n", Expect::kError, "malformed HTTP", "", true});
    cases.push_back({"oversized body", c, head + time + "Content-Length: 10000000\r\n\r\n" + body, Expect::kError,
                     "body over", "", true});
    cases.push_back({"oversized body", c, head + time + "X-Pad: " + std::string(9000, 'p') + "\r\n\r\n", Expect::kError,
                     "header over", "", true});
  }
  return cases;
}

// Unknown fields (ignored, SPEC 10) and SQL/shell metacharacters (data).
std::vector<Case> data_cases(const Baselines& b) {
  std::vector<Case> cases;
  const std::vector<std::string> nasty = {
      "'; DROP TABLE affiliates; --", "\" OR 1=1 --", "$(touch /tmp/autoriza-pwned)", "`id`", "| cat /etc/passwd",
      "; rm -rf / #", "%s%n%x", "../../etc/passwd", "<script>alert(1)</script>", "${jndi:ldap://x}", "\\\\x00\\u0000",
      std::string("nul\0inside", 10)};
  int n = 0;
  for (const CommandShape& shape : shapes()) {
    for (const std::string& p : shape.strings) {
      for (const std::string& s : nasty) {
        Json body = b.bodies.at(shape.name);
        body["request_id"] = "meta-" + std::to_string(++n);
        body[Json::json_pointer(p)] = s;
        cases.push_back({"metacharacters", shape.name, body.dump(), Expect::kData});
      }
    }
    Json id = b.bodies.at(shape.name);
    id["request_id"] = "'; DROP TABLE events; --";
    cases.push_back({"metacharacters", shape.name, id.dump(), Expect::kData});
    // A retry of the baseline with unknown fields is the same command.
    Json retry = b.bodies.at(shape.name);
    retry["x_unknown"] = {{"sql", "' OR 1=1"}, {"n", 1e300}, {"list", {1, "two", nullptr}}};
    retry["shell"] = "$(reboot)";
    cases.push_back({"unknown fields", shape.name, retry.dump(), Expect::kRetry});
  }
  return cases;
}

// ---- The suite -----------------------------------------------------------------

struct Answer {
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

  Answer post(const std::string& command, const std::string& body) {
    if (!client_.connected()) {
      EXPECT_TRUE(client_.connect("127.0.0.1", server_->http->port()));
    }
    HttpResponse response;
    const Status st = client_.send(HttpRequest{.method = "POST", .target = "/v1/" + command, .body = body,
                                               .headers = request_headers()},
                                   &response);
    EXPECT_TRUE(st) << st.to_string();
    Answer a{response.status, response.body, Json::parse(response.body, nullptr, /*allow_exceptions=*/false)};
    return a;
  }

  // Runs the valid commands whose bodies the cases start from.
  Baselines run_baselines() {
    Baselines b;
    auto run = [&](const std::string& command, Json body) -> Json {
      const Answer a = post(command, body.dump());
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
    run("audit_verdict", {{"request_id", "b-v"}, {"auditor", "AUD07"}, {"sap", audit.value("sap", "")},
                          {"verdict", "REQUEST_DOCS"}, {"message", "Adjuntar TSH previa"}});
    run("token_issue", {{"request_id", "b-t"}, {"credential", "110000783851"}, {"kind", "DYNAMIC"}});
    return b;
  }

  // Checks one case; returns whether it was answered with a clear error.
  bool check(const Case& c, const Baselines& b) {
    SCOPED_TRACE(c.kind + " on " + c.command + ": " + c.body.substr(0, 200));
    const size_t before = event_count(*server_->engine);
    Answer a;
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
  const Answer valid = post("eligibility", Json{{"request_id", "after-all"}, {"provider", "LAB127"},
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
