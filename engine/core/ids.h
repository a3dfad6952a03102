#pragma once
// Identifiers that are stable under replay: they are derived from the
// partition and the sequence of the event that created them.
//   transaction "T-<partition>-<sequence>"   e.g. "T-0-42"
//   SAP number  "SAP-<partition>-<sequence>" e.g. "SAP-0-43"
// Commands that name a transaction or SAP (consume, annul, audit_verdict) are
// routed to the partition written in the id.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace autoriza {

using PartitionId = uint16_t;
using Sequence = uint64_t;
inline constexpr PartitionId kReferenceStream = 0xFFFF;
inline constexpr PartitionId kPartitionsMax = 256;

struct EventPosition {
  PartitionId partition = 0;
  Sequence sequence = 0;
};

std::string transaction_id(PartitionId partition, Sequence sequence);
std::string sap_number(PartitionId partition, Sequence sequence);
std::optional<EventPosition> parse_transaction_id(std::string_view id);
std::optional<EventPosition> parse_sap_number(std::string_view id);

// Partition of an affiliate credential (FNV-1a, stable across versions).
PartitionId partition_of_credential(std::string_view credential, PartitionId partitions);

}  // namespace autoriza
