#include "messages.h"

#include <cstring>

#include "records.h"
#include "state_store.h"

namespace autoriza::kafka {

namespace {

constexpr size_t kCommandHeaderBytes = 14;
constexpr size_t kReplyHeaderBytes = 14;

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

std::string encode_command(const CommandMessage& m) {
  fb::EventT envelope;
  envelope.command = m.command;
  envelope.command_time_ms = m.now.value;
  envelope.channel = m.channel;
  std::string out = "AZC1";
  put<uint64_t>(out, m.correlation);
  put<uint16_t>(out, m.reply_partition);
  out += pack_event(envelope);
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

std::string encode_reply(uint64_t correlation, const Outcome& outcome) {
  std::string out = "AZR1";
  put<uint64_t>(out, correlation);
  put<uint8_t>(out, uint8_t(outcome.status.kind()));
  put<uint8_t>(out, outcome.replayed ? 1 : 0);
  const std::string& message = outcome.status.message();
  const std::string& field = outcome.status.field();
  put<uint16_t>(out, uint16_t(std::min<size_t>(message.size(), 0xffff)));
  out.append(message.data(), std::min<size_t>(message.size(), 0xffff));
  put<uint16_t>(out, uint16_t(std::min<size_t>(field.size(), 0xffff)));
  out.append(field.data(), std::min<size_t>(field.size(), 0xffff));
  if (outcome.status.is_ok() && outcome.result) {
    fb::EventT envelope;
    envelope.result = std::make_unique<fb::ResultT>(*outcome.result);
    out += pack_event(envelope);
  }
  return out;
}

Status decode_reply(std::string_view bytes, ReplyMessage* out) {
  if (bytes.size() < kReplyHeaderBytes + 2 || bytes.substr(0, 4) != "AZR1") {
    return Status::corruption("reply message: no AZR1 header (" + std::to_string(bytes.size()) + " bytes)");
  }
  out->correlation = get<uint64_t>(bytes, 4);
  const auto kind = StatusKind(get<uint8_t>(bytes, 12));
  out->outcome.replayed = get<uint8_t>(bytes, 13) != 0;
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
    case StatusKind::kOk: {
      fb::EventT envelope;
      if (Status s = unpack_event(bytes.substr(at), &envelope); !s) return Status::corruption("reply message: " + s.message());
      if (!envelope.result) return Status::corruption("reply message: ok without a result");
      out->outcome.result = std::shared_ptr<const fb::ResultT>(std::move(envelope.result));
      out->outcome.status = Status::ok();
      return Status::ok();
    }
    case StatusKind::kInvalidRequest: out->outcome.status = Status::invalid(message, field); break;
    case StatusKind::kNotFound: out->outcome.status = Status::not_found(message); break;
    case StatusKind::kConflict: out->outcome.status = Status::conflict(message); break;
    case StatusKind::kUnavailable: out->outcome.status = Status::unavailable(message); break;
    case StatusKind::kIoError: out->outcome.status = Status::io_error(message); break;
    case StatusKind::kCorruption: out->outcome.status = Status::corruption(message); break;
    case StatusKind::kTimeout: out->outcome.status = Status::timeout(message, field); break;
    default: return Status::corruption("reply message: unknown status kind " + std::to_string(int(kind)));
  }
  return Status::ok();
}

}  // namespace autoriza::kafka
