#include "idempotency.h"

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

IdempotencyIndex::Shard& IdempotencyIndex::shard(std::string_view key) const {
  return shards_[std::hash<std::string_view>{}(key) % kShards];
}

std::optional<IdempotencyEntry> IdempotencyIndex::find(std::string_view key) const {
  Shard& s = shard(key);
  std::lock_guard lock(s.mutex);
  auto it = s.map.find(key);
  if (it == s.map.end()) return std::nullopt;
  return it->second;
}

void IdempotencyIndex::insert(std::string_view key, const IdempotencyEntry& entry) {
  Shard& s = shard(key);
  std::lock_guard lock(s.mutex);
  s.map.try_emplace(std::string(key), entry);
}

size_t IdempotencyIndex::size() const {
  size_t n = 0;
  for (auto& s : shards_) {
    std::lock_guard lock(s.mutex);
    n += s.map.size();
  }
  return n;
}

}  // namespace autoriza
