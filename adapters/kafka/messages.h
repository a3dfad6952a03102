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
// autoriza.replies, key = none, partition = the gateway's reply partition:
//   [0..4)   "AZR1"
//   [4..12)  u64 correlation id
//   [12]     u8 StatusKind;  [13] u8 replayed
//   [14..16) u16 n, then n bytes: status message
//   u16 m, then m bytes: status field
//   rest:    packed fb::Event with only `result` set (when the status is ok)
// A reply is produced only after the event that answered it (if any) was
// acknowledged by Kafka (acks=all), so an answered transaction is durable.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine.h"

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
  Outcome outcome;
};
std::string encode_reply(uint64_t correlation, const Outcome& outcome);
Status decode_reply(std::string_view bytes, ReplyMessage* out);

}  // namespace autoriza::kafka
