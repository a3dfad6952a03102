// `autoriza client` against a live TcpServer: the JSON body in, the answer
// printed as the HTTP API prints it, exit status 0 / 1 / 2.
#include <stdio.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "tests/tcp/tcp_fixture.h"

namespace autoriza::tcp {
namespace {

using testing::TcpFixture;

struct CliRun {
  int status = -1;
  std::string out;
};

class ClientCliTest : public TcpFixture {
 protected:
  // Runs the binary with the key in the environment (never on the command line).
  CliRun client(const std::string& key, const std::string& args) {
    const std::string line = "AUTORIZA_API_KEY='" + key + "' " + AUTORIZA_BINARY + " client --port " +
                             std::to_string(server_->port()) + " --time 2026-11-02T10:00:00-03:00 " + args +
                             " 2>/dev/null";
    CliRun run;
    FILE* pipe = popen(line.c_str(), "r");
    if (!pipe) return run;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
    const int status = pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
  }
};

TEST_F(ClientCliTest, EligibilityPrintsTheAnswer) {
  start();
  const CliRun run = client(key_, "eligibility '{\"request_id\":\"cli1\",\"provider\":\"LAB127\",\"credential\":\"110000783851\"}'");
  ASSERT_EQ(run.status, 0) << run.out;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json.at("status"), "ELIGIBLE") << run.out;
  EXPECT_TRUE(engine_->find_request("provider:LAB127", "cli1").has_value());
}

TEST_F(ClientCliTest, AnotherProvidersCommandPrintsTheErrorAndExits1) {
  start();
  const CliRun run = client(key_, "eligibility '{\"request_id\":\"cli2\",\"provider\":\"LAB200\",\"credential\":\"110000783851\"}'");
  ASSERT_EQ(run.status, 1) << run.out;
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json.at("error").at("code"), "FORBIDDEN") << run.out;
  EXPECT_EQ(json.at("error").at("status"), 403) << run.out;
}

TEST_F(ClientCliTest, BadBodyExits2WithoutSending) {
  start();
  const CliRun run = client(key_, "authorize '{\"request_id\":\"cli3\"}'");
  EXPECT_EQ(run.status, 2) << run.out;
  EXPECT_FALSE(engine_->find_request("provider:LAB127", "cli3").has_value());
}

}  // namespace
}  // namespace autoriza::tcp
