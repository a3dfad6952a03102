#include "adapters/kafka/messages.h"

#include <cstring>

#include "adapters/codec/codec.h"  // render_result: the answer as JSON
#include "engine/records.h"
#include "engine/state_store.h"

namespace autoriza::kafka {

namespace {

constexpr size_t kCommandHeaderBytes = 14;
constexpr size_t kReplyHeaderBytes = 15;

template <typename T>
void put(std::string& out, T v) {
  char b[sizeof(T)];
  for (size_t i = 0; i < sizeof(T); ++i) b[i] = char((uint64_t(v) >> (8 * i)) & 0xff);
  out.append(b, sizeof(T));
}

template <typename T>
T get(std::string_view bytes, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < sizeof(T); ++i) v |= uint64_t(uint8_t(bytes[at + i])) << (8 * i);
  return T(v);
}

}  // namespace

// The header, then an fb::Event packed straight from the parts (no copy of
// the command into an EventT first).
std::string encode_command(const CommandMessage& m) {
  flatbuffers::FlatBufferBuilder b(512);
  const auto command = m.command.Pack(b);
  const auto channel = b.CreateString(m.channel);
  fb::EventBuilder event(b);
  event.add_command_type(m.command.type);
  event.add_command(command);
  event.add_command_time_ms(m.now.value);
  event.add_channel(channel);
  fb::FinishEventBuffer(b, event.Finish());
  std::string out;
  out.reserve(kCommandHeaderBytes + b.GetSize());
  out = "AZC1";
  put<uint64_t>(out, m.correlation);
  put<uint16_t>(out, m.reply_partition);
  out.append(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
  return out;
}

Status decode_command(std::string_view bytes, CommandMessage* out) {
  if (bytes.size() < kCommandHeaderBytes || bytes.substr(0, 4) != "AZC1") {
    return Status::corruption("command message: no AZC1 header (" + std::to_string(bytes.size()) + " bytes)");
  }
  out->correlation = get<uint64_t>(bytes, 4);
  out->reply_partition = get<uint16_t>(bytes, 12);
  fb::EventT envelope;
  if (Status s = unpack_event(bytes.substr(kCommandHeaderBytes), &envelope); !s) {
    return Status::corruption("command message: " + s.message());
  }
  if (envelope.command.type == fb::Command::NONE) return Status::corruption("command message without a command");
  out->command = std::move(envelope.command);
  out->now = Millis{envelope.command_time_ms};
  out->channel = std::move(envelope.channel);
  return Status::ok();
}

std::string encode_reply(uint64_t correlation, fb::Command type, const Outcome& outcome) {
  std::string out = "AZR2";
  put<uint64_t>(out, correlation);
  put<uint8_t>(out, uint8_t(outcome.status.kind()));
  const bool recorded = outcome.recorded_sequence > 0 && !outcome.replayed;
  put<uint8_t>(out, uint8_t((outcome.replayed ? 1 : 0) | (recorded ? 2 : 0)));
  put<uint8_t>(out, uint8_t(outcome.status.is_ok() && outcome.result ? outcome.result->status : fb::Status::NONE));
  const std::string& message = outcome.status.message();
  const std::string& field = outcome.status.field();
  put<uint16_t>(out, uint16_t(std::min<size_t>(message.size(), 0xffff)));
  out.append(message.data(), std::min<size_t>(message.size(), 0xffff));
  put<uint16_t>(out, uint16_t(std::min<size_t>(field.size(), 0xffff)));
  out.append(field.data(), std::min<size_t>(field.size(), 0xffff));
  if (outcome.status.is_ok()) {
    AUTORIZA_CHECK(outcome.result != nullptr);  // the engine answers ok with a result
    render_result(type, *outcome.result, &out);
  }
  return out;
}

void append_reply(std::string* batch, std::string_view reply) {
  if (batch->empty()) {
    *batch = "AZB1";
    put<uint16_t>(*batch, 0);
  }
  const size_t n = replies_in(*batch) + 1;
  AUTORIZA_CHECK(n <= kRepliesPerMessageMax);
  (*batch)[4] = char(n & 0xff);
  (*batch)[5] = char(n >> 8);
  put<uint32_t>(*batch, uint32_t(reply.size()));
  batch->append(reply);
}

std::string encode_partition_word(const PartitionWord& w) {
  std::string out = "AZS1";
  put<uint16_t>(out, w.partition);
  put<uint8_t>(out, uint8_t(w.stalled ? 1 : 0));
  return out;
}

bool decode_partition_word(std::string_view bytes, PartitionWord* out) {
  if (bytes.size() != 7 || bytes.substr(0, 4) != "AZS1") return false;
  out->partition = get<uint16_t>(bytes, 4);
  out->stalled = get<uint8_t>(bytes, 6) != 0;
  return true;
}

size_t replies_in(std::string_view batch) { return batch.size() < 6 ? 0 : get<uint16_t>(batch, 4); }

Status visit_replies(std::string_view batch, const std::function<void(std::string_view)>& visit) {
  if (batch.size() < 6 || batch.substr(0, 4) != "AZB1") {
    return Status::corruption("reply batch: no AZB1 header (" + std::to_string(batch.size()) + " bytes)");
  }
  const size_t n = get<uint16_t>(batch, 4);
  if (n > kRepliesPerMessageMax) return Status::corruption("reply batch: " + std::to_string(n) + " replies");
  size_t at = 6;
  for (size_t i = 0; i < n; ++i) {
    if (at + 4 > batch.size()) return Status::corruption("reply batch: truncated at reply " + std::to_string(i));
    const size_t len = get<uint32_t>(batch, at);
    at += 4;
    if (len > batch.size() - at) return Status::corruption("reply batch: reply " + std::to_string(i) + " overruns");
    visit(batch.substr(at, len));
    at += len;
  }
  return at == batch.size() ? Status::ok() : Status::corruption("reply batch: trailing bytes");
}

Status decode_reply(std::string_view bytes, ReplyMessage* out) {
  if (bytes.size() < kReplyHeaderBytes + 2 || bytes.substr(0, 4) != "AZR2") {
    return Status::corruption("reply message: no AZR2 header (" + std::to_string(bytes.size()) + " bytes)");
  }
  out->correlation = get<uint64_t>(bytes, 4);
  const auto kind = StatusKind(get<uint8_t>(bytes, 12));
  const auto flags = get<uint8_t>(bytes, 13);
  out->outcome.replayed = (flags & 1) != 0;
  out->outcome.forwarded_recorded = (flags & 2) != 0;
  const auto business = get<uint8_t>(bytes, 14);
  if (business > uint8_t(fb::Status::MAX)) {
    return Status::corruption("reply message: unknown business status " + std::to_string(int(business)));
  }
  out->outcome.forwarded_status = fb::Status(business);
  size_t at = kReplyHeaderBytes;
  const size_t n = get<uint16_t>(bytes, at);
  at += 2;
  if (at + n + 2 > bytes.size()) return Status::corruption("reply message: truncated status message");
  std::string message(bytes.substr(at, n));
  at += n;
  const size_t m = get<uint16_t>(bytes, at);
  at += 2;
  if (at + m > bytes.size()) return Status::corruption("reply message: truncated status field");
  std::string field(bytes.substr(at, m));
  at += m;
  switch (kind) {
    case StatusKind::kOk:
      if (at >= bytes.size()) return Status::corruption("reply message: ok without an answer");
      out->outcome.forwarded_answer.assign(bytes.substr(at));
      out->outcome.status = Status::ok();
      return Status::ok();
    case StatusKind::kInvalidRequest: out->outcome.status = Status::invalid(message, field); break;
    case StatusKind::kNotFound: out->outcome.status = Status::not_found(message); break;
    case StatusKind::kConflict: out->outcome.status = Status::conflict(message); break;
    case StatusKind::kUnavailable: out->outcome.status = Status::unavailable(message); break;
    case StatusKind::kIoError: out->outcome.status = Status::io_error(message); break;
    case StatusKind::kCorruption: out->outcome.status = Status::corruption(message); break;
    case StatusKind::kTimeout: out->outcome.status = Status::timeout(message, field); break;
    case StatusKind::kStoreFull: out->outcome.status = Status::store_full(message); break;
    default: return Status::corruption("reply message: unknown status kind " + std::to_string(int(kind)));
  }
  return Status::ok();
}

}  // namespace autoriza::kafka
