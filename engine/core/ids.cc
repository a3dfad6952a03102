#include "engine/core/ids.h"

#include <charconv>

namespace autoriza {

namespace {

std::optional<EventPosition> parse_with_prefix(std::string_view id, std::string_view prefix) {
  if (id.substr(0, prefix.size()) != prefix) return std::nullopt;
  id.remove_prefix(prefix.size());
  const size_t dash = id.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= id.size()) return std::nullopt;
  EventPosition pos;
  unsigned partition = 0;
  auto r1 = std::from_chars(id.data(), id.data() + dash, partition);
  auto r2 = std::from_chars(id.data() + dash + 1, id.data() + id.size(), pos.sequence);
  if (r1.ec != std::errc() || r1.ptr != id.data() + dash || r2.ec != std::errc() ||
      r2.ptr != id.data() + id.size() || partition >= kPartitionsMax || pos.sequence == 0) {
    return std::nullopt;
  }
  pos.partition = PartitionId(partition);
  return pos;
}

}  // namespace

std::string transaction_id(PartitionId partition, Sequence sequence) {
  return "T-" + std::to_string(partition) + "-" + std::to_string(sequence);
}

std::string sap_number(PartitionId partition, Sequence sequence) {
  return "SAP-" + std::to_string(partition) + "-" + std::to_string(sequence);
}

std::optional<EventPosition> parse_transaction_id(std::string_view id) { return parse_with_prefix(id, "T-"); }
std::optional<EventPosition> parse_sap_number(std::string_view id) { return parse_with_prefix(id, "SAP-"); }

PartitionId partition_of_credential(std::string_view credential, PartitionId partitions) {
  uint32_t h = 2166136261u;
  for (unsigned char c : credential) {
    h ^= c;
    h *= 16777619u;
  }
  return PartitionId(h % partitions);
}

}  // namespace autoriza
