#pragma once
// Frames of the binary TCP adapter (issue 6). Every integer is big-endian.
//
//   offset  size  field
//   0       4     length      bytes after this field: 10 + payload bytes,
//                             10 .. kFrameBytesMax - 4
//   4       1     version     kFrameVersion (1)
//   5       1     kind        FrameKind below
//   6       8     request_id  chosen by the client; the server answers with the
//                             same id (answers may come out of order)
//   14      n     payload     depends on kind:
//
//   kind  name     from    payload
//   1     AUTH     client  the API key, UTF-8, 1..kApiKeyBytesMax bytes
//   2     AUTH_OK  server  the principal's name, UTF-8, 0..kNameBytesMax bytes
//   3     COMMAND  client  FlatBuffers fb::TcpCommand (schemas/tcp.fbs)
//   4     RESULT   server  FlatBuffers fb::TcpReply: the Result, or an error
//   5     PING     either  opaque, 0..kPingBytesMax bytes
//   6     PONG     either  the payload of the PING it answers
//   7     GOAWAY   server  FlatBuffers fb::TcpReply with the error; the server
//                          then closes the connection
//
// A frame is at most kFrameBytesMax (64 KiB) bytes, length field included.
// The decoder is a pure function over bytes (the fuzz target): it yields one
// frame, asks for more bytes, or names what is wrong (unknown version or kind,
// length out of bounds, a payload that does not verify as its FlatBuffers
// table). A stream that produced an error cannot be resynchronised: the server
// answers GOAWAY and closes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace autoriza::tcp {

inline constexpr uint8_t kFrameVersion = 1;
inline constexpr size_t kFrameBytesMax = 64 * 1024;
inline constexpr size_t kLengthBytes = 4;
inline constexpr size_t kHeaderBytes = 14;  // length, version, kind, request id
inline constexpr size_t kPayloadBytesMax = kFrameBytesMax - kHeaderBytes;
inline constexpr size_t kApiKeyBytesMax = 256;
inline constexpr size_t kNameBytesMax = 256;
inline constexpr size_t kPingBytesMax = 64;

enum class FrameKind : uint8_t {
  kAuth = 1,
  kAuthOk = 2,
  kCommand = 3,
  kResult = 4,
  kPing = 5,
  kPong = 6,
  kGoaway = 7,
};
const char* frame_kind_name(FrameKind kind);

struct Frame {
  FrameKind kind = FrameKind::kPing;
  uint64_t request_id = 0;
  std::string payload;
};

enum class DecodeState : uint8_t {
  kFrame,     // *out holds a frame of `bytes` bytes
  kNeedMore,  // bytes hold the start of a valid frame; read at least `bytes` in all
  kError,     // error says what is wrong; the stream is unusable
};

struct Decoded {
  DecodeState state = DecodeState::kNeedMore;
  size_t bytes = 0;
  Status error;
};

// Decodes the frame at the start of bytes. Never reads past bytes.size(),
// never allocates more than kPayloadBytesMax, never throws. On kFrame the
// payload has been verified for its kind (a COMMAND's payload verifies as
// fb::TcpCommand and holds a command; a RESULT's as fb::TcpReply).
Decoded decode_frame(std::string_view bytes, Frame* out);

// The bytes of a frame. payload must fit (kPayloadBytesMax): checked.
std::string encode_frame(FrameKind kind, uint64_t request_id, std::string_view payload);

// Whether payload is valid for kind (the checks decode_frame applies).
Status check_payload(FrameKind kind, std::string_view payload);

}  // namespace autoriza::tcp
