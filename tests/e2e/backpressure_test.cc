// The bounded command queue under a burst (issue 6, item 3): with a
// partition queue of one command and group commits of one command synced to
// disk, a burst over HTTP and over TCP overflows it. Every command is
// answered: accepted (200, recorded once) or refused with 503 UNAVAILABLE
// and a retry hint (Retry-After over HTTP, retry_after_s over TCP), nothing
// recorded for it; memory stays bounded; and the engine serves the next
// command as usual.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <latch>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "adapters/codec/error_codes.h"
#include "adapters/http/client.h"
#include "tests/support/crash_process.h"  // crash::TempDir
#include "engine/engine.h"
#include "adapters/auth/key_admin.h"
#include "engine/core/reference_loader.h"
#include "adapters/http/server.h"
#include "adapters/service/service.h"
#include "adapters/tcp/tcp_client.h"
#include "adapters/tcp/tcp_server.h"

namespace autoriza {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kBurstAt = "2026-11-02T10:00:00-03:00";
const std::vector<std::string> kCredentials = {"110000783851", "110000783852", "110000783853", "110000783854"};

// One HTTP/1.1 exchange on a fresh socket: the raw answer, headers included.
std::string http_exchange(uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == ssize_t(request.size())) {
    timeval timeout{30, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, size_t(n));
  }
  ::close(fd);
  return out;
}

class BackpressureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st;
    EngineOptions options;
    options.store = dir_;
    options.batch_max = 1;  // one command per group commit...
    options.queue_max = 1;  // ...and room for one more: a burst overflows at once
    options.sync = true;    // each commit waits for the disk
    engine_ = Engine::open(options, &st);
    ASSERT_TRUE(st) << st.to_string();
    const ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, *engine_->reference());
    ASSERT_TRUE(load.ok());
    ReferenceLoadStats stats;
    ASSERT_TRUE(engine_->load_reference(load.records, &stats));
    std::string key_id;
    ASSERT_TRUE(auth::add_key(*engine_, auth::Principal{"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}},
                              Millis{0}, &key_, &key_id));
    service_ = std::make_unique<Service>(*engine_);
    AccessOptions access;
    access.rate_per_s = 0;  // unlimited: the queue, not the rate limit, must refuse
    service_->set_access(access);
  }
  void TearDown() override {
    tcp_.reset();
    http_.reset();
    service_.reset();
    engine_.reset();
  }

  std::string eligibility(const std::string& request_id, size_t i) const {
    return Json{{"request_id", request_id}, {"provider", "LAB127"}, {"credential", kCredentials[i % kCredentials.size()]}}
        .dump();
  }
  bool recorded(const std::string& request_id) const {
    return engine_->find_request("provider:LAB127", request_id).has_value();
  }

  crash::TempDir tmp_{"backpressure"};  // removed after the fixture (TearDown closed the engine)
  const std::filesystem::path& dir_ = tmp_.path();
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<tcp::TcpServer> tcp_;
  std::string key_;
};

TEST_F(BackpressureTest, HttpBurstOverTheQueueIs503WithRetryAfterAndTheEngineServesOn) {
  http_ = std::make_unique<HttpServer>(*service_, "127.0.0.1", 0, 2, true);
  ASSERT_TRUE(http_->start());
  constexpr size_t kConnections = 64, kPerConnection = 4;  // pipelined on each
  std::vector<std::string> answers(kConnections);
  std::latch go(kConnections);
  std::vector<std::thread> threads;
  for (size_t c = 0; c < kConnections; ++c) {
    threads.emplace_back([&, c] {
      std::string requests;
      for (size_t r = 0; r < kPerConnection; ++r) {
        const std::string body = eligibility("bp-" + std::to_string(c) + "-" + std::to_string(r), c + r);
        requests += "POST /v1/eligibility HTTP/1.1\r\nHost: autoriza\r\nAuthorization: Bearer " + key_ +
                    "\r\nX-Autoriza-Time: " + std::string(kBurstAt) + "\r\nContent-Type: application/json\r\n" +
                    (r + 1 == kPerConnection ? "Connection: close\r\n" : "") +
                    "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
      }
      go.arrive_and_wait();  // all at once
      answers[c] = http_exchange(http_->port(), requests);
    });
  }
  for (auto& t : threads) t.join();

  size_t ok = 0, refused = 0;
  for (size_t c = 0; c < kConnections; ++c) {
    size_t at = 0;
    for (size_t r = 0; r < kPerConnection; ++r) {
      at = answers[c].find("HTTP/1.1 ", at);
      ASSERT_NE(at, std::string::npos) << "connection " << c << " answer " << r << " missing:\n" << answers[c];
      const int status = std::stoi(answers[c].substr(at + 9, 3));
      const size_t next = answers[c].find("HTTP/1.1 ", at + 1);
      const std::string one = answers[c].substr(at, next == std::string::npos ? std::string::npos : next - at);
      const std::string id = "bp-" + std::to_string(c) + "-" + std::to_string(r);
      if (status == 200) {
        ++ok;
        EXPECT_TRUE(recorded(id)) << id;
      } else {
        ASSERT_EQ(status, 503) << one;
        ++refused;
        EXPECT_NE(one.find("Retry-After: 1"), std::string::npos) << one;
        EXPECT_NE(one.find("UNAVAILABLE"), std::string::npos) << one;
        EXPECT_FALSE(recorded(id)) << id << " was refused but recorded";
      }
      at += 1;
    }
  }
  std::cout << "[backpressure] HTTP burst of " << kConnections * kPerConnection << ": " << ok << " accepted, "
            << refused << " refused with 503" << std::endl;
  EXPECT_GT(refused, 0u) << "the burst never filled a queue of one";
  EXPECT_GT(ok, 0u);
  EXPECT_EQ(engine_->queue_depth(), 0u);
  // Still serving.
  HttpClient client;
  client.set_api_key(key_);
  ASSERT_TRUE(client.connect("127.0.0.1", http_->port()));
  int status = 0;
  std::string body;
  ASSERT_TRUE(client.request("POST", "/v1/eligibility", eligibility("bp-after", 0), &status, &body, kClientTimeHeader, kBurstAt));
  EXPECT_EQ(status, 200) << body;
  const std::string page = service_->metrics_page();
  EXPECT_NE(page.find(R"(autoriza_commands_total{channel="http",command="eligibility",outcome="UNAVAILABLE",http_status="503"} )" +
                      std::to_string(refused)),
            std::string::npos)
      << page;
}

TEST_F(BackpressureTest, TcpBurstOverTheQueueIs503WithRetryAfterAndTheEngineServesOn) {
  tcp::TcpServerOptions so;
  so.allow_client_time = true;
  so.in_flight_max = 512;
  tcp_ = std::make_unique<tcp::TcpServer>(*service_, so);
  ASSERT_TRUE(tcp_->start());
  tcp::TcpClient client({.host = "127.0.0.1", .port = tcp_->port(), .api_key = key_});
  ASSERT_TRUE(client.connect());
  constexpr size_t kBurst = 300;
  std::vector<std::future<tcp::Answer>> answers;
  for (size_t i = 0; i < kBurst; ++i) {
    fb::EligibilityCmdT c;
    c.request_id = "tb-" + std::to_string(i);
    c.provider = "LAB127";
    c.credential = kCredentials[i % kCredentials.size()];
    fb::CommandUnion u;
    u.Set(std::move(c));
    answers.push_back(client.submit(u, Millis{1'793'624'400'000}));
  }
  size_t ok = 0, refused = 0;
  for (size_t i = 0; i < kBurst; ++i) {
    const tcp::Answer a = answers[i].get();
    const std::string id = "tb-" + std::to_string(i);
    if (a.ok()) {
      ++ok;
      EXPECT_TRUE(recorded(id)) << id;
    } else {
      ASSERT_EQ(a.error.status, 503) << a.error.code << ": " << a.error.message;
      ++refused;
      EXPECT_EQ(a.error.code, "UNAVAILABLE");
      EXPECT_EQ(a.error.retry_after_s, 1);
      EXPECT_FALSE(recorded(id)) << id << " was refused but recorded";
    }
  }
  std::cout << "[backpressure] TCP burst of " << kBurst << ": " << ok << " accepted, " << refused
            << " refused with 503" << std::endl;
  EXPECT_GT(refused, 0u) << "the burst never filled a queue of one";
  EXPECT_GT(ok, 0u);
  EXPECT_EQ(engine_->queue_depth(), 0u);
  fb::EligibilityCmdT c;
  c.request_id = "tb-after";
  c.provider = "LAB127";
  c.credential = kCredentials[0];
  fb::CommandUnion u;
  u.Set(std::move(c));
  const tcp::Answer after = client.execute(u, Millis{1'793'624'400'000});
  EXPECT_TRUE(after.ok()) << after.error.message;
}

}  // namespace
}  // namespace autoriza
