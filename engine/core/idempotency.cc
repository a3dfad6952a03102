#include "engine/core/idempotency.h"

namespace autoriza {

Status reused_request_id(std::string_view request_id) {
  return Status::conflict("request_id '" + std::string(request_id) + "' was already used with another body");
}

std::string idempotency_key(std::string_view scope, std::string_view request_id) {
  std::string key;
  key.reserve(scope.size() + 1 + request_id.size());
  key.append(scope);
  key.push_back('\0');
  key.append(request_id);
  return key;
}

IdempotencyIndex::IdempotencyIndex() {
  for (size_t i = 0; i < kShards; ++i) shards_[i].max_load_percent = uint32_t(50 + i * 20 / kShards);
}

uint64_t IdempotencyIndex::hash(std::string_view key) { return std::hash<std::string_view>{}(key); }

// Slots are probed linearly from the hash's bits above the shard's.
const IdempotencyIndex::Stored* IdempotencyIndex::Shard::find(uint64_t hash, std::string_view key) const {
  if (slots.empty()) return nullptr;
  const size_t mask = slots.size() - 1;
  for (size_t i = (hash / kShards) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots[i];
    if (slot.entry == 0) return nullptr;
    if (slot.hash == hash && entries[slot.entry - 1].key == key) return &entries[slot.entry - 1];
  }
}

void IdempotencyIndex::Shard::grow() {
  std::vector<Slot> old = std::move(slots);
  slots.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  const size_t mask = slots.size() - 1;
  for (const Slot& s : old) {
    if (s.entry == 0) continue;
    size_t i = (s.hash / kShards) & mask;
    while (slots[i].entry != 0) i = (i + 1) & mask;
    slots[i] = s;
  }
}

void IdempotencyIndex::Shard::insert(uint64_t hash, std::string_view key, const IdempotencyEntry& entry) {
  if (find(hash, key)) return;
  AUTORIZA_CHECK(entries.size() < UINT32_MAX - 1);
  if ((entries.size() + 1) * 100 > slots.size() * max_load_percent) grow();
  entries.push_back({std::string(key), entry});
  const size_t mask = slots.size() - 1;
  size_t i = (hash / kShards) & mask;
  while (slots[i].entry != 0) i = (i + 1) & mask;
  slots[i] = Slot{hash, uint32_t(entries.size())};
}

// Backward-shift deletion: the slots after the freed one that would no
// longer be reached from their home slot move back into the gap, so probing
// still stops at the first empty slot (no tombstones).
bool IdempotencyIndex::Shard::erase(uint64_t hash, std::string_view key) {
  if (slots.empty()) return false;
  const size_t mask = slots.size() - 1;
  size_t gap = (hash / kShards) & mask;
  for (;; gap = (gap + 1) & mask) {
    const Slot& slot = slots[gap];
    if (slot.entry == 0) return false;
    if (slot.hash == hash && entries[slot.entry - 1].key == key) break;
  }
  Stored& stored = entries[slots[gap].entry - 1];
  stored.key.clear();
  stored.key.shrink_to_fit();
  ++erased;
  for (size_t next = (gap + 1) & mask; slots[next].entry != 0; next = (next + 1) & mask) {
    const size_t home = (slots[next].hash / kShards) & mask;
    // Stays when its home lies cyclically in (gap, next].
    const bool stays = gap < next ? (home > gap && home <= next) : (home > gap || home <= next);
    if (stays) continue;
    slots[gap] = slots[next];
    gap = next;
  }
  slots[gap] = Slot{};
  return true;
}

std::optional<IdempotencyEntry> IdempotencyIndex::find(std::string_view key) const {
  const uint64_t h = hash(key);
  Shard& s = shard(h);
  std::lock_guard lock(s.mutex);
  const Stored* stored = s.find(h, key);
  if (!stored) return std::nullopt;
  return stored->value;
}

void IdempotencyIndex::insert(std::string_view key, const IdempotencyEntry& entry) {
  const uint64_t h = hash(key);
  Shard& s = shard(h);
  std::lock_guard lock(s.mutex);
  s.insert(h, key, entry);
}

bool IdempotencyIndex::erase(std::string_view key) {
  const uint64_t h = hash(key);
  Shard& s = shard(h);
  std::lock_guard lock(s.mutex);
  return s.erase(h, key);
}

size_t IdempotencyIndex::size() const {
  size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.entries.size() - s.erased;
  }
  return n;
}

}  // namespace autoriza
