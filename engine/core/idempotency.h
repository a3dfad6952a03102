#pragma once
// The idempotency index: (scope, request_id) -> the event that answered it.
// Shared by all partitions so that a request id reused for a command routed
// to another partition is still caught. Sharded locks; bounded by the number
// of recorded commands (pruning keys older than 7 days is left for later).
#include <array>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/ids.h"
#include "engine/core/reference.h"
#include "engine/core/status.h"

namespace autoriza {

using Digest = std::array<uint8_t, 16>;

struct IdempotencyEntry {
  Digest digest{};
  EventPosition position;
};

// "provider:LAB127\0req-1"
std::string idempotency_key(std::string_view scope, std::string_view request_id);

// The answer to a request id already used with another body (HTTP 409).
Status reused_request_id(std::string_view request_id);

class IdempotencyIndex {
 public:
  IdempotencyIndex();
  std::optional<IdempotencyEntry> find(std::string_view key) const;
  // Inserts; an existing key is never overwritten (the first answer wins).
  void insert(std::string_view key, const IdempotencyEntry& entry);
  // Forgets a key whose event never became durable (a failed commit: the
  // partition reloads its state from the store). False: it was not there.
  bool erase(std::string_view key);
  size_t size() const;

 private:
  // Each shard is an open-addressing table of (hash, entry number) slots
  // over a vector of entries: a lookup of a new request id (nearly every
  // command) touches one cache line of slots and no key, where a node-based
  // map walked a bucket and its nodes (three cache misses per command once
  // the index outgrows the cache). The whole 64-bit hash is kept, so a key is
  // compared only when the hashes are equal, and growing never rehashes keys.
  // Shards grow at different loads (50% to 69%): keys spread evenly, so with
  // one threshold all 64 would double at the same count, copying every slot
  // of the index in one go on the writer's thread (16 MiB at 262,144
  // entries), instead of one shard at a time spread over the doubling.
  struct Slot {
    uint64_t hash = 0;
    uint32_t entry = 0;  // entry number + 1; 0 = empty
  };
  struct Stored {
    std::string key;
    IdempotencyEntry value;
  };
  static constexpr size_t kShards = 64;
  struct Shard {
    mutable std::mutex mutex;
    std::vector<Slot> slots;  // a power of two in size, at most max_load_percent full
    std::deque<Stored> entries;  // stable: growing moves no key
    uint32_t max_load_percent = 50;
    size_t erased = 0;  // entries whose slot was freed by erase (kept, keyless: entry numbers stay stable)
    const Stored* find(uint64_t hash, std::string_view key) const;
    bool erase(uint64_t hash, std::string_view key);
    void insert(uint64_t hash, std::string_view key, const IdempotencyEntry& entry);
    void grow();
  };
  static uint64_t hash(std::string_view key);
  Shard& shard(uint64_t hash) const { return shards_[hash % kShards]; }
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace autoriza
