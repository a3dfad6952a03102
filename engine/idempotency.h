#pragma once
// The idempotency index: (scope, request_id) -> the event that answered it.
// Shared by all partitions so that a request id reused for a command routed
// to another partition is still caught. Sharded locks; bounded by the number
// of recorded commands (pruning keys older than 7 days is left for later).
#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "ids.h"
#include "reference.h"
#include "status.h"

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
  std::optional<IdempotencyEntry> find(std::string_view key) const;
  // Inserts; an existing key is never overwritten (the first answer wins).
  void insert(std::string_view key, const IdempotencyEntry& entry);
  size_t size() const;

 private:
  static constexpr size_t kShards = 64;
  struct Shard {
    mutable std::mutex mutex;
    StringMap<IdempotencyEntry> map;
  };
  Shard& shard(std::string_view key) const;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace autoriza
