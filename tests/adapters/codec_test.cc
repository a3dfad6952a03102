// Decoding of command bodies: malformed requests are 400 INVALID_REQUEST with
// the field that is wrong (docs/rules.md §4-5).
#include <gtest/gtest.h>

#include "adapters/codec/codec.h"

namespace autoriza {
namespace {

constexpr const char* kAuthorize =
    R"({"request_id":"a","provider":"LAB127","credential":"1","items":[{"code":"000118"}]})";

TEST(Codec, AcceptsTheSpecBodies) {
  EXPECT_TRUE(decode_command_text("authorize", kAuthorize).is_ok());
  EXPECT_TRUE(decode_command_text("eligibility", R"({"request_id":"e","provider":"P","credential":"1","token":"012345"})").is_ok());
  EXPECT_TRUE(decode_command_text("consume", R"({"request_id":"c","provider":"P","credential":"1","order":"T-0-1","items":[0,2],
                                    "performed_at":"2026-11-04T18:30:00-03:00"})").is_ok());
  EXPECT_TRUE(decode_command_text("annul", R"({"request_id":"n","provider":"P","transaction":"T-0-1","reason":"error"})").is_ok());
  EXPECT_TRUE(decode_command_text("audit_verdict", R"({"request_id":"v","auditor":"A","sap":"SAP-0-1","verdict":"PARTIAL",
                                          "items":[{"index":1,"decision":"REJECT"}]})").is_ok());
  EXPECT_TRUE(decode_command_text("token_issue", R"({"request_id":"t","credential":"1","kind":"PREPRINTED","month":"2026-11","count":3})").is_ok());
}

struct BadCase {
  const char* command;
  const char* body;
  const char* field;
};

class CodecRefuses : public ::testing::TestWithParam<BadCase> {};

TEST_P(CodecRefuses, WithTheField) {
  const BadCase& c = GetParam();
  Status s = decode_command_text(c.command, c.body);
  ASSERT_EQ(s.kind(), StatusKind::kInvalidRequest) << c.body;
  EXPECT_EQ(s.field(), c.field) << s.message();
  EXPECT_FALSE(s.message().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, CodecRefuses,
    ::testing::Values(
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","qty":0}]})", "items[0].qty"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","qty":-3}]})", "items[0].qty"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","qty":1.5}]})", "items[0].qty"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","qty":"2"}]})", "items[0].qty"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","qty":1e400}]})", ""},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","qty":99999999999999999999}]})", "items[0].qty"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[]})", "items"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1"})", "items"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{}]})", "items[0].code"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","tooth":"11"}]})", "items[0].tooth"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1","faces":7}]})", "items[0].faces"},
        BadCase{"authorize", R"({"request_id":"","provider":"P","credential":"1","items":[{"code":"1"}]})", "request_id"},
        BadCase{"authorize", R"({"provider":"P","credential":"1","items":[{"code":"1"}]})", "request_id"},
        BadCase{"authorize", R"({"request_id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","provider":"P","credential":"1","items":[{"code":"1"}]})", "request_id"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1"}],"prescribed_on":"30/10/2026"})", "prescribed_on"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1"}],"prescribed_on":"2026-02-30"})", "prescribed_on"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1"}],"prescriber":{"kind":"XX","license":"1"}})", "prescriber.kind"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1"}],"prescriber":{"kind":"MD"}})", "prescriber.license"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1"}],"diagnosis":"caries"})", "diagnosis"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1"}],"mode":"AUDIT"})", "mode"},
        BadCase{"authorize", R"({"request_id":"a","provider":"P","credential":"1","items":[{"code":"1"}],"consume_now":"yes"})", "consume_now"},
        BadCase{"authorize", R"({"request_id":"a","provider":7,"credential":"1","items":[{"code":"1"}]})", "provider"},
        BadCase{"authorize", R"([1,2,3])", ""},
        BadCase{"authorize", R"({"request_id":"a",)", ""},
        BadCase{"consume", R"({"request_id":"c","provider":"P","credential":"1","order":"T","items":[0,0]})", "items[1]"},
        BadCase{"consume", R"({"request_id":"c","provider":"P","credential":"1","order":"T","items":[-1]})", "items[0]"},
        BadCase{"consume", R"({"request_id":"c","provider":"P","credential":"1","items":[0]})", "order"},
        BadCase{"consume", R"({"request_id":"c","provider":"P","credential":"1","order":"T","items":[0],"performed_at":"2026-11-04T18:30:00"})", "performed_at"},
        BadCase{"annul", R"({"request_id":"n","provider":"P","transaction":"T"})", "reason"},
        BadCase{"audit_verdict", R"({"request_id":"v","auditor":"A","sap":"S","verdict":"MAYBE"})", "verdict"},
        BadCase{"audit_verdict", R"({"request_id":"v","auditor":"A","sap":"S","verdict":"PARTIAL"})", "items"},
        BadCase{"audit_verdict", R"({"request_id":"v","auditor":"A","sap":"S","verdict":"PARTIAL","items":[{"index":1,"decision":"OK"}]})", "items[0].decision"},
        BadCase{"token_issue", R"({"request_id":"t","credential":"1","kind":"PREPRINTED","count":3})", "month"},
        BadCase{"token_issue", R"({"request_id":"t","credential":"1","kind":"PREPRINTED","month":"2026-11","count":32})", "count"},
        BadCase{"nonsense", R"({"request_id":"x"})", "command"}));

TEST(Codec, NullMeansAbsentAndUnknownFieldsAreIgnored) {
  Json body;
  ASSERT_TRUE(parse_json(R"({"request_id":"a","provider":"P","credential":"1","token":null,"extra":{"x":1},
                            "items":[{"code":"1","tooth":null,"qty":null}]})", &body).is_ok());
  fb::CommandUnion cmd;
  ASSERT_TRUE(decode_command("authorize", body, &cmd).is_ok());
  const auto& a = *cmd.AsAuthorizeCmd();
  EXPECT_TRUE(a.token.empty());
  EXPECT_EQ(a.items[0]->qty, 1);
  EXPECT_FALSE(a.items[0]->tooth.has_value());
}

TEST(Codec, DeepNestingIsRefused) {
  std::string deep = R"({"request_id":"a","x":)" + std::string(100, '[') + std::string(100, ']') + "}";
  Json body;
  EXPECT_EQ(parse_json(deep, &body).kind(), StatusKind::kInvalidRequest);
}

TEST(Codec, AnswersRenderMoneyAsStringsWithTwoDecimals) {
  fb::ResultT r;
  r.transaction = "T-0-1";
  r.status = fb::Status::AUTHORIZED;
  r.order = "T-0-1";
  auto item = std::make_unique<fb::ItemResultT>();
  item->code = "000118";
  item->qty = 1;
  item->status = fb::Status::AUTHORIZED;
  item->professional_cents = 18000;
  item->total_cents = 18000;
  item->copay_cents = 3600;
  r.items.push_back(std::move(item));
  r.totals = std::make_unique<fb::TotalsT>();
  r.totals->total_cents = 18000;
  r.totals->copay_cents = 3600;
  r.totals->covered_cents = 14400;
  Json j = encode_result(fb::Command::AuthorizeCmd, r);
  EXPECT_EQ(j["items"][0]["professional"], "180.00");
  EXPECT_EQ(j["items"][0]["expenses"], "0.00");
  EXPECT_EQ(j["totals"]["covered"], "144.00");
  EXPECT_FALSE(j["items"][0].contains("tooth"));
  EXPECT_FALSE(j.contains("sap"));
}

}  // namespace
}  // namespace autoriza
