// Issue 17: idle connections must not starve clients of the binary TCP
// adapter. connections_max (1,024) idle sockets used to lock every client
// out for the idle timeout (60 s), and reconnecting renewed the lockout;
// now a new connection evicts the connection idle the longest.
//
// No clock in these assertions: the server's deadlines are set far beyond
// the client's own timeouts, so a client that had to wait for a deadline to
// free a slot fails instead of being served late.
#include <chrono>
#include <cstdio>
#include <string>

#include "adapters/tcp/tcp_client.h"
#include "tests/support/idle_sockets.h"
#include "tests/tcp/tcp_fixture.h"

namespace autoriza::tcp {
namespace {

using testing::RawConnection;
using testing::TcpFixture;
using testing::eligibility;
using testing::kNow;

class TcpIdleConnectionsTest : public TcpFixture {
 protected:
  // "name{labels} value" of the metrics page, or -1 when absent.
  double metric(const std::string& series) const {
    const std::string page = service_->metrics_page();
    const size_t at = page.find(series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(page.substr(at + series.size() + 1));
  }
  std::string labels() const { return "{port=\"" + std::to_string(server_->port()) + "\",tls=\"false\"}"; }
};

TEST_F(TcpIdleConnectionsTest, ClientIsServedWithoutWaitingForADeadlineWhileTwoThousandIdleSocketsAreOpen) {
  constexpr size_t kIdle = 2000;
  ASSERT_TRUE(autoriza::testing::raise_open_files(2 * kIdle + 512)) << "raise the hard limit of open files";
  TcpServerOptions options;  // no slot frees itself during the test: only an eviction can serve the client
  options.idle_timeout = std::chrono::minutes(10);
  options.frame_timeout = std::chrono::minutes(10);
  start(options);
  // A connection with a frame begun before the flood: busy, never evicted.
  RawConnection in_progress(server_->port());
  in_progress.authenticate(key_);
  const std::string ping = encode_frame(FrameKind::kPing, 7, "");
  in_progress.write(std::string_view(ping).substr(0, 5));
  autoriza::testing::IdleSockets idle;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ASSERT_EQ(round == 0 ? idle.open(server_->port(), kIdle) : idle.reopen(server_->port()), kIdle);
    ClientOptions o;
    o.port = server_->port();
    o.api_key = key_;
    o.reconnect_attempts = 0;
    o.connect_timeout = std::chrono::seconds(60);  // generous for a loaded machine, still far below the deadlines
    o.request_timeout = std::chrono::seconds(60);
    const auto began = std::chrono::steady_clock::now();
    TcpClient client(o);
    ASSERT_TRUE(client.connect());
    const Answer a = client.execute(eligibility("idle-" + std::to_string(round)), kNow);
    ASSERT_TRUE(a.ok()) << a.error.code << " " << a.error.message;
    // The "within a second", said for a person to read, never asserted.
    std::printf("round %d: connected and answered in %.1f ms with %zu idle sockets open\n", round,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count(), kIdle);
  }
  in_progress.write(std::string_view(ping).substr(5));
  Frame pong;
  ASSERT_TRUE(in_progress.read_frame(&pong));
  EXPECT_EQ(pong.kind, FrameKind::kPong);
  EXPECT_GE(metric("autoriza_tcp_idle_evictions_total" + labels()), double(kIdle - 1024));
  EXPECT_EQ(metric("autoriza_tcp_connections_refused_total" + labels()), 0);
}

// A connection that sends no frame holds its slot frame_timeout, not the
// idle timeout.
TEST_F(TcpIdleConnectionsTest, SilentNewConnectionIsClosedAtTheFrameDeadline) {
  TcpServerOptions options;
  options.frame_timeout = std::chrono::milliseconds(300);
  options.idle_timeout = std::chrono::minutes(10);  // a GOAWAY within the test can only be the frame deadline's
  start(options);
  RawConnection silent(server_->port());
  Frame goaway;
  ASSERT_TRUE(silent.read_frame(&goaway));
  EXPECT_EQ(goaway.kind, FrameKind::kGoaway);
  EXPECT_EQ(RawConnection::answer_of(goaway).error.status, 408);
}

}  // namespace
}  // namespace autoriza::tcp
