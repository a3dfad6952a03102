#pragma once
// Wire formats of the messages autoriza writes to Kafka (all integers
// little-endian; FlatBuffers parts are verified, and copied to aligned memory
// first, on the way in).
//
// autoriza.commands, key = routing key (credential or the id naming the
// partition), partition = engine partition, value:
//   [0..4)   "AZC1"
//   [4..12)  u64 correlation id (gateway epoch << 32 | counter)
//   [12..14) u16 reply partition in autoriza.replies (the gateway's)
//   [14..)   packed fb::Event with only command, command_time_ms (stamped by
//            the gateway: validators never read the clock) and channel set
//
// autoriza.events, key = the command's key, value = the packed fb::Event as
// journaled by the validator (partition, sequence, command_offset inside).
//
// autoriza.replies, key = none, partition = the gateway's reply partition;
// value = a batch of replies (the validator sends together the replies that
// one round of delivery reports released, so a message carries many):
//   [0..4)   "AZB1"
//   [4..6)   u16 n (1..kRepliesPerMessageMax), then n times: u32 length, one reply:
//   [0..4)   "AZR2"
//   [4..12)  u64 correlation id
//   [12]     u8 StatusKind;  [13] u8 flags: bit 0 replayed, bit 1 recorded a new event
//   [14]     u8 fb::Status of the answer (NONE when not ok): counted by the gateway's metrics
//   [15..17) u16 n, then n bytes: status message
//   u16 m, then m bytes: status field
//   rest:    the answer as JSON text (when the status is ok), rendered by the
//            validator exactly as the embedded service renders it, so the
//            gateway answers with these bytes (no decode, no re-encoding)
// A reply is produced only after the event that answered it (if any) was
// acknowledged by Kafka (acks=all), so an answered transaction is durable.
//
// autoriza.replies also carries a validator's word on a partition whose
// events Kafka does not acknowledge (its leader is away), sent to every reply
// partition when it changes and every second while it lasts:
//   [0..4)   "AZS1"
//   [4..6)   u16 engine partition
//   [6]      u8 1 = its events are not being acknowledged (commands paused),
//               0 = acknowledged again
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/engine.h"

namespace autoriza::kafka {

struct CommandMessage {
  uint64_t correlation = 0;
  uint16_t reply_partition = 0;
  fb::CommandUnion command;
  Millis now{0};
  std::string channel;
};
std::string encode_command(const CommandMessage& m);
Status decode_command(std::string_view bytes, CommandMessage* out);

struct ReplyMessage {
  uint64_t correlation = 0;
  Outcome outcome;  // status, replayed, forwarded_recorded, forwarded_answer and forwarded_status (result stays null)
};
// type: the command answered (how its result renders as JSON).
std::string encode_reply(uint64_t correlation, fb::Command type, const Outcome& outcome);
Status decode_reply(std::string_view bytes, ReplyMessage* out);

struct PartitionWord {
  uint16_t partition = 0;
  bool stalled = false;
};
std::string encode_partition_word(const PartitionWord& w);
// False when the bytes are not an AZS1 message (e.g. a reply batch).
bool decode_partition_word(std::string_view bytes, PartitionWord* out);

inline constexpr size_t kRepliesPerMessageMax = 1024;
inline constexpr size_t kReplyBatchBytesMax = 512 * 1024;  // well under Kafka's message.max.bytes (1 MB)
// Appends one encoded reply to a batch value (started when empty). The
// caller keeps a batch within kRepliesPerMessageMax and kReplyBatchBytesMax.
void append_reply(std::string* batch, std::string_view reply);
size_t replies_in(std::string_view batch);
// Calls visit(reply bytes) for each reply of a batch value, in order;
// kCorruption when the framing is broken (replies before it were visited).
Status visit_replies(std::string_view batch, const std::function<void(std::string_view)>& visit);

}  // namespace autoriza::kafka
