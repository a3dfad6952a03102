// Fuzz target: the TCP frame decoder (adapters/tcp/frame.h) and the payload
// readers behind it. Feeds the input as a byte stream: decode frames one
// after another, as the server does, until more bytes are needed or the
// stream is refused. Properties checked (a violation aborts):
//   - a decoded frame consumes between kHeaderBytes and kFrameBytesMax bytes
//     and never more than were given;
//   - kNeedMore asks for more than is there and at most one whole frame;
//   - a decoded frame re-encodes to exactly the bytes it came from;
//   - a COMMAND's payload unpacks (read_command may refuse its shape, never
//     crash), a RESULT's and GOAWAY's read_reply succeeds.
// Seeds: tests/fuzz/corpus/tcp_frame/.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "adapters/tcp/frame.h"
#include "tests/fuzz/fuzz_targets.h"
#include "adapters/tcp/payload.h"

namespace autoriza::fuzz {
namespace {
void require(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

int fuzz_tcp_frame(const uint8_t* data, size_t size) {
  using namespace autoriza::tcp;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int frames = 0; frames < 1000; ++frames) {
    Frame frame;
    const Decoded d = decode_frame(rest, &frame);
    if (d.state == DecodeState::kError) {
      require(!d.error.is_ok());
      return 0;
    }
    if (d.state == DecodeState::kNeedMore) {
      require(d.bytes > rest.size() && d.bytes <= kFrameBytesMax);
      return 0;
    }
    require(d.bytes >= kHeaderBytes && d.bytes <= kFrameBytesMax && d.bytes <= rest.size());
    require(encode_frame(frame.kind, frame.request_id, frame.payload) == rest.substr(0, d.bytes));
    if (frame.kind == FrameKind::kCommand) {
      fb::CommandUnion command;
      std::optional<Millis> now;
      const Status s = read_command(frame.payload, &command, &now);
      require(s.is_ok() || s.kind() == StatusKind::kInvalidRequest);
    } else if (frame.kind == FrameKind::kResult || frame.kind == FrameKind::kGoaway) {
      Answer answer;
      require(read_reply(frame.payload, &answer).is_ok());
    }
    rest.remove_prefix(d.bytes);
  }
  return 0;
}

}  // namespace autoriza::fuzz
