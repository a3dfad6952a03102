#pragma once
// Mirrors validator state into the journal's state tables and reads it back
// at start-up. Shared by the live engine and by replay, so that both write
// byte-identical state.
#include <memory>
#include <vector>

#include "engine/journal.h"
#include "engine/core/reference.h"
#include "engine/core/state.h"

namespace autoriza {

// Appends what dirty names (as it is now in state) and the stream's meta
// record (last sequence) to batch.writes.
void write_dirty(const PartitionState& state, const DirtySet& dirty, CommitBatch& batch);

// A reference record as the reference table stores it (and autoriza.reference
// carries it): [ReferenceRecord type u8][updated at, ms, i64 LE][packed record].
std::string encode_reference_value(const fb::ReferenceRecordUnion& record, int64_t at_ms);
// key: named in errors. kCorruption when the bytes are not such a record.
Status decode_reference_value(std::string_view key, std::string_view value, fb::ReferenceRecordUnion* record,
                              int64_t* at_ms);

// Appends the reference table write and the reference stream's meta for one
// REFERENCE_UPSERTED event.
void write_reference(const fb::ReferenceRecordUnion& record, int64_t at_ms, Sequence sequence, CommitBatch& batch);

std::string stream_meta_key(PartitionId stream);
Status read_stream_meta(const Journal& journal, PartitionId stream, Sequence* last_sequence);

// Where a store that folds an events topic may resume it (fb::TopicCursor):
// next_offset is the offset after a message the store holds along with every
// message before it; sequence is that message's event sequence.
struct TopicCursor {
  int64_t next_offset = -1;  // -1: none recorded
  Sequence sequence = 0;
};
void write_topic_cursor(PartitionId stream, TopicCursor cursor, CommitBatch& batch);
// A store without one reads {-1, 0}.
Status read_topic_cursor(const Journal& journal, PartitionId stream, TopicCursor* cursor);

// Rebuilds reference data from the reference table.
Status restore_reference(const Journal& journal, Reference* reference);
// Rebuilds every partition's state and the shared idempotency index.
Status restore_partitions(const Journal& journal, std::vector<std::unique_ptr<PartitionState>>& states,
                          IdempotencyIndex& index);

// Rebuilds one partition's state (its records and last sequence) as the
// store holds it; the shared idempotency index is left as it is. A partition
// whose commit failed reloads this way (partition.cc).
std::unique_ptr<PartitionState> restore_partition(const Journal& journal, PartitionId partitions, PartitionId partition,
                                                  IdempotencyIndex& index, Status* status);

// Packs a whole event / reads one back, verified.
std::string pack_event(const fb::EventT& event);
Status unpack_event(std::string_view bytes, fb::EventT* event);

}  // namespace autoriza
