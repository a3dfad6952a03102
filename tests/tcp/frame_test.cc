// The TCP frame codec (adapters/tcp/frame.h): round trips and every error.
#include "adapters/tcp/frame.h"

#include <gtest/gtest.h>

#include <string>

#include "adapters/tcp/payload.h"
#include "tests/tcp/tcp_fixture.h"
#include "schemas/tcp_generated.h"

namespace autoriza::tcp {
namespace {

using testing::eligibility;

std::string raw_frame(uint32_t length, uint8_t version, uint8_t kind, std::string_view payload) {
  std::string f;
  for (int i = 3; i >= 0; --i) f.push_back(char((length >> (8 * i)) & 0xff));
  f.push_back(char(version));
  f.push_back(char(kind));
  f.append(8, '\0');
  f.append(payload);
  return f;
}

Decoded decode(std::string_view bytes, Frame* frame) { return decode_frame(bytes, frame); }

TEST(TcpFrame, RoundTripsEveryKind) {
  fb::ResultT result;
  result.transaction = "T-0-1";
  const std::pair<FrameKind, std::string> cases[] = {
      {FrameKind::kAuth, "az_key"},
      {FrameKind::kAuthOk, "provider-LAB127"},
      {FrameKind::kCommand, command_payload(eligibility("r1"))},
      {FrameKind::kResult, result_payload(result, false)},
      {FrameKind::kPing, "12345678"},
      {FrameKind::kPong, ""},
      {FrameKind::kGoaway, error_payload(WireError{401, "UNAUTHENTICATED", "no key", "", 0})},
  };
  for (const auto& [kind, payload] : cases) {
    const std::string bytes = encode_frame(kind, 0x0102030405060708ull, payload);
    Frame frame;
    const Decoded d = decode(bytes, &frame);
    ASSERT_EQ(d.state, DecodeState::kFrame) << frame_kind_name(kind) << ": " << d.error.to_string();
    EXPECT_EQ(d.bytes, bytes.size());
    EXPECT_EQ(frame.kind, kind);
    EXPECT_EQ(frame.request_id, 0x0102030405060708ull);
    EXPECT_EQ(frame.payload, payload);
  }
}

TEST(TcpFrame, EveryStrictPrefixNeedsMore) {
  const std::string bytes = encode_frame(FrameKind::kCommand, 7, command_payload(eligibility("r1")));
  for (size_t n = 0; n < bytes.size(); ++n) {
    Frame frame;
    const Decoded d = decode(std::string_view(bytes).substr(0, n), &frame);
    ASSERT_EQ(d.state, DecodeState::kNeedMore) << n;
    EXPECT_GT(d.bytes, n);
    EXPECT_LE(d.bytes, bytes.size());
  }
}

TEST(TcpFrame, TwoFramesInOneBufferDecodeOneAfterTheOther) {
  const std::string bytes = encode_frame(FrameKind::kPing, 1, "a") + encode_frame(FrameKind::kPing, 2, "bc");
  Frame frame;
  Decoded d = decode(bytes, &frame);
  ASSERT_EQ(d.state, DecodeState::kFrame);
  EXPECT_EQ(frame.request_id, 1u);
  d = decode(std::string_view(bytes).substr(d.bytes), &frame);
  ASSERT_EQ(d.state, DecodeState::kFrame);
  EXPECT_EQ(frame.request_id, 2u);
  EXPECT_EQ(frame.payload, "bc");
}

TEST(TcpFrame, LengthOutOfBoundsIsAnErrorBeforeThePayloadArrives) {
  Frame frame;
  Decoded d = decode(raw_frame(9, kFrameVersion, 5, ""), &frame);
  EXPECT_EQ(d.state, DecodeState::kError);
  EXPECT_EQ(d.error.field(), "length");
  d = decode(raw_frame(uint32_t(kFrameBytesMax - kLengthBytes + 1), kFrameVersion, 3, ""), &frame);
  EXPECT_EQ(d.state, DecodeState::kError);
  EXPECT_NE(d.error.message().find("outside"), std::string::npos) << d.error.message();
  d = decode(raw_frame(0xffffffffu, kFrameVersion, 3, "").substr(0, 4), &frame);
  EXPECT_EQ(d.state, DecodeState::kError);
  // The largest frame allowed still just needs more bytes.
  d = decode(raw_frame(uint32_t(kFrameBytesMax - kLengthBytes), kFrameVersion, 3, ""), &frame);
  EXPECT_EQ(d.state, DecodeState::kNeedMore);
  EXPECT_EQ(d.bytes, kFrameBytesMax);
}

TEST(TcpFrame, UnknownVersionAndKindAreErrors) {
  Frame frame;
  Decoded d = decode(raw_frame(10, 2, 5, "").substr(0, 5), &frame);
  EXPECT_EQ(d.state, DecodeState::kError);
  EXPECT_EQ(d.error.field(), "version");
  for (uint8_t kind : {0, 8, 255}) {
    d = decode(raw_frame(10, kFrameVersion, kind, "").substr(0, 6), &frame);
    EXPECT_EQ(d.state, DecodeState::kError) << int(kind);
    EXPECT_EQ(d.error.field(), "kind");
  }
}

TEST(TcpFrame, PayloadsAreCheckedForTheirKind) {
  const std::pair<FrameKind, std::string> bad[] = {
      {FrameKind::kAuth, ""},
      {FrameKind::kAuth, std::string(kApiKeyBytesMax + 1, 'k')},
      {FrameKind::kAuthOk, std::string(kNameBytesMax + 1, 'n')},
      {FrameKind::kPing, std::string(kPingBytesMax + 1, 'p')},
      {FrameKind::kCommand, "garbage that is not a flatbuffer"},
      {FrameKind::kCommand, std::string(3, '\0')},
      {FrameKind::kCommand, command_payload(fb::CommandUnion{})},  // no command in it
      {FrameKind::kResult, "\x04\0\0\0\xff\xff\xff\xff"},
      {FrameKind::kGoaway, [] {
         fb::ResultT r;
         return result_payload(r, false);  // a GOAWAY must carry an error
       }()},
  };
  for (const auto& [kind, payload] : bad) {
    Frame frame;
    const Decoded d = decode(encode_frame(kind, 1, payload), &frame);
    EXPECT_EQ(d.state, DecodeState::kError) << frame_kind_name(kind) << " " << payload.size();
    EXPECT_NE(d.error.message().find(frame_kind_name(kind)), std::string::npos) << d.error.message();
  }
}

TEST(TcpFrame, MisalignedBuffersDecode) {
  const std::string frame_bytes = encode_frame(FrameKind::kCommand, 3, command_payload(eligibility("r1")));
  for (size_t shift = 1; shift < 8; ++shift) {
    std::string buffer(shift, 'x');
    buffer += frame_bytes;
    Frame frame;
    const Decoded d = decode(std::string_view(buffer).substr(shift), &frame);
    ASSERT_EQ(d.state, DecodeState::kFrame) << shift;
    fb::CommandUnion command;
    std::optional<Millis> now;
    ASSERT_TRUE(read_command(frame.payload, &command, &now));
    EXPECT_EQ(command.AsEligibilityCmd()->request_id, "r1");
  }
}

}  // namespace
}  // namespace autoriza::tcp
