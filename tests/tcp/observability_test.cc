// What the TCP adapter leaves behind besides answers: its channel in the
// recorded events, and its commands and connections on GET /metrics.
#include <string>

#include "adapters/codec/error_codes.h"
#include "engine/state_store.h"  // unpack_event
#include "tests/tcp/tcp_fixture.h"

namespace autoriza::tcp {
namespace {

using testing::RawConnection;
using testing::TcpFixture;
using testing::eligibility;
using testing::kNow;

class TcpObservabilityTest : public TcpFixture {};

TEST_F(TcpObservabilityTest, CommandsOverTcpAreRecordedWithChannelTcp) {
  ASSERT_EQ(service_->channel(), "http");  // as under `autoriza serve`, where HTTP shares the service
  start();
  RawConnection c(server_->port());
  c.authenticate(key_);
  c.send(FrameKind::kCommand, 2, command_payload(eligibility("ch1"), kNow));
  Frame f;
  ASSERT_TRUE(c.read_frame(&f));
  ASSERT_TRUE(RawConnection::answer_of(f).ok());
  const auto position = engine_->find_request("provider:LAB127", "ch1");
  ASSERT_TRUE(position.has_value());
  std::string bytes;
  ASSERT_TRUE(engine_->journal().read_event(position->partition, position->sequence, &bytes));
  fb::EventT event;
  ASSERT_TRUE(unpack_event(bytes, &event));
  EXPECT_EQ(event.channel, "tcp");
}

TEST_F(TcpObservabilityTest, CommandsOverTcpAndItsConnectionsAreOnTheMetricsPage) {
  start();
  RawConnection c(server_->port());
  c.authenticate(key_);
  c.send(FrameKind::kCommand, 2, command_payload(eligibility("o1"), kNow));
  c.send(FrameKind::kCommand, 3, command_payload(eligibility("o2", "DEN333"), kNow));  // another provider: 403
  fb::EligibilityCmdT bad;  // no provider, no credential: refused by the adapter's shape check
  bad.request_id = "o3";
  fb::CommandUnion shape;
  shape.Set(std::move(bad));
  c.send(FrameKind::kCommand, 4, command_payload(shape, kNow));
  for (int i = 0; i < 3; ++i) {
    Frame f;
    ASSERT_TRUE(c.read_frame(&f)) << i;
    ASSERT_EQ(f.kind, FrameKind::kResult);
  }
  const std::string page = service_->metrics_page();
  const std::string prefix = R"(autoriza_commands_total{channel="tcp",command="eligibility",)";
  EXPECT_NE(page.find(prefix + R"(outcome="ELIGIBLE",http_status="200"} 1)"), std::string::npos) << page;
  EXPECT_NE(page.find(prefix + R"(outcome="FORBIDDEN",http_status="403"} 1)"), std::string::npos) << page;
  EXPECT_NE(page.find(prefix + R"(outcome="INVALID_REQUEST",http_status="400"} 1)"), std::string::npos) << page;
  EXPECT_NE(page.find(R"(autoriza_command_latency_seconds_count{channel="tcp",command="eligibility"} 3)"),
            std::string::npos)
      << page;
  const std::string listener = "port=\"" + std::to_string(server_->port()) + "\",tls=\"false\"";
  EXPECT_NE(page.find("autoriza_tcp_connections{" + listener + "} 1"), std::string::npos) << page;
  EXPECT_NE(page.find("autoriza_tcp_connections_accepted_total{" + listener + "} 1"), std::string::npos) << page;
  server_->stop();  // its source leaves the page with it
  EXPECT_EQ(service_->metrics_page().find("autoriza_tcp_connections"), std::string::npos);
}

}  // namespace
}  // namespace autoriza::tcp
