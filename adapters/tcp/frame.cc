// Frame codec of the binary TCP adapter: the layout is at the top of frame.h.
#include "adapters/tcp/frame.h"

#include <vector>

#include "engine/records.h"  // aligned_bytes
#include "schemas/tcp_generated.h"

namespace autoriza::tcp {
namespace {

// Bounds for the FlatBuffers verifier: a command has a few dozen tables at
// most (50 items); these stop a crafted buffer from making it walk long.
constexpr flatbuffers::uoffset_t kVerifyDepthMax = 16;
constexpr flatbuffers::uoffset_t kVerifyTablesMax = 4096;

uint64_t read_be(const char* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | uint8_t(p[i]);
  return v;
}

void write_be(uint64_t v, size_t n, std::string* out) {
  for (size_t i = n; i-- > 0;) out->push_back(char((v >> (8 * i)) & 0xff));
}

template <typename Table>
Status verify_table(std::string_view payload, const char* name, const Table** root, std::vector<uint64_t>* storage) {
  const std::string_view bytes = aligned_bytes(payload, storage);
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), kVerifyDepthMax,
                                 kVerifyTablesMax);
  if (bytes.size() < sizeof(flatbuffers::uoffset_t) || !verifier.VerifyBuffer<Table>(nullptr)) {
    return Status::invalid(std::string("payload does not verify as ") + name + " (" + std::to_string(payload.size()) +
                               " bytes)",
                           "payload");
  }
  *root = flatbuffers::GetRoot<Table>(bytes.data());
  return Status::ok();
}

Status check_reply(std::string_view payload, bool error_required) {
  std::vector<uint64_t> storage;
  const fb::TcpReply* reply = nullptr;
  if (Status s = verify_table(payload, "TcpReply", &reply, &storage); !s) return s;
  if ((reply->result() == nullptr) == (reply->error() == nullptr)) {
    return Status::invalid("TcpReply must hold exactly one of result and error", "payload");
  }
  if (error_required && !reply->error()) return Status::invalid("GOAWAY must carry an error", "payload");
  return Status::ok();
}

}  // namespace

const char* frame_kind_name(FrameKind kind) {
  switch (kind) {
    case FrameKind::kAuth: return "AUTH";
    case FrameKind::kAuthOk: return "AUTH_OK";
    case FrameKind::kCommand: return "COMMAND";
    case FrameKind::kResult: return "RESULT";
    case FrameKind::kPing: return "PING";
    case FrameKind::kPong: return "PONG";
    case FrameKind::kGoaway: return "GOAWAY";
  }
  return "?";
}

Status check_payload(FrameKind kind, std::string_view payload) {
  if (payload.size() > kPayloadBytesMax) {
    return Status::invalid("payload of " + std::to_string(payload.size()) + " bytes is over " +
                               std::to_string(kPayloadBytesMax), "payload");
  }
  switch (kind) {
    case FrameKind::kAuth:
      if (payload.empty() || payload.size() > kApiKeyBytesMax) {
        return Status::invalid("AUTH must carry an API key of 1 to " + std::to_string(kApiKeyBytesMax) + " bytes",
                               "payload");
      }
      return Status::ok();
    case FrameKind::kAuthOk:
      if (payload.size() > kNameBytesMax) return Status::invalid("AUTH_OK name is too long", "payload");
      return Status::ok();
    case FrameKind::kPing:
    case FrameKind::kPong:
      if (payload.size() > kPingBytesMax) {
        return Status::invalid(std::string(frame_kind_name(kind)) + " payload over " + std::to_string(kPingBytesMax) +
                                   " bytes", "payload");
      }
      return Status::ok();
    case FrameKind::kCommand: {
      std::vector<uint64_t> storage;
      const fb::TcpCommand* command = nullptr;
      if (Status s = verify_table(payload, "TcpCommand", &command, &storage); !s) return s;
      const auto type = command->command_type();
      if (type == fb::Command::NONE || uint8_t(type) > uint8_t(fb::Command::MAX) || command->command() == nullptr) {
        return Status::invalid("TcpCommand holds no known command", "command");
      }
      return Status::ok();
    }
    case FrameKind::kResult: return check_reply(payload, false);
    case FrameKind::kGoaway: return check_reply(payload, true);
  }
  return Status::invalid("unknown frame kind", "kind");
}

Decoded decode_frame(std::string_view bytes, Frame* out) {
  AUTORIZA_CHECK(out != nullptr);
  if (bytes.size() < kLengthBytes) return {DecodeState::kNeedMore, kHeaderBytes, {}};
  const uint64_t length = read_be(bytes.data(), kLengthBytes);
  if (length < kHeaderBytes - kLengthBytes || length > kFrameBytesMax - kLengthBytes) {
    return {DecodeState::kError, 0,
            Status::invalid("frame length " + std::to_string(length) + " is outside " +
                                std::to_string(kHeaderBytes - kLengthBytes) + ".." +
                                std::to_string(kFrameBytesMax - kLengthBytes), "length")};
  }
  if (bytes.size() >= kLengthBytes + 1 && uint8_t(bytes[4]) != kFrameVersion) {
    return {DecodeState::kError, 0,
            Status::invalid("frame version " + std::to_string(uint8_t(bytes[4])) + " is not " +
                                std::to_string(kFrameVersion), "version")};
  }
  if (bytes.size() >= kLengthBytes + 2) {
    const uint8_t kind = uint8_t(bytes[5]);
    if (kind < uint8_t(FrameKind::kAuth) || kind > uint8_t(FrameKind::kGoaway)) {
      return {DecodeState::kError, 0, Status::invalid("unknown frame kind " + std::to_string(kind), "kind")};
    }
  }
  const size_t total = kLengthBytes + size_t(length);
  if (bytes.size() < total) return {DecodeState::kNeedMore, total, {}};
  const auto kind = FrameKind(uint8_t(bytes[5]));
  const std::string_view payload = bytes.substr(kHeaderBytes, total - kHeaderBytes);
  if (Status s = check_payload(kind, payload); !s) {
    return {DecodeState::kError, 0,
            Status::invalid(std::string(frame_kind_name(kind)) + " frame: " + s.message(), s.field())};
  }
  out->kind = kind;
  out->request_id = read_be(bytes.data() + 6, 8);
  out->payload.assign(payload);
  return {DecodeState::kFrame, total, {}};
}

std::string encode_frame(FrameKind kind, uint64_t request_id, std::string_view payload) {
  AUTORIZA_CHECK(payload.size() <= kPayloadBytesMax);
  std::string out;
  out.reserve(kHeaderBytes + payload.size());
  write_be(kHeaderBytes - kLengthBytes + payload.size(), kLengthBytes, &out);
  out.push_back(char(kFrameVersion));
  out.push_back(char(kind));
  write_be(request_id, 8, &out);
  out.append(payload);
  AUTORIZA_CHECK(out.size() == kHeaderBytes + payload.size());
  return out;
}

}  // namespace autoriza::tcp
