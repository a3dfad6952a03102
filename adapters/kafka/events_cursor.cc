#include "adapters/kafka/events_cursor.h"

#include <spdlog/spdlog.h>

#include "schemas/events_generated.h"
#include "engine/records.h"
#include "engine/state_store.h"

namespace autoriza::kafka {

Status read_message_at(rd_kafka_t* reader, const char* topic, int32_t partition, int64_t offset, std::string* value,
                       std::chrono::milliseconds timeout) {
  if (Status s = assign_one(reader, topic, partition, offset); !s) return s;
  const std::string where = std::string(topic) + "[" + std::to_string(partition) + "]@" + std::to_string(offset);
  Status result = Status::unavailable("no message read at " + where + " in time");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(reader, 100);
    if (!m) continue;
    const bool ours = m->partition == partition;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF || m->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE) {
      result = Status::not_found(where + " is no longer in the topic");
    } else if (m->err) {
      spdlog::debug("reading {}: {}", where, rd_kafka_message_errstr(m));
      rd_kafka_message_destroy(m);
      continue;
    } else if (ours && m->offset == offset) {
      value->assign(static_cast<const char*>(m->payload), m->len);
      result = Status::ok();
    } else if (ours) {
      result = Status::not_found(where + " is no longer in the topic (read " + std::to_string(m->offset) + ")");
    } else {
      rd_kafka_message_destroy(m);
      continue;
    }
    rd_kafka_message_destroy(m);
    break;
  }
  rd_kafka_assign(reader, nullptr);
  return result;
}

Status events_start(const Journal& journal, rd_kafka_t* reader, int32_t partition, int64_t low, int64_t high,
                    EventsStart* out) {
  *out = {low, 0, false};
  TopicCursor cursor;
  if (Status s = read_topic_cursor(journal, PartitionId(partition), &cursor); !s) return s;
  if (cursor.next_offset < 0) return Status::ok();
  const int64_t before = cursor.next_offset - 1;
  const std::string where = std::string(kEventsTopic) + "[" + std::to_string(partition) + "]";
  if (before < low || cursor.next_offset > high) {
    spdlog::warn("{}: the stored cursor {} is outside the topic's offsets [{}, {}): reading from {}", where,
                 cursor.next_offset, low, high, low);
    return Status::ok();
  }
  std::string bytes;
  if (Status s = read_message_at(reader, kEventsTopic, partition, before, &bytes); !s) {
    spdlog::warn("{}: the stored cursor {} cannot be checked ({}): reading from {}", where, cursor.next_offset,
                 s.to_string(), low);
    return Status::ok();
  }
  std::vector<uint64_t> storage;
  const fb::Event* event = verified_root<fb::Event>(bytes, &storage);
  if (!event || event->partition() != partition || event->sequence() != cursor.sequence) {
    spdlog::warn("{}@{} is not the event {} the store recorded there (a recreated topic?): reading from {}", where, before,
                 cursor.sequence, low);
    return Status::ok();
  }
  *out = {cursor.next_offset, cursor.sequence, true};
  return Status::ok();
}

}  // namespace autoriza::kafka
