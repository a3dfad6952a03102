#pragma once
// Which part of the event log a run reads: bounds by position (sequence per
// stream) and/or by time (Event.command_time_ms, the command's clock), all
// inclusive. Every stream's part is contiguous: state is a fold, so a stream
// cannot skip an event in the middle. Hence the bounds are sticky per
// stream: a stream enters the range at its first event that satisfies every
// "from" bound and leaves it at its first event past any "to" bound, even if
// a later event's time (clocks of commands are the adapters') is back inside.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/clock.h"
#include "engine/core/ids.h"
#include "engine/core/status.h"

namespace autoriza {

struct LogRange {
  // Bounds of every partition stream (not the reference stream, whose
  // positions are unrelated): "--to-seq 1000".
  std::optional<Sequence> from_seq_all, to_seq_all;
  // Bounds of one stream, over the above: "--to-seq 3=1000", "--to-seq ref=40".
  std::map<PartitionId, Sequence> from_seq, to_seq;
  std::optional<Millis> from_time, to_time;

  std::optional<Sequence> from_of(PartitionId stream) const;
  std::optional<Sequence> to_of(PartitionId stream) const;
  bool has_from() const { return from_seq_all || !from_seq.empty() || from_time; }
  bool has_to() const { return to_seq_all || !to_seq.empty() || to_time; }
  // "from 2026-11-02T00:00:00-03:00 to stream 0 seq 40", for reports.
  std::string describe() const;
};

// Adds one "--from-seq"/"--to-seq" value: "N" (every partition stream) or
// "P=N" (partition P, or "ref" for reference data). N >= 1.
Status add_seq_bound(std::string_view text, bool from, LogRange* range);
// Sets --from-time/--to-time from ISO-8601 with an offset.
Status set_time_bound(std::string_view text, bool from, LogRange* range);
// Checks that from <= to where both are given.
Status check_range(const LogRange& range);

enum class Where : uint8_t { kBefore, kInside, kAfter };

// Classifies the events of one stream, which must be shown in sequence order.
class StreamCut {
 public:
  StreamCut(const LogRange& range, PartitionId stream);
  Where classify(Sequence sequence, int64_t time_ms);
  // The first sequence that can be inside (scans may start there).
  Sequence first_possible() const { return from_seq_ ? *from_seq_ : 1; }

 private:
  std::optional<Sequence> from_seq_, to_seq_;
  std::optional<int64_t> from_ms_, to_ms_;
  bool inside_ = false;
  bool after_ = false;
};

}  // namespace autoriza
