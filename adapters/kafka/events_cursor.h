#pragma once
// Where a store that folds autoriza.events[p] (a validator catching up, a
// gateway mirror, a projections worker) resumes reading it after a restart:
// at the cursor it recorded with the events it applied (state_store.h:
// TopicCursor), when the topic still holds the message before the cursor
// with the recorded sequence; otherwise at the partition's first offset
// (a lost store, a recreated topic, a cursor the retention overtook).
#include "adapters/kafka/kafka_client.h"
#include "engine/core/ids.h"
#include "engine/journal.h"

namespace autoriza::kafka {

struct EventsStart {
  int64_t offset = 0;     // the first offset to read
  Sequence sequence = 0;  // the topic holds events 1..sequence before offset
  bool from_cursor = false;
};

// reader: a consumer without a group; its assignment is replaced (and left
// empty). low/high: the partition's watermarks.
Status events_start(const Journal& journal, rd_kafka_t* reader, int32_t partition, int64_t low, int64_t high,
                    EventsStart* out);

// The value of the message at offset of topic[partition] (kNotFound when the
// partition no longer holds that offset). reader's assignment is replaced.
Status read_message_at(rd_kafka_t* reader, const char* topic, int32_t partition, int64_t offset, std::string* value,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));

}  // namespace autoriza::kafka
