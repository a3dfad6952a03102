#include "replay/log_range.h"

#include <charconv>

namespace autoriza {

namespace {

std::optional<uint64_t> parse_u64(std::string_view text) {
  uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
  return v;
}

// "'text' why" (built by appending: GCC 12 warns falsely on "'" + string).
std::string quoted(std::string_view text, std::string_view why) {
  std::string out = "'";
  out += text;
  out += "' ";
  out += why;
  return out;
}

const char* flag_of(bool from, bool time) {
  if (time) return from ? "--from-time" : "--to-time";
  return from ? "--from-seq" : "--to-seq";
}

}  // namespace

std::optional<Sequence> LogRange::from_of(PartitionId stream) const {
  if (auto it = from_seq.find(stream); it != from_seq.end()) return it->second;
  return stream == kReferenceStream ? std::nullopt : from_seq_all;
}

std::optional<Sequence> LogRange::to_of(PartitionId stream) const {
  if (auto it = to_seq.find(stream); it != to_seq.end()) return it->second;
  return stream == kReferenceStream ? std::nullopt : to_seq_all;
}

std::string LogRange::describe() const {
  auto stream_name = [](PartitionId p) { return p == kReferenceStream ? std::string("ref") : std::to_string(p); };
  std::string out;
  auto add = [&](const std::string& part) {
    if (!out.empty()) out += ", ";
    out += part;
  };
  if (from_time) add("from " + format_instant(*from_time));
  if (from_seq_all) add("from seq " + std::to_string(*from_seq_all));
  for (const auto& [p, s] : from_seq) add("stream " + stream_name(p) + " from seq " + std::to_string(s));
  if (to_time) add("to " + format_instant(*to_time));
  if (to_seq_all) add("to seq " + std::to_string(*to_seq_all));
  for (const auto& [p, s] : to_seq) add("stream " + stream_name(p) + " to seq " + std::to_string(s));
  return out.empty() ? "the whole log" : out;
}

Status add_seq_bound(std::string_view text, bool from, LogRange* range) {
  const std::string flag = flag_of(from, false);
  const size_t eq = text.find('=');
  const std::string_view number = eq == std::string_view::npos ? text : text.substr(eq + 1);
  const auto seq = parse_u64(number);
  if (!seq || *seq == 0) {
    return Status::invalid(quoted(text, "is not a sequence: expected N or STREAM=N with N >= 1"), flag);
  }
  if (eq == std::string_view::npos) {
    (from ? range->from_seq_all : range->to_seq_all) = *seq;
    return Status::ok();
  }
  const std::string_view stream_text = text.substr(0, eq);
  PartitionId stream = kReferenceStream;
  if (stream_text != "ref") {
    const auto p = parse_u64(stream_text);
    if (!p || *p >= kPartitionsMax) {
      return Status::invalid(quoted(stream_text, "is not a stream: expected a partition 0-" +
                                                     std::to_string(kPartitionsMax - 1) + " or 'ref'"),
                             flag);
    }
    stream = PartitionId(*p);
  }
  (from ? range->from_seq : range->to_seq)[stream] = *seq;
  return Status::ok();
}

Status set_time_bound(std::string_view text, bool from, LogRange* range) {
  const auto t = parse_instant(text);
  if (!t) {
    return Status::invalid(quoted(text, "is not ISO-8601 with an offset (e.g. 2026-11-02T00:00:00-03:00)"),
                           flag_of(from, true));
  }
  (from ? range->from_time : range->to_time) = *t;
  return Status::ok();
}

Status check_range(const LogRange& range) {
  if (range.from_time && range.to_time && *range.from_time > *range.to_time) {
    return Status::invalid("the period ends before it starts (" + format_instant(*range.to_time) + " < " +
                               format_instant(*range.from_time) + ")",
                           "--to-time");
  }
  if (range.from_seq_all && range.to_seq_all && *range.from_seq_all > *range.to_seq_all) {
    return Status::invalid("--to-seq is below --from-seq", "--to-seq");
  }
  for (const auto& [stream, from] : range.from_seq) {
    if (auto to = range.to_of(stream); to && *to < from) {
      return Status::invalid("--to-seq of stream " + std::to_string(stream) + " is below its --from-seq", "--to-seq");
    }
  }
  return Status::ok();
}

StreamCut::StreamCut(const LogRange& range, PartitionId stream)
    : from_seq_(range.from_of(stream)), to_seq_(range.to_of(stream)) {
  if (range.from_time) from_ms_ = range.from_time->value;
  if (range.to_time) to_ms_ = range.to_time->value;
}

Where StreamCut::classify(Sequence sequence, int64_t time_ms) {
  if (after_) return Where::kAfter;
  if ((to_seq_ && sequence > *to_seq_) || (to_ms_ && time_ms > *to_ms_)) {
    after_ = true;
    return Where::kAfter;
  }
  if (!inside_) {
    if ((from_seq_ && sequence < *from_seq_) || (from_ms_ && time_ms < *from_ms_)) return Where::kBefore;
    inside_ = true;
  }
  return Where::kInside;
}

}  // namespace autoriza
