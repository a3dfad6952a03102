// The client library against a live server (adapters/tcp/client.h):
// connect, many in flight, reconnect and retry with the original answer.
#include "adapters/tcp/tcp_client.h"

#include <future>
#include <vector>

#include "tests/tcp/tcp_fixture.h"

namespace autoriza::tcp {
namespace {

using testing::TcpFixture;
using testing::authorize;
using testing::eligibility;
using testing::kNow;

class TcpClientTest : public TcpFixture {
 protected:
  ClientOptions client_options(const std::string& key) {
    ClientOptions o;
    o.host = "127.0.0.1";
    o.port = server_->port();
    o.api_key = key;
    o.reconnect_delay = std::chrono::milliseconds(10);
    return o;
  }
};

TEST_F(TcpClientTest, ConnectsAndAnswersManyInFlight) {
  start();
  TcpClient client(client_options(key_));
  ASSERT_TRUE(client.connect());
  EXPECT_EQ(client.principal(), "provider-LAB127");
  std::vector<std::future<Answer>> answers;
  for (int i = 0; i < 50; ++i) answers.push_back(client.submit(eligibility("c" + std::to_string(i)), kNow));
  for (auto& f : answers) {
    const Answer a = f.get();
    ASSERT_TRUE(a.ok()) << a.error.code << " " << a.error.message;
    EXPECT_EQ(a.result->status, fb::Status::ELIGIBLE);
  }
}

TEST_F(TcpClientTest, RetryAfterReconnectGetsTheOriginalAnswer) {
  start();
  TcpClient client(client_options(key_));
  ASSERT_TRUE(client.connect());
  const Answer first = client.execute(authorize("a1"), kNow);
  ASSERT_TRUE(first.ok()) << first.error.message;
  ASSERT_FALSE(first.result->transaction.empty());
  EXPECT_FALSE(first.replayed);
  client.break_connection();
  const Answer again = client.execute(authorize("a1"), kNow);
  ASSERT_TRUE(again.ok()) << again.error.message;
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.result->transaction, first.result->transaction);
  EXPECT_EQ(client.connections(), 2u);
}

TEST_F(TcpClientTest, CommandsInFlightWhenTheConnectionBreaksAreAnsweredOnce) {
  start();
  TcpClient client(client_options(key_));
  ASSERT_TRUE(client.connect());
  std::vector<std::future<Answer>> answers;
  for (int i = 0; i < 20; ++i) answers.push_back(client.submit(authorize("b" + std::to_string(i)), kNow));
  client.break_connection();
  std::vector<std::string> transactions;
  for (auto& f : answers) {
    const Answer a = f.get();
    ASSERT_TRUE(a.ok()) << a.error.code << " " << a.error.message;
    transactions.push_back(a.result->transaction);
  }
  // Asking again: every command was recorded exactly once, with the answer given.
  for (int i = 0; i < 20; ++i) {
    const Answer a = client.execute(authorize("b" + std::to_string(i)), kNow);
    ASSERT_TRUE(a.ok());
    EXPECT_TRUE(a.replayed);
    EXPECT_EQ(a.result->transaction, transactions[size_t(i)]);
  }
}

TEST_F(TcpClientTest, UnknownKeyFailsToConnectAsUnauthenticated) {
  start();
  TcpClient client(client_options("az_wrong"));
  const Status s = client.connect();
  EXPECT_EQ(s.kind(), StatusKind::kUnauthenticated) << s.to_string();
}

TEST_F(TcpClientTest, NoServerFailsToConnect) {
  start();
  ClientOptions o = client_options(key_);
  server_->stop();
  TcpClient client(o);
  EXPECT_EQ(client.connect().kind(), StatusKind::kUnavailable);
  const Answer a = client.execute(eligibility("n1"), kNow);
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(a.error.code, "TRANSPORT");
}

}  // namespace
}  // namespace autoriza::tcp
