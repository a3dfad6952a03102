#include "adapters/service/metrics.h"

#include <exception>

namespace autoriza {

namespace {

template <size_t N>
size_t index_in(const std::string_view (&names)[N], std::string_view name) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == name) return i;
  }
  return N - 1;  // the last entry is "other"
}

}  // namespace

ServiceMetrics::ServiceMetrics() {
  latency_.reserve(kChannels * kCommands);
  for (size_t i = 0; i < kChannels * kCommands; ++i) {
    // From an in-memory answer (~0.1 ms) to the Kafka gateway's timeout.
    latency_.push_back(std::make_unique<Histogram>(
        std::initializer_list<double>{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                      0.5, 1, 2.5, 5, 10}));
  }
}

size_t ServiceMetrics::channel_index(std::string_view channel) { return index_in(kTracedChannels, channel); }
size_t ServiceMetrics::command_index(std::string_view command) { return index_in(kTracedCommands, command); }

size_t ServiceMetrics::outcome_index(std::string_view outcome) {
  for (size_t i = 0; i < kStatuses; ++i) {
    if (outcome == fb::EnumNamesStatus()[i]) return i;
  }
  for (size_t i = 0; i < std::size(kErrorCodes); ++i) {
    if (outcome == kErrorCodes[i]) return kStatuses + i;
  }
  return kOutcomes - 1;
}

std::string ServiceMetrics::outcome_http_status(size_t index) {
  if (index < kStatuses) return "200";
  if (index < kStatuses + std::size(kErrorCodes)) return std::to_string(kErrorStatuses[index - kStatuses]);
  return "other";
}

std::string_view ServiceMetrics::outcome_name(size_t index) {
  if (index < kStatuses) return fb::EnumNamesStatus()[index];
  if (index < kStatuses + std::size(kErrorCodes)) return kErrorCodes[index - kStatuses];
  return "OTHER";
}

void ServiceMetrics::record(const CommandTrace& trace, const CommandAnswer& answer, std::chrono::nanoseconds latency) {
  const size_t s = slot(channel_index(trace.channel), command_index(trace.command));
  answers_[s * kOutcomes + outcome_index(answer.outcome)].fetch_add(1, std::memory_order_relaxed);
  if (answer.replayed) replays_[s].fetch_add(1, std::memory_order_relaxed);
  latency_[s]->observe(std::chrono::duration<double>(latency).count());
}

void ServiceMetrics::write(PrometheusText& out) const {
  for (size_t ch = 0; ch < kChannels; ++ch) {
    for (size_t c = 0; c < kCommands; ++c) {
      const size_t s = slot(ch, c);
      for (size_t o = 0; o < kOutcomes; ++o) {
        const uint64_t n = answers_[s * kOutcomes + o].load(std::memory_order_relaxed);
        if (n == 0) continue;  // only what happened: a few dozen lines, not ~900
        const std::string_view outcome = outcome_name(o);
        const std::string status = outcome_http_status(o);
        out.add("autoriza_commands_total", MetricType::kCounter,
                "Commands answered, by channel, command and outcome (business status or error code)",
                {{"channel", kTracedChannels[ch]}, {"command", kTracedCommands[c]}, {"outcome", outcome},
                 {"http_status", status}},
                double(n));
      }
      const HistogramSnapshot h = latency_[s]->snapshot();
      if (h.count() > 0) {
        out.add_histogram("autoriza_command_latency_seconds", "From a command's arrival to its answer",
                          {{"channel", kTracedChannels[ch]}, {"command", kTracedCommands[c]}}, h);
      }
      if (const uint64_t n = replays_[s].load(std::memory_order_relaxed); n > 0) {
        out.add("autoriza_command_replays_total", MetricType::kCounter,
                "Idempotent retries answered with the recorded answer",
                {{"channel", kTracedChannels[ch]}, {"command", kTracedCommands[c]}}, double(n));
      }
    }
  }
}

MetricsSources::Id MetricsSources::add(std::string name, MetricsSource source) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kSourcesMax) return 0;
  const Id id = next_id_++;
  entries_.push_back(Entry{id, std::move(name), std::move(source)});
  return id;
}

void MetricsSources::remove(Id id) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [id](const Entry& e) { return e.id == id; });
}

void MetricsSources::write(PrometheusText& out) const {
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_) {
    try {
      e.source(out);
    } catch (const std::exception&) {
      out.add("autoriza_metrics_source_failed", MetricType::kGauge, "1: a metrics source threw while writing this page",
              {{"source", e.name}}, 1);
    }
  }
}

}  // namespace autoriza
