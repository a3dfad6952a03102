#include "replay/log_reader.h"

#include <algorithm>
#include <cassert>

#include "engine/event_bytes.h"

namespace autoriza {

namespace {

constexpr size_t kChunkEventsMin = 64;

}  // namespace

Status verify_event(std::string_view original, PartitionId stream, Sequence sequence) {
  std::vector<uint64_t> storage;
  const fb::Event* event = nullptr;
  return open_event(original, stream, sequence, &storage, &event);
}

MergedLog::MergedLog(const Journal& journal, const std::vector<PartitionId>& streams,
                     const std::vector<Sequence>& starts)
    : journal_(journal),
      chunk_events_(std::max(kChunkEventsMin, kMergedEventsBufferedMax / std::max<size_t>(1, streams.size()))) {
  AUTORIZA_CHECK(streams.size() == starts.size());
  for (size_t i = 0; i < streams.size(); ++i) {
    Cursor c;
    c.stream = streams[i];
    c.next = std::max<Sequence>(1, starts[i]);
    cursors_.push_back(std::move(c));
  }
}

Status MergedLog::refill(Cursor& cursor) {
  assert(cursor.buffered.empty());
  Status result;
  size_t read = 0;
  Status scan = journal_.scan_events(cursor.stream, cursor.next, [&](Sequence seq, std::string_view bytes) {
    if (seq != cursor.next) {
      result = Status::corruption("stream " + std::to_string(cursor.stream) + " has a gap before sequence " +
                                  std::to_string(seq));
      return false;
    }
    if (result = verify_event(bytes, cursor.stream, seq); !result) return false;
    LogEvent e;
    e.stream = cursor.stream;
    e.sequence = seq;
    e.bytes.assign(bytes);
    e.time_ms = e.event().command_time_ms();
    cursor.buffered.push_back(std::move(e));
    ++cursor.next;
    return ++read < chunk_events_;
  });
  if (!scan) return scan;
  if (!result) return result;
  if (read < chunk_events_) cursor.exhausted = true;
  return Status::ok();
}

void MergedLog::close_stream(PartitionId stream) {
  for (Cursor& c : cursors_) {
    if (c.stream != stream) continue;
    c.closed = true;
    c.buffered.clear();
  }
}

Status MergedLog::next(LogEvent* out, bool* done) {
  if (!primed_) {
    for (Cursor& c : cursors_) {
      if (Status s = refill(c); !s) return s;
    }
    primed_ = true;
  }
  // The stream whose next event is earliest. Streams are few (at most
  // kPartitionsMax + 1), chunks are large: a linear pick costs little next
  // to unpacking the event.
  Cursor* best = nullptr;
  for (Cursor& c : cursors_) {
    if (c.closed || c.buffered.empty()) continue;
    if (!best || c.buffered.front().time_ms < best->buffered.front().time_ms) best = &c;
  }
  if (!best) {
    *done = true;
    return Status::ok();
  }
  *done = false;
  *out = std::move(best->buffered.front());
  best->buffered.pop_front();
  assert(best->buffered.empty() || best->buffered.front().sequence == out->sequence + 1);
  if (best->buffered.empty() && !best->exhausted) return refill(*best);
  return Status::ok();
}

}  // namespace autoriza
