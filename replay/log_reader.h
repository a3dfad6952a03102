#pragma once
// Reads the events of several streams of a journal as one sequence, in the
// order of their command time (ties: lower stream first, so reference data
// loaded at the same millisecond comes after the commands), while each
// stream's events keep their sequence order even where its clock goes back.
// This is "log order" for exports and what-if runs; a rebuild needs no merge
// (each stream folds on its own).
//
// Each stream is read in chunks (a fresh journal scan per chunk), so memory
// is bounded by kMergedEventsBufferedMax events whatever the log's size.
#include <deque>
#include <string>
#include <vector>

#include "schemas/events_generated.h"
#include "engine/journal.h"

namespace autoriza {

inline constexpr size_t kMergedEventsBufferedMax = 65'536;

struct LogEvent {
  PartitionId stream = 0;
  Sequence sequence = 0;
  int64_t time_ms = 0;
  std::string bytes;  // the packed fb::Event, already verified
  const fb::Event& event() const { return *fb::GetEvent(bytes.data()); }
};

class MergedLog {
 public:
  // starts[i]: the first sequence to read of streams[i].
  MergedLog(const Journal& journal, const std::vector<PartitionId>& streams, const std::vector<Sequence>& starts);

  // The next event, or *done = true at the end. An event that does not
  // verify, or names another position than its key, is kCorruption.
  Status next(LogEvent* out, bool* done);
  // Reads nothing more of this stream (it is past the range).
  void close_stream(PartitionId stream);

 private:
  struct Cursor {
    PartitionId stream = 0;
    Sequence next = 1;
    bool exhausted = false;
    bool closed = false;
    std::deque<LogEvent> buffered;
  };
  Status refill(Cursor& cursor);

  const Journal& journal_;
  std::vector<Cursor> cursors_;
  size_t chunk_events_;
  bool primed_ = false;
};

// Verifies a stored event and that it names (stream, sequence).
Status verify_event(std::string_view bytes, PartitionId stream, Sequence sequence);

}  // namespace autoriza
