#include "engine/state_store.h"

#include "engine/records.h"

namespace autoriza {

std::string stream_meta_key(PartitionId stream) { return "stream/" + std::to_string(stream); }

void write_topic_cursor(PartitionId stream, TopicCursor cursor, CommitBatch& batch) {
  fb::TopicCursorT record;
  record.partition = stream;
  record.next_offset = cursor.next_offset;
  record.sequence = cursor.sequence;
  batch.writes.push_back({StateTable::kMeta, "cursor/" + std::to_string(stream), pack_record(record)});
}

Status read_topic_cursor(const Journal& journal, PartitionId stream, TopicCursor* cursor) {
  *cursor = {};
  std::string value;
  Status s = journal.read_state(StateTable::kMeta, "cursor/" + std::to_string(stream), &value);
  if (s.kind() == StatusKind::kNotFound) return Status::ok();
  if (!s) return s;
  fb::TopicCursorT record;
  if (Status u = unpack_record(value, &record); !u) return u;
  *cursor = {record.next_offset, record.sequence};
  return Status::ok();
}

namespace {

void write_meta(PartitionId stream, Sequence last, CommitBatch& batch) {
  fb::PartitionMetaT meta;
  meta.partition = stream;
  meta.last_sequence = last;
  batch.writes.push_back({StateTable::kMeta, stream_meta_key(stream), pack_record(meta)});
}

template <typename T>
void write_all(StateTable table, const std::set<std::string>& ids, const T* (PartitionState::*get)(std::string_view) const,
               const PartitionState& state, CommitBatch& batch) {
  for (const std::string& id : ids) {
    const T* record = (state.*get)(id);
    AUTORIZA_CHECK(record != nullptr);
    batch.writes.push_back({table, id, pack_record(*record)});
  }
}

template <typename T>
Status restore_table(const Journal& journal, StateTable table, std::vector<std::unique_ptr<PartitionState>>& states,
                     std::optional<EventPosition> (*parse)(std::string_view)) {
  Status result;
  Status scan = journal.scan_state(table, [&](std::string_view key, std::string_view value) {
    auto pos = parse(key);
    if (!pos || pos->partition >= states.size()) {
      result = Status::corruption(std::string(state_table_name(table)) + ": key " + std::string(key) +
                                  " names no partition of this store");
      return false;
    }
    if (!states[pos->partition]) return true;  // restore_partition: another partition's
    T record;
    result = unpack_record(value, &record);
    if (!result) return false;
    states[pos->partition]->restore(std::move(record));
    return true;
  });
  return scan ? result : scan;
}

}  // namespace

void write_dirty(const PartitionState& state, const DirtySet& dirty, CommitBatch& batch) {
  write_all<fb::OrderStateT>(StateTable::kOrders, dirty.orders, &PartitionState::order, state, batch);
  write_all<fb::ConsumptionStateT>(StateTable::kConsumptions, dirty.consumptions, &PartitionState::consumption,
                                   state, batch);
  write_all<fb::SapStateT>(StateTable::kSaps, dirty.saps, &PartitionState::sap, state, batch);
  write_all<fb::TokenStateT>(StateTable::kTokens, dirty.tokens, &PartitionState::tokens, state, batch);
  write_all<fb::AccountStateT>(StateTable::kAccounts, dirty.accounts, &PartitionState::account, state, batch);
  write_all<fb::ShareStateT>(StateTable::kShares, dirty.shares, &PartitionState::share, state, batch);
  for (const auto& [key, entry] : dirty.idempotency) {
    fb::IdempotencyEntryT e;
    e.digest.assign(entry.digest.begin(), entry.digest.end());
    e.partition = entry.position.partition;
    e.sequence = entry.position.sequence;
    batch.writes.push_back({StateTable::kIdempotency, key, pack_record(e)});
  }
  write_meta(state.partition(), state.last_sequence(), batch);
}

std::string encode_reference_value(const fb::ReferenceRecordUnion& record, int64_t at_ms) {
  flatbuffers::FlatBufferBuilder builder(256);
  builder.Finish(record.Pack(builder));
  std::string value(1, char(record.type));
  for (int i = 0; i < 8; ++i) value.push_back(char((uint64_t(at_ms) >> (8 * i)) & 0xFF));
  value.append(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
  return value;
}

Status decode_reference_value(std::string_view key, std::string_view value, fb::ReferenceRecordUnion* record,
                              int64_t* at_ms) {
  if (value.size() < 9) return Status::corruption("reference: short record " + std::string(key));
  const auto type = fb::ReferenceRecord(uint8_t(value[0]));
  uint64_t at = 0;
  for (int i = 7; i >= 0; --i) at = (at << 8) | uint8_t(value[1 + i]);
  std::vector<uint64_t> storage;
  const std::string_view bytes = aligned_bytes(value.substr(9), &storage);
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (bytes.size() < 8 || type == fb::ReferenceRecord::NONE ||
      !fb::VerifyReferenceRecord(verifier, flatbuffers::GetRoot<flatbuffers::Table>(bytes.data()), type)) {
    return Status::corruption("reference: record " + std::string(key) + " does not verify");
  }
  record->Reset();
  record->type = type;
  record->value = fb::ReferenceRecordUnion::UnPack(flatbuffers::GetRoot<flatbuffers::Table>(bytes.data()), type, nullptr);
  *at_ms = int64_t(at);
  return Status::ok();
}

void write_reference(const fb::ReferenceRecordUnion& record, int64_t at_ms, Sequence sequence, CommitBatch& batch) {
  batch.writes.push_back({StateTable::kReference, Reference::record_key(record), encode_reference_value(record, at_ms)});
  write_meta(kReferenceStream, sequence, batch);
}

Status read_stream_meta(const Journal& journal, PartitionId stream, Sequence* last_sequence) {
  std::string value;
  Status s = journal.read_state(StateTable::kMeta, stream_meta_key(stream), &value);
  if (s.kind() == StatusKind::kNotFound) {
    *last_sequence = 0;
    return Status::ok();
  }
  if (!s) return s;
  fb::PartitionMetaT meta;
  if (Status u = unpack_record(value, &meta); !u) return u;
  *last_sequence = meta.last_sequence;
  return Status::ok();
}

Status restore_reference(const Journal& journal, Reference* reference) {
  Status result;
  Status scan = journal.scan_state(StateTable::kReference, [&](std::string_view key, std::string_view value) {
    fb::ReferenceRecordUnion record;
    int64_t at_ms = 0;
    if (result = decode_reference_value(key, value, &record, &at_ms); !result) return false;
    reference->upsert(record, at_ms);
    return true;
  });
  return scan ? result : scan;
}

// Tables keyed by credential, document or link: the record says its partition.
template <typename T>
Status restore_by_owner(const Journal& journal, StateTable table, std::vector<std::unique_ptr<PartitionState>>& states,
                        std::string (*owner)(const T&)) {
  Status result;
  const PartitionId n = PartitionId(states.size());
  Status scan = journal.scan_state(table, [&](std::string_view key, std::string_view value) {
    T record;
    result = unpack_record(value, &record);
    if (!result) return false;
    if (!states[partition_of_credential(owner(record), n)]) return true;  // restore_partition: another partition's
    PartitionState& state = *states[partition_of_credential(owner(record), n)];
    if constexpr (std::is_same_v<T, fb::ShareStateT>) {
      state.restore(std::string(key), std::move(record));
    } else {
      state.restore(std::move(record));
    }
    return true;
  });
  return scan ? result : scan;
}

namespace {

// The records of every partition whose state is not null, and their last sequences.
Status restore_records(const Journal& journal, std::vector<std::unique_ptr<PartitionState>>& states) {
  Status s = restore_table<fb::OrderStateT>(journal, StateTable::kOrders, states, parse_transaction_id);
  if (s) s = restore_table<fb::ConsumptionStateT>(journal, StateTable::kConsumptions, states, parse_transaction_id);
  if (s) s = restore_table<fb::SapStateT>(journal, StateTable::kSaps, states, parse_sap_number);
  if (s) s = restore_by_owner<fb::TokenStateT>(journal, StateTable::kTokens, states, [](const fb::TokenStateT& t) { return t.credential; });
  if (s) s = restore_by_owner<fb::AccountStateT>(journal, StateTable::kAccounts, states, [](const fb::AccountStateT& a) { return a.document; });
  if (s) s = restore_by_owner<fb::ShareStateT>(journal, StateTable::kShares, states, [](const fb::ShareStateT& sh) { return sh.credential; });
  if (!s) return s;
  for (auto& state : states) {
    if (!state) continue;
    Sequence last = 0;
    if (Status m = read_stream_meta(journal, state->partition(), &last); !m) return m;
    state->restore_last_sequence(last);
  }
  return Status::ok();
}

}  // namespace

std::unique_ptr<PartitionState> restore_partition(const Journal& journal, PartitionId partitions, PartitionId partition,
                                                  IdempotencyIndex& index, Status* status) {
  AUTORIZA_CHECK(partition < partitions);
  std::vector<std::unique_ptr<PartitionState>> states(partitions);
  states[partition] = std::make_unique<PartitionState>(partition, index);
  *status = restore_records(journal, states);
  if (!*status) return nullptr;
  return std::move(states[partition]);
}

Status restore_partitions(const Journal& journal, std::vector<std::unique_ptr<PartitionState>>& states,
                          IdempotencyIndex& index) {
  if (Status s = restore_records(journal, states); !s) return s;
  Status result;
  Status s = journal.scan_state(StateTable::kIdempotency, [&](std::string_view key, std::string_view value) {
    fb::IdempotencyEntryT e;
    result = unpack_record(value, &e);
    if (!result) return false;
    if (e.digest.size() != 16) {
      result = Status::corruption("idempotency: bad digest size");
      return false;
    }
    IdempotencyEntry entry;
    std::copy(e.digest.begin(), e.digest.end(), entry.digest.begin());
    entry.position = {e.partition, e.sequence};
    index.insert(key, entry);
    return true;
  });
  return s ? result : s;
}

std::string pack_event(const fb::EventT& event) {
  flatbuffers::FlatBufferBuilder builder(1024);
  fb::FinishEventBuffer(builder, fb::Event::Pack(builder, &event));
  return std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
}

Status unpack_event(std::string_view original, fb::EventT* event) {
  std::vector<uint64_t> storage;
  const fb::Event* root = verified_root<fb::Event>(original, &storage);
  if (!root) return Status::corruption("stored event does not verify");
  root->UnPackTo(event);
  return Status::ok();
}

}  // namespace autoriza
