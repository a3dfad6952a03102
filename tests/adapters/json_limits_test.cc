// JSON input limits (issue 6, part 3): nesting, duplicate keys, UTF-8,
// numbers, lengths. Each refusal is an invalid-request Status that says what
// is wrong and names where (the field path, or the byte offset for syntax).
#include <gtest/gtest.h>

#include "adapters/codec/codec.h"
#include "engine/core/csv.h"

namespace autoriza {
namespace {

// An authorize body whose first item is `item` (a JSON object's text).
std::string authorize_with_item(const std::string& item) {
  return R"({"request_id":"a","provider":"LAB127","credential":"110000783851","items":[)" + item + "]}";
}

std::string nested_arrays(int levels) {
  return R"({"request_id":"a","x":)" + std::string(size_t(levels), '[') + std::string(size_t(levels), ']') + "}";
}

struct LimitCase {
  const char* name;
  std::string command;
  std::string body;
  std::string field;        // expected Status::field()
  std::string message_has;  // expected part of the message
};

class JsonLimits : public ::testing::TestWithParam<LimitCase> {};

TEST_P(JsonLimits, RefusedWithWhatAndWhere) {
  const LimitCase& c = GetParam();
  const Status s = decode_command_text(c.command, c.body);
  ASSERT_EQ(s.kind(), StatusKind::kInvalidRequest) << c.body;
  EXPECT_EQ(s.field(), c.field) << s.message();
  EXPECT_NE(s.message().find(c.message_has), std::string::npos) << s.message();
  // The error body must always be encodable (valid UTF-8, no raw bytes of the input).
  EXPECT_NO_THROW((void)Json({{"message", s.message()}, {"field", s.field()}}).dump());
}

const std::string kLong(65, 'x');
const std::string kLongText(1001, 'y');

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonLimits,
    ::testing::Values(
        LimitCase{"TooDeep", "eligibility", nested_arrays(16), "x" + [] {
                    std::string s;
                    for (int i = 0; i < 15; ++i) s += "[0]";
                    return s;
                  }(), "deeper than 16"},
        LimitCase{"DuplicateTopKey", "eligibility",
                  R"({"request_id":"e","provider":"LAB127","provider":"OTHER","credential":"1"})", "provider", "twice"},
        LimitCase{"DuplicateNestedKey", "authorize", authorize_with_item(R"({"code":"000118","qty":1,"qty":9})"),
                  "items[0].qty", "twice"},
        LimitCase{"DuplicateKeyInUnknownField", "eligibility",
                  R"({"request_id":"e","provider":"P","credential":"1","extra":{"a":1,"a":2}})", "extra.a", "twice"},
        LimitCase{"InvalidUtf8InString", "eligibility", "{\"request_id\":\"e\",\"provider\":\"LAB\xff\",\"credential\":\"1\"}",
                  "", "UTF-8"},
        LimitCase{"OverlongUtf8", "eligibility", "{\"request_id\":\"\xc0\xaf\",\"provider\":\"P\",\"credential\":\"1\"}", "",
                  "UTF-8"},
        LimitCase{"InvalidUtf8OutsideStrings", "eligibility", "{\"request_id\":\"e\"\xe9}", "", "UTF-8"},
        LimitCase{"LoneSurrogateEscape", "eligibility", R"({"request_id":"\ud800","provider":"P","credential":"1"})", "",
                  "not valid JSON"},
        LimitCase{"NaNLiteral", "authorize", authorize_with_item(R"({"code":"000118","qty":NaN})"), "", "not valid JSON"},
        LimitCase{"InfinityLiteral", "authorize", authorize_with_item(R"({"code":"000118","qty":-Infinity})"), "",
                  "not valid JSON"},
        LimitCase{"NumberBeyondDouble", "authorize", authorize_with_item(R"({"code":"000118","qty":1e400})"), "",
                  "not valid JSON"},
        LimitCase{"HugeInteger", "authorize", authorize_with_item(R"({"code":"000118","qty":99999999999999999999})"),
                  "items[0].qty", "integer"},
        LimitCase{"MaxUnsigned", "authorize", authorize_with_item(R"({"code":"000118","qty":18446744073709551615})"),
                  "items[0].qty", "between 1 and 1000"},
        LimitCase{"NegativeQty", "authorize", authorize_with_item(R"({"code":"000118","qty":-2})"), "items[0].qty",
                  "between 1 and 1000"},
        LimitCase{"IntegralFloatQty", "authorize", authorize_with_item(R"({"code":"000118","qty":1.0})"), "items[0].qty",
                  "integer"},
        LimitCase{"ToothBeyondInt32", "authorize", authorize_with_item(R"({"code":"000118","tooth":4294967296})"),
                  "items[0].tooth", "between"},
        LimitCase{"CountAsExponent", "token_issue", R"({"request_id":"t","credential":"1","kind":"DYNAMIC","count":1e1})",
                  "count", "integer"},
        LimitCase{"ConsumeIndexHuge", "consume",
                  R"({"request_id":"c","provider":"P","credential":"1","order":"T-0-1","items":[18446744073709551615]})",
                  "items[0]", "index"},
        LimitCase{"ConsumeIndexNegative", "consume",
                  R"({"request_id":"c","provider":"P","credential":"1","order":"T-0-1","items":[-1]})", "items[0]", "index"},
        LimitCase{"RequestIdTooLong", "eligibility", R"({"request_id":")" + kLong + R"(","provider":"P","credential":"1"})",
                  "request_id", "longer than 64"},
        LimitCase{"NoteTooLong", "authorize",
                  R"({"request_id":"a","provider":"P","credential":"1","note":")" + kLongText + R"(","items":[{"code":"1"}]})",
                  "note", "longer than 1000"},
        LimitCase{"TooManyItems", "consume",
                  R"({"request_id":"c","provider":"P","credential":"1","order":"T-0-1","items":[)" + [] {
                    std::string s;
                    for (int i = 0; i < 51; ++i) s += (i ? "," : "") + std::to_string(i % 50);
                    return s;
                  }() + "]}",
                  "items", "1 to 50"},
        LimitCase{"TrailingGarbage", "eligibility", R"({"request_id":"e","provider":"P","credential":"1"} x)", "",
                  "not valid JSON at byte"},
        LimitCase{"Truncated", "eligibility", R"({"request_id":"e","provider":"P)", "", "not valid JSON"},
        LimitCase{"Empty", "eligibility", "", "", "not valid JSON"},
        LimitCase{"NotAnObject", "eligibility", "[1,2]", "", "must be a JSON object"},
        LimitCase{"WrongTypeProvider", "eligibility", R"({"request_id":"e","provider":127,"credential":"1"})", "provider",
                  "must be a string"},
        LimitCase{"WrongTypeItems", "authorize", R"({"request_id":"a","provider":"P","credential":"1","items":{"code":"1"}})",
                  "items", "must be an array"},
        LimitCase{"WrongTypeConsumeNow", "authorize", authorize_with_item(R"({"code":"1"})").insert(1, R"("consume_now":"yes",)"),
                  "consume_now", "true or false"}),
    [](const ::testing::TestParamInfo<LimitCase>& info) { return info.param.name; });

TEST(JsonLimitsAccepted, SixteenLevelsAreAllowed) {
  Json body;
  EXPECT_TRUE(parse_json(nested_arrays(15), &body).is_ok());  // the object plus 15 arrays
}

TEST(JsonLimitsAccepted, LimitsCountCharactersNotBytes) {
  std::string emoji, accents;
  for (int i = 0; i < 64; ++i) emoji += "\xF0\x9F\x98\x80";  // U+1F600, 4 bytes each
  for (int i = 0; i < 1000; ++i) accents += "\xC3\xB1";        // ñ, 2 bytes each
  EXPECT_TRUE(decode_command_text("eligibility", R"({"request_id":")" + emoji + R"(","provider":"P","credential":"1"})").is_ok());
  EXPECT_TRUE(decode_command_text("authorize", R"({"request_id":"a","provider":"P","credential":"1","note":")" + accents +
                                                   R"(","items":[{"code":"1"}]})").is_ok());
  const Status over = decode_command_text(
      "eligibility", R"({"request_id":")" + emoji + "\xC3\xB1" + R"(","provider":"P","credential":"1"})");
  EXPECT_EQ(over.field(), "request_id");
  EXPECT_NE(over.message().find("longer than 64 characters"), std::string::npos) << over.message();
  EXPECT_EQ(utf8_length("\xC3\xB1" "and" "\xC3\xBA"), 5u);
}

TEST(JsonLimitsAccepted, SameKeyInSiblingObjectsIsNotADuplicate) {
  EXPECT_TRUE(decode_command_text("authorize", R"({"request_id":"a","provider":"P","credential":"1",
                                     "items":[{"code":"1","qty":2},{"code":"2","qty":3}]})").is_ok());
}

TEST(JsonLimitsAccepted, ValidMultibyteTextAndEscapesAreKept) {
  Json body;
  ASSERT_TRUE(parse_json(R"({"note":"Ñandú \u00e9 \ud83d\ude00 €"})", &body).is_ok());
  EXPECT_EQ(body["note"], "Ñandú é 😀 €");
}

TEST(JsonLimitsAccepted, UnknownFieldsDoNotChangeTheCommand) {
  Json with, without;
  ASSERT_TRUE(parse_json(R"j({"request_id":"e","provider":"P","credential":"1","shell":"$(rm -rf /)","n":[1,{"a":null}]})j", &with)
                  .is_ok());
  ASSERT_TRUE(parse_json(R"({"request_id":"e","provider":"P","credential":"1"})", &without).is_ok());
  fb::CommandUnion a, b;
  ASSERT_TRUE(decode_command("eligibility", with, &a).is_ok());
  ASSERT_TRUE(decode_command("eligibility", without, &b).is_ok());
  EXPECT_EQ(encode_command(a).dump(), encode_command(b).dump());
}

TEST(JsonLimitsAccepted, LongKeyInADuplicateIsQuotedShortAndValidUtf8) {
  std::string key;
  for (int i = 0; i < 100; ++i) key += "é";  // 200 bytes, 2 per character
  Json body;
  const Status s = parse_json("{\"" + key + "\":1,\"" + key + "\":2}", &body);
  ASSERT_FALSE(s);
  EXPECT_LT(s.field().size(), 80u);
  EXPECT_NO_THROW((void)Json(s.field()).dump());
  EXPECT_TRUE(body.is_null());
}

}  // namespace
}  // namespace autoriza
