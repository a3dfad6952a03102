// The logs of a real `autoriza serve` (child process, --log-format json):
// one access line per command, HTTP and TCP, with its request id, channel,
// outcome and latency; every line one JSON object; and not one credential
// number, DNI/CUIL, name, token, API key or body in the whole log, though the
// commands sent are full of them (issue 6, item 6).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <csignal>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/codec/error_codes.h"
#include "adapters/http/client.h"
#include "tests/support/crash_process.h"
#include "adapters/auth/key_admin.h"
#include "adapters/tcp/tcp_client.h"

namespace autoriza {
namespace {

using Json = nlohmann::json;

constexpr auto kStartTimeout = std::chrono::seconds(120);  // a first store under the sanitizers
constexpr std::string_view kAt = "2026-11-04T08:00:00-03:00";

// A port nobody listens on now (the kernel's pick, released at once).
uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t n = sizeof a;
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

class LogPrivacyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    tcp_port_ = free_port();
    ASSERT_NE(tcp_port_, 0);
    const std::vector<std::string> argv = {AUTORIZA_BINARY, "serve", "--store", (tmp_.path() / "store").string(),
                                           "--http", "127.0.0.1:0", "--tcp-port", std::to_string(tcp_port_),
                                           "--allow-client-time", "--data", AUTORIZA_TEST_FIXTURES,
                                           "--log-format", "json"};
    std::string error;
    ASSERT_TRUE(server_.start(argv, log_path(), kStartTimeout, &error)) << error;
    std::vector<auth::DevKey> keys;
    ASSERT_TRUE(auth::read_dev_keys(tmp_.path() / "store" / "dev-keys.csv", &keys));
    for (const auth::DevKey& k : keys) secrets_.push_back(k.key);  // none may reach the log
    ASSERT_NE(auth::find_dev_key(keys, "admin"), nullptr);
    ASSERT_NE(auth::find_dev_key(keys, "provider-MED410"), nullptr);
    admin_key_ = auth::find_dev_key(keys, "admin")->key;
    provider_key_ = auth::find_dev_key(keys, "provider-MED410")->key;
  }

  std::filesystem::path log_path() const { return tmp_.path() / "serve-stderr.log"; }

  // POST /v1/<command> as key; the answer's body.
  Json post(const std::string& key, const std::string& command, const Json& body, int expected_status) {
    HttpClient client;
    client.set_api_key(key);
    EXPECT_TRUE(client.connect("127.0.0.1", server_.port()));
    int status = 0;
    std::string text;
    EXPECT_TRUE(client.request("POST", "/v1/" + command, body.dump(), &status, &text, kClientTimeHeader, kAt));
    EXPECT_EQ(status, expected_status) << command << " " << text;
    return Json::parse(text, nullptr, false);
  }

  crash::TempDir tmp_{"log-privacy"};
  crash::ServerProcess server_;
  uint16_t tcp_port_ = 0;
  std::string admin_key_, provider_key_;
  std::vector<std::string> secrets_;
};

TEST_F(LogPrivacyTest, AccessLinesCarryRequestIdsAndNoSecretOrPersonalData) {
  // A token of affiliate 220000100001 (JUAN AFILIADO DE PRUEBA, DNI 29999998,
  // CUIL 20299999980), used at once by a provider over HTTP.
  const Json issued = post(admin_key_, "token_issue",
                           {{"request_id", "pii-t1"}, {"credential", "220000100001"}, {"kind", "DYNAMIC"}}, 200);
  ASSERT_TRUE(issued.contains("tokens")) << issued;
  const std::string token = issued["tokens"][0]["token"].get<std::string>();
  secrets_.push_back(token);
  const Json eligible = post(provider_key_, "eligibility",
                             {{"request_id", "pii-e1"}, {"provider", "MED410"}, {"credential", "220000100001"},
                              {"token", token}},
                             200);
  EXPECT_EQ(eligible.value("status", ""), "ELIGIBLE") << eligible;
  const Json authorized = post(provider_key_, "authorize",
                               {{"request_id", "pii-a1"}, {"provider", "MED410"}, {"credential", "220000100001"},
                                {"prescribed_on", "2026-11-04"},
                                {"prescriber", {{"kind", "MD"}, {"license", "5678"}}},
                                {"diagnosis", "K02.9"},
                                {"note", "paciente Rigoberta Quispe Mamani, tel 11-5555-0101"},
                                {"items", {{{"code", "420101"}}}}},
                               200);
  EXPECT_TRUE(authorized.contains("status")) << authorized;
  // Refused before the engine: a malformed body quoting a credential, another
  // provider's command, and a key that does not exist.
  post(provider_key_, "eligibility", {{"request_id", "pii-bad"}, {"provider", "MED410"}, {"credential", 110000783852}},
       400);
  post(provider_key_, "eligibility", {{"request_id", "pii-403"}, {"provider", "LAB127"}, {"credential", "354495"}}, 403);
  const std::string wrong_key = "az_ThisKeyIsNotKnownToTheServerAndMustNotBeLogged0";
  secrets_.push_back(wrong_key);
  post(wrong_key, "eligibility", {{"request_id", "pii-401"}, {"provider", "MED410"}, {"credential", "438908"}}, 401);

  // Over the binary TCP adapter: one command, then a connection with a wrong key.
  {
    tcp::TcpClient client({.host = "127.0.0.1", .port = tcp_port_, .api_key = provider_key_});
    ASSERT_TRUE(client.connect());
    fb::EligibilityCmdT c;
    c.request_id = "pii-tcp1";
    c.provider = "MED410";
    c.credential = "110000783853";
    fb::CommandUnion u;
    u.Set(std::move(c));
    const tcp::Answer a = client.execute(u);
    ASSERT_TRUE(a.ok()) << a.error.message;
  }
  {
    tcp::TcpClient intruder({.host = "127.0.0.1", .port = tcp_port_, .api_key = wrong_key, .reconnect_attempts = 0});
    EXPECT_FALSE(intruder.connect());
  }

  const std::optional<int> exit = server_.terminate(std::chrono::seconds(60));  // SIGTERM: the logs are flushed
  ASSERT_TRUE(exit.has_value());
  const std::string log = crash::read_file_text(log_path());
  ASSERT_FALSE(log.empty());

  // Every line is one JSON object with time, level and logger.
  std::map<std::string, Json> access;  // by request id
  std::vector<Json> access_lines;
  bool listening = false;
  std::istringstream lines(log);
  std::string line;
  size_t count = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++count;
    const Json j = Json::parse(line, nullptr, false);
    ASSERT_TRUE(j.is_object()) << "not a JSON line: " << line;
    ASSERT_TRUE(j.contains("time") && j.contains("level") && j.contains("logger")) << line;
    if (j["logger"] == "access") {
      access[j.value("request_id", "")] = j;
      access_lines.push_back(j);
    }
    if (j.value("msg", "").find("listening on") != std::string::npos) listening = true;
  }
  EXPECT_GE(count, 8u) << log;
  EXPECT_TRUE(listening) << "no server event for the listeners:\n" << log;

  // One access line per command, each with its request id.
  for (const char* id : {"pii-t1", "pii-e1", "pii-a1", "pii-403", "pii-tcp1"}) {
    ASSERT_TRUE(access.contains(id)) << id << " has no access line:\n" << log;
    EXPECT_TRUE(access[id].contains("latency_us")) << access[id];
  }
  EXPECT_EQ(access["pii-e1"]["channel"], "http");
  EXPECT_EQ(access["pii-e1"]["outcome"], "ELIGIBLE");
  EXPECT_EQ(access["pii-e1"]["provider"], "MED410");
  EXPECT_EQ(access["pii-e1"]["principal"], "provider-MED410");
  EXPECT_EQ(access["pii-e1"]["http_status"], 200);
  EXPECT_EQ(access["pii-403"]["outcome"], "FORBIDDEN");
  EXPECT_EQ(access["pii-tcp1"]["channel"], "tcp");
  EXPECT_EQ(access["pii-tcp1"]["outcome"], "ELIGIBLE");
  // The 400 and 401 are logged too, without the request id they never got to;
  // the TCP connection with a wrong key sent no command.
  EXPECT_EQ(access_lines.size(), 7u) << log;
  size_t refused_400 = 0, refused_401 = 0;
  for (const Json& j : access_lines) {
    if (j["http_status"] == 400) ++refused_400;
    if (j["http_status"] == 401) ++refused_401;
  }
  EXPECT_EQ(refused_400, 1u) << log;
  EXPECT_EQ(refused_401, 1u) << log;

  // Not one secret or personal datum anywhere in the log.
  std::vector<std::string> never = secrets_;
  for (const char* pii : {"220000100001", "110000783852", "110000783853", "354495", "438908",  // credentials
                          "29999998", "20299999980", "26111222", "27261112227", "52100333",   // DNI, CUIL
                          "AFILIADO DE PRUEBA", "JUAN", "CATALDI", "TOMAS",                   // names
                          "Rigoberta", "Quispe", "5555-0101", "K02.9", "5678",                // the note, diagnosis, license
                          "juan.prueba@example.org"}) {
    never.emplace_back(pii);
  }
  for (const std::string& s : never) EXPECT_EQ(log.find(s), std::string::npos) << "'" << s << "' is in the log:\n" << log;
}

}  // namespace
}  // namespace autoriza
