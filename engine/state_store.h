#pragma once
// Mirrors validator state into the journal's state tables and reads it back
// at start-up. Shared by the live engine and by replay, so that both write
// byte-identical state.
#include <memory>
#include <vector>

#include "journal.h"
#include "reference.h"
#include "state.h"

namespace autoriza {

// Appends what dirty names (as it is now in state) and the stream's meta
// record (last sequence) to batch.writes.
void write_dirty(const PartitionState& state, const DirtySet& dirty, CommitBatch& batch);

// Appends the reference table write and the reference stream's meta for one
// REFERENCE_UPSERTED event.
void write_reference(const fb::ReferenceRecordUnion& record, int64_t at_ms, Sequence sequence, CommitBatch& batch);

std::string stream_meta_key(PartitionId stream);
Status read_stream_meta(const Journal& journal, PartitionId stream, Sequence* last_sequence);

// Rebuilds reference data from the reference table.
Status restore_reference(const Journal& journal, Reference* reference);
// Rebuilds every partition's state and the shared idempotency index.
Status restore_partitions(const Journal& journal, std::vector<std::unique_ptr<PartitionState>>& states,
                          IdempotencyIndex& index);

// Packs a whole event / reads one back, verified.
std::string pack_event(const fb::EventT& event);
Status unpack_event(std::string_view bytes, fb::EventT* event);

}  // namespace autoriza
