#include "adapters/kafka/messages.h"

#include "adapters/kafka/kafka_client.h"
#include "adapters/codec/codec.h"

#include <gtest/gtest.h>

namespace autoriza::kafka {
namespace {

TEST(KafkaMessages, CommandRoundTrip) {
  CommandMessage m;
  m.correlation = 0x1234567890abcdefULL;
  m.reply_partition = 3;
  m.now = Millis{1'700'000'000'123};
  m.channel = "http";
  fb::EligibilityCmdT cmd;
  cmd.request_id = "r1";
  cmd.provider = "LAB127";
  cmd.credential = "110000783851";
  m.command.Set(std::move(cmd));
  const std::string bytes = " " + encode_command(m);  // misaligned on purpose
  CommandMessage back;
  ASSERT_TRUE(decode_command(std::string_view(bytes).substr(1), &back).is_ok());
  EXPECT_EQ(back.correlation, m.correlation);
  EXPECT_EQ(back.reply_partition, 3);
  EXPECT_EQ(back.now, m.now);
  EXPECT_EQ(back.channel, "http");
  ASSERT_EQ(back.command.type, fb::Command::EligibilityCmd);
  EXPECT_EQ(back.command.AsEligibilityCmd()->credential, "110000783851");
}

TEST(KafkaMessages, ReplyRoundTripKeepsStatusAndTheAnswerAsJson) {
  Outcome ok;
  auto result = std::make_shared<fb::ResultT>();
  result->transaction = "T-0-7";
  result->status = fb::Status::ELIGIBLE;
  ok.result = result;
  ok.replayed = true;
  ok.recorded_sequence = 7;
  ReplyMessage back;
  ASSERT_TRUE(decode_reply(encode_reply(42, fb::Command::EligibilityCmd, ok), &back).is_ok());
  EXPECT_EQ(back.correlation, 42u);
  EXPECT_TRUE(back.outcome.status.is_ok());
  EXPECT_TRUE(back.outcome.replayed);
  EXPECT_FALSE(back.outcome.forwarded_recorded);  // a replayed answer recorded nothing new
  EXPECT_EQ(back.outcome.result, nullptr);
  EXPECT_EQ(back.outcome.forwarded_status, fb::Status::ELIGIBLE);  // what the gateway's metrics count
  // The very bytes the embedded service answers with.
  EXPECT_EQ(back.outcome.forwarded_answer, encode_result(fb::Command::EligibilityCmd, *result).dump());

  ok.replayed = false;
  ASSERT_TRUE(decode_reply(encode_reply(44, fb::Command::EligibilityCmd, ok), &back).is_ok());
  EXPECT_TRUE(back.outcome.forwarded_recorded);

  Outcome bad{Status::invalid("qty over 1000", "items[0].qty"), nullptr, false};
  ASSERT_TRUE(decode_reply(encode_reply(43, fb::Command::AuthorizeCmd, bad), &back).is_ok());
  EXPECT_EQ(back.outcome.status.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(back.outcome.status.field(), "items[0].qty");
  EXPECT_EQ(back.outcome.status.message(), "qty over 1000");
  EXPECT_EQ(back.outcome.forwarded_status, fb::Status::NONE);
}

TEST(KafkaMessages, ReplyBatchesFrameManyReplies) {
  std::string batch;
  for (uint64_t c = 1; c <= 3; ++c) {
    append_reply(&batch, encode_reply(c, fb::Command::AnnulCmd, Outcome{Status::conflict("reused"), nullptr, false}));
  }
  EXPECT_EQ(replies_in(batch), 3u);
  std::vector<uint64_t> seen;
  ASSERT_TRUE(visit_replies(batch, [&](std::string_view bytes) {
                ReplyMessage r;
                ASSERT_TRUE(decode_reply(bytes, &r).is_ok());
                EXPECT_EQ(r.outcome.status.kind(), StatusKind::kConflict);
                seen.push_back(r.correlation);
              }).is_ok());
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2, 3}));
  std::string cut = batch.substr(0, batch.size() - 3);
  seen.clear();
  EXPECT_EQ(visit_replies(cut, [&](std::string_view) { seen.push_back(0); }).kind(), StatusKind::kCorruption);
  EXPECT_EQ(seen.size(), 2u);  // the whole replies before the cut are still delivered
}

TEST(KafkaMessages, GarbageIsCorruptionNotACrash) {
  CommandMessage c;
  EXPECT_EQ(decode_command("AZC1 short", &c).kind(), StatusKind::kCorruption);
  EXPECT_EQ(decode_command(std::string("AZC1") + std::string(40, '\x7f'), &c).kind(), StatusKind::kCorruption);
  ReplyMessage r;
  EXPECT_EQ(decode_reply("nope", &r).kind(), StatusKind::kCorruption);
  std::string truncated = encode_reply(1, fb::Command::AnnulCmd, Outcome{Status::conflict("reused"), nullptr, false});
  truncated.resize(16);
  EXPECT_EQ(decode_reply(truncated, &r).kind(), StatusKind::kCorruption);
}

TEST(KafkaErrors, ClassifiedRetriableRewindFatal) {
  EXPECT_EQ(classify(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION), ErrorClass::kRetriable);
  EXPECT_EQ(classify(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT), ErrorClass::kRetriable);
  EXPECT_EQ(classify(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT), ErrorClass::kRewind);
  EXPECT_EQ(classify(RD_KAFKA_RESP_ERR_PRODUCER_FENCED), ErrorClass::kFatal);
  EXPECT_EQ(classify(RD_KAFKA_RESP_ERR_NO_ERROR, true), ErrorClass::kFatal);
}

TEST(KafkaTopics, APrefixRenamesEveryTopicAndRefusesWhatKafkaRefuses) {
  ASSERT_TRUE(set_topic_prefix("ioma-prod.").is_ok());
  EXPECT_STREQ(kCommandsTopic, "ioma-prod.commands");
  EXPECT_STREQ(kEventsTopic, "ioma-prod.events");
  EXPECT_STREQ(kRepliesTopic, "ioma-prod.replies");
  EXPECT_STREQ(kReferenceTopic, "ioma-prod.reference");
  EXPECT_STREQ(kClaimsTopic, "ioma-prod.claims");
  const Status bad = set_topic_prefix("ioma prod/");
  EXPECT_EQ(bad.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(topic_prefix(), "ioma-prod.");  // unchanged by a refused prefix
  EXPECT_FALSE(set_topic_prefix("").is_ok());
  ASSERT_TRUE(set_topic_prefix("autoriza.").is_ok());
  EXPECT_STREQ(kCommandsTopic, "autoriza.commands");
}

}  // namespace
}  // namespace autoriza::kafka
