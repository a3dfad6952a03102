// Payloads of COMMAND / RESULT / GOAWAY frames and the shape checks of
// binary commands (adapters/tcp/payload.h).
#include "adapters/tcp/payload.h"

#include <gtest/gtest.h>

#include "adapters/codec/codec.h"

namespace autoriza::tcp {
namespace {

fb::CommandUnion authorize() {
  fb::AuthorizeCmdT c;
  c.request_id = "a1";
  c.provider = "LAB127";
  c.credential = "110000783851";
  auto item = std::make_unique<fb::AuthorizeItemT>();
  item->code = "000118";
  item->qty = 2;
  c.items.push_back(std::move(item));
  fb::CommandUnion u;
  u.Set(std::move(c));
  return u;
}

Status roundtrip(const fb::CommandUnion& command, fb::CommandUnion* out = nullptr) {
  fb::CommandUnion back;
  std::optional<Millis> now;
  Status s = read_command(command_payload(command, Millis{42}), &back, &now);
  if (s && now != Millis{42}) return Status::invalid("time lost");
  if (out) *out = back;
  return s;
}

TEST(TcpPayload, CommandRoundTripsWithItsTime) {
  fb::CommandUnion back;
  ASSERT_TRUE(roundtrip(authorize(), &back));
  ASSERT_EQ(back.type, fb::Command::AuthorizeCmd);
  EXPECT_EQ(back.AsAuthorizeCmd()->items.at(0)->qty, 2);
  std::optional<Millis> now = Millis{1};
  ASSERT_TRUE(read_command(command_payload(authorize()), &back, &now));
  EXPECT_FALSE(now.has_value());
}

TEST(TcpPayload, ShapeChecksNameTheField) {
  struct Case {
    const char* what;
    std::function<void(fb::AuthorizeCmdT&)> change;
    const char* field;
  };
  const Case cases[] = {
      {"no request id", [](auto& c) { c.request_id.clear(); }, "request_id"},
      {"long request id", [](auto& c) { c.request_id.assign(kIdMax + 1, 'r'); }, "request_id"},
      {"no provider", [](auto& c) { c.provider.clear(); }, "provider"},
      {"no items", [](auto& c) { c.items.clear(); }, "items"},
      {"qty 0", [](auto& c) { c.items[0]->qty = 0; }, "items[0].qty"},
      {"qty over", [](auto& c) { c.items[0]->qty = kQtyMax + 1; }, "items[0].qty"},
      {"empty code", [](auto& c) { c.items[0]->code.clear(); }, "items[0].code"},
      {"bad mode", [](auto& c) { c.mode = fb::AuthorizeMode(77); }, "mode"},
      {"bad diagnosis", [](auto& c) { c.diagnosis = "hello"; }, "diagnosis"},
      {"long note", [](auto& c) { c.note.assign(kTextMax + 1, 'n'); }, "note"},
  };
  for (const Case& k : cases) {
    fb::CommandUnion command = authorize();
    k.change(*command.AsAuthorizeCmd());
    const Status s = roundtrip(command);
    EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest) << k.what;
    EXPECT_EQ(s.field(), k.field) << k.what << ": " << s.to_string();
  }
}

TEST(TcpPayload, AccountCommandsAndSealedMaterialAreRefused) {
  fb::RegisterCmdT reg;
  reg.request_id = "x";
  fb::CommandUnion command;
  command.Set(std::move(reg));
  EXPECT_EQ(check_command(command).field(), "command");

  fb::TokenIssueCmdT token;
  token.request_id = "t1";
  token.credential = "110000783851";
  token.sealed_secret = {1, 2, 3};
  command.Set(std::move(token));
  EXPECT_EQ(check_command(command).field(), "sealed_secret");
}

TEST(TcpPayload, ConsumeIndexesMustBeDistinctAndInRange) {
  fb::ConsumeCmdT c;
  c.request_id = "c1";
  c.provider = "LAB127";
  c.credential = "110000783851";
  c.order = "T-0-1";
  c.items = {0, 1};
  fb::CommandUnion command;
  command.Set(c);
  EXPECT_TRUE(check_command(command));
  c.items = {0, 0};
  command.Set(c);
  EXPECT_EQ(check_command(command).field(), "items[1]");
  c.items = {int32_t(kItemsMax)};
  command.Set(c);
  EXPECT_EQ(check_command(command).field(), "items[0]");
}

TEST(TcpPayload, RepliesRoundTrip) {
  fb::ResultT result;
  result.transaction = "T-0-9";
  result.status = fb::Status::AUTHORIZED;
  Answer answer;
  ASSERT_TRUE(read_reply(result_payload(result, true), &answer));
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer.result->transaction, "T-0-9");
  EXPECT_TRUE(answer.replayed);

  ASSERT_TRUE(read_reply(error_payload(wire_error(Status::rate_limited("slow down"), 3)), &answer));
  EXPECT_FALSE(answer.ok());
  EXPECT_EQ(answer.error.status, 429);
  EXPECT_EQ(answer.error.code, "RATE_LIMITED");
  EXPECT_EQ(answer.error.retry_after_s, 3);
}

}  // namespace
}  // namespace autoriza::tcp
