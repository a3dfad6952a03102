// The cluster as separate processes, the way ops/kafka-dev-cluster.sh runs it:
// `autoriza devbroker`, `autoriza load --kafka` (reference data into
// autoriza.reference), two `serve --role validator` and a `serve --role
// gateway` reading it from there, with authenticated HTTP from outside. Answers equal the embedded
// engine's; a validator killed -9 and restarted on its disk resumes from the
// cursor it stored and loses nothing; retries get the original answer.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <cstdlib>

#include "adapters/http/client.h"  // adapters/http
#include "tests/support/crash_process.h"
#include "tests/support/harness.h"
#include "tests/kafka/kafka_rig.h"
#include "adapters/auth/key_admin.h"
#include "adapters/http/routes.h"  // kClientTimeHeader

namespace autoriza::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(120);  // first stores under the sanitizers

// Waits until file holds `needle` `times` times (or the deadline).
bool wait_for_text(const std::filesystem::path& file, const std::string& needle, size_t times,
                   std::chrono::seconds timeout) {
  const auto deadline = crash::Clock::now() + timeout;
  for (;;) {
    const std::string text = crash::read_file_text(file);
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    if (n >= times) return true;
    if (crash::Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

class KafkaProcesses : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);
    // Every role shares the master keys (ops/keys.md); children inherit them.
    ::setenv("AUTORIZA_SECRET_KEYS", "1:8f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a", 1);
    std::string error;
    broker_ = spawn({AUTORIZA_BINARY, "devbroker", "--partitions", "2", "--bootstrap-file", bootstrap().string()},
                    "devbroker");
    ASSERT_GT(broker_, 0);
    ASSERT_TRUE(wait_for_text(bootstrap(), ":", 1, std::chrono::seconds(30))) << crash::read_file_text(log("devbroker"));
    // Reference data goes to autoriza.reference once; the roles read it from there.
    std::string output;
    const auto rc = crash::run_command({AUTORIZA_BINARY, "load", "--kafka", bootstrap().string(), "--data",
                                        AUTORIZA_TEST_FIXTURES},
                                       log("load"), std::chrono::seconds(60), &output);
    ASSERT_EQ(rc, std::optional<int>(0)) << output;
    ASSERT_NE(output.find("autoriza.reference: "), std::string::npos) << output;
    for (int v = 0; v < 2; ++v) start_validator(v, 1);
    const std::vector<std::string> gateway = {
        AUTORIZA_BINARY, "serve", "--kafka", bootstrap().string(), "--role", "gateway", "--partitions", "2", "--store", (tmp_.path() / "gateway").string(), "--http", "127.0.0.1:0",
        "--allow-client-time", "--timeout-ms", "3000", "--log-format", "text", "--auth-failures-max", "4"};
    ASSERT_TRUE(gateway_.start(gateway, log("gateway"), kStartTimeout, &error)) << error;
    std::vector<auth::DevKey> keys;
    ASSERT_TRUE(auth::read_dev_keys(tmp_.path() / "gateway" / "dev-keys.csv", &keys));
    for (const auth::DevKey& k : keys) keys_[k.principal] = k.key;
    ASSERT_TRUE(keys_.count("provider-LAB127") && keys_.count("provider-LAB200") && keys_.count("auditor"));
  }

  void TearDown() override {
    for (pid_t pid : {validators_[0], validators_[1], broker_}) {
      if (pid <= 0) continue;
      ::kill(pid, SIGTERM);
      if (!crash::wait_for_exit(pid, std::chrono::seconds(20))) {
        ::kill(pid, SIGKILL);
        crash::wait_for_exit(pid, std::chrono::seconds(10));
      }
    }
  }

  std::filesystem::path bootstrap() const { return tmp_.path() / "bootstrap"; }
  std::filesystem::path log(const std::string& name) const { return tmp_.path() / (name + ".log"); }

  pid_t spawn(const std::vector<std::string>& argv, const std::string& name) {
    const int fd = ::open(log(name).c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    EXPECT_GE(fd, 0);
    std::string error;
    const pid_t pid = crash::spawn_process(argv, fd, fd, &error);
    ::close(fd);
    EXPECT_GT(pid, 0) << error;
    return pid;
  }

  // Starts validator v owning partition v; waits for its `times`-th catch-up line.
  void start_validator(int v, size_t times) {
    const std::string name = "validator-" + std::to_string(v);
    validators_[v] = spawn({AUTORIZA_BINARY, "serve", "--kafka", bootstrap().string(), "--role", "validator",
                            "--partitions", "2", "--own", std::to_string(v), "--store", (tmp_.path() / name).string(), "--log-format", "text"},
                           name);
    ASSERT_GT(validators_[v], 0);
    ASSERT_TRUE(wait_for_text(log(name), "commands from offset", times, kStartTimeout)) << crash::read_file_text(log(name));
  }

  // POST /v1/<command> through the gateway with key; retries 503/504 with the
  // same body, as a switch does. *status: the last status.
  Json post(const std::string& key, const std::string& command, const Json& body, const std::string& at, int* status) {
    HttpClient client;
    client.set_api_key(key);
    std::string text;
    for (int attempt = 0; attempt < 20; ++attempt) {
      if (!client.connected()) {
        EXPECT_TRUE(client.connect("127.0.0.1", gateway_.port()).is_ok());
      }
      text.clear();
      Status s = client.request("POST", "/v1/" + command, body.dump(), status, &text, kClientTimeHeader, at);
      if (s && *status != 503 && *status != 504) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    Json j = Json::parse(text, nullptr, false);
    if (*status != 200 && j.is_object()) j["http"] = *status;
    return j;
  }

  // GET target through the gateway with key until it answers `wanted` (the
  // gateway's mirror and its reference data follow Kafka) or 30 s pass; the
  // last status, and its body in *text.
  int read_with(const std::string& key, const std::string& target, int wanted, std::string* text = nullptr) {
    const auto deadline = crash::Clock::now() + std::chrono::seconds(30);
    int status = 0;
    std::string body;
    if (!text) text = &body;
    for (;;) {
      HttpClient client;
      client.set_api_key(key);
      if (client.connect("127.0.0.1", gateway_.port()).is_ok() &&
          client.request("GET", target, "", &status, text).is_ok() && status == wanted) {
        return status;
      }
      if (crash::Clock::now() > deadline) return status;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Command i of kafka_rig.h through the gateway, as its provider; equal to the embedded answer.
  Json run(int i) {
    auto [command, body, at] = command_at(i);
    const Json expected = embedded_.run(command, body, at);
    int status = 0;
    const Json got = post(keys_.at("provider-" + body["provider"].get<std::string>()), command, body, at, &status);
    EXPECT_EQ(got, expected) << "command " << i;
    return got;
  }

  crash::TempDir tmp_{"kafka-processes"};
  Harness embedded_{2};
  pid_t broker_ = -1;
  pid_t validators_[2] = {-1, -1};
  crash::ServerProcess gateway_;
  std::map<std::string, std::string> keys_;
};

TEST_F(KafkaProcesses, AuthenticatedHttpThroughGatewayAndValidatorsEqualsEmbedded) {
  {
    // No key, and a provider's key used for another provider: refused at the gateway.
    auto [command, body, at] = command_at(0);
    int status = 0;
    post("", command, body, at, &status);
    EXPECT_EQ(status, 401);
    post(keys_.at("provider-LAB200"), command, body, at, &status);  // command 0 is LAB127's
    EXPECT_EQ(status, 403);
  }
  std::string last_transaction;
  for (int i = 0; i < 40; ++i) {
    const Json answer = run(i);
    if (answer.contains("transaction")) last_transaction = answer["transaction"].get<std::string>();
  }
  ASSERT_FALSE(last_transaction.empty());

  // Validator 0 killed -9 once its cursor is stored (every second), then
  // restarted on its disk: it reads only what follows its cursor.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ::kill(validators_[0], SIGKILL);
  crash::wait_for_exit(validators_[0], std::chrono::seconds(10));
  start_validator(0, 2);
  EXPECT_NE(crash::read_file_text(log("validator-0")).find("(stored cursor)"), std::string::npos)
      << crash::read_file_text(log("validator-0"));
  for (int i = 40; i < 70; ++i) run(i);

  // A retry gets the original answer; the same request id with another body is 409.
  auto [command, body, at] = command_at(5);
  int status = 0;
  const Json again = post(keys_.at("provider-" + body["provider"].get<std::string>()), command, body, at, &status);
  EXPECT_EQ(again, embedded_.run(command, body, at));
  body["items"] = Json::array({Json{{"code", "000118"}}});
  post(keys_.at("provider-" + body["provider"].get<std::string>()), command, body, at, &status);
  EXPECT_EQ(status, 409);

  // Reads come from the gateway's mirror of autoriza.events (eventually).
  std::string text;
  EXPECT_EQ(read_with(keys_.at("auditor"), "/v1/transactions/" + last_transaction, 200, &text), 200) << text;
  EXPECT_NE(text.find(last_transaction), std::string::npos) << text;

  // A key added on autoriza.reference (`keys add --kafka`) opens every
  // gateway following the topic; revoked there, it opens none.
  std::string output;
  auto rc = crash::run_command({AUTORIZA_BINARY, "keys", "add", "--kafka", bootstrap().string(), "--principal",
                                "auditor-kafka", "--role", "auditor"},
                               log("keys"), std::chrono::seconds(60), &output);
  ASSERT_EQ(rc, std::optional<int>(0)) << output;
  const size_t key_at = output.find("\nkey ");
  ASSERT_NE(key_at, std::string::npos) << output;
  const std::string cluster_key = output.substr(key_at + 5, output.find('\n', key_at + 5) - key_at - 5);
  EXPECT_EQ(read_with(cluster_key, "/v1/transactions/" + last_transaction, 200), 200);
  rc = crash::run_command({AUTORIZA_BINARY, "keys", "revoke", "--kafka", bootstrap().string(), "auditor-kafka"},
                          log("keys"), std::chrono::seconds(60), &output);
  ASSERT_EQ(rc, std::optional<int>(0)) << output;
  EXPECT_NE(output.find("revoked 1 key(s)"), std::string::npos) << output;
  EXPECT_EQ(read_with(cluster_key, "/v1/transactions/" + last_transaction, 401), 401);

  // The gateway takes serve's access options (--auth-failures-max 4 above):
  // after four failed keys from this address (the revoked one, then three
  // wrong ones), even a right key gets 429.
  for (int i = 0; i < 3; ++i) {
    post("az_wrong_" + std::to_string(i), command, body, at, &status);
    EXPECT_EQ(status, 401);
  }
  const Json refused = post(keys_.at("auditor"), "eligibility", Json{{"credential", "x"}}, at, &status);
  EXPECT_EQ(status, 429) << refused.dump();
}

}  // namespace
}  // namespace autoriza::testing
