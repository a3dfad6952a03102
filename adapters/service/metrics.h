#pragma once
// GET /metrics (role ops), in the Prometheus text format (prometheus.h).
// What the service counts itself (ServiceMetrics):
//   autoriza_commands_total{channel,command,outcome,http_status}   counter
//       outcome: the business status (ELIGIBLE, AUTHORIZED, REJECTED...) of
//       an answer (http_status 200), or the error code of a refusal
//       (INVALID_REQUEST 400, UNAUTHENTICATED 401, FORBIDDEN 403, ...)
//   autoriza_command_latency_seconds{channel,command}              histogram, arrival -> answer
//   autoriza_command_replays_total{channel,command}                idempotent retries answered from the log
// What the page adds from the engine, the journal and the projections
// (metrics_page.cc): per-partition counters, queue depth and capacity,
// group-commit batch sizes and commit times (histograms), RocksDB
// properties and statistics, projection lag. And whatever the registered
// sources write (MetricsSources): the TCP and HTTP adapters' connections, the
// log's dropped lines, and the hook for Kafka's librdkafka statistics.
//
// Every label set is bounded: channels, commands and outcomes are fixed
// lists (kTracedChannels, kTracedCommands, the business statuses and error
// codes), partitions and tables are fixed per store; no label carries an id,
// a credential or a request id.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/codec/error_codes.h"
#include "adapters/service/command_trace.h"
#include "engine/histogram.h"
#include "adapters/service/prometheus.h"

namespace autoriza {

class ServiceMetrics {
 public:
  ServiceMetrics();
  // Thread-safe, lock-free: a few atomic additions.
  void record(const CommandTrace& trace, const CommandAnswer& answer, std::chrono::nanoseconds latency);
  void write(PrometheusText& out) const;

 private:
  static constexpr size_t kChannels = std::size(kTracedChannels);
  static constexpr size_t kCommands = std::size(kTracedCommands);
  // The business statuses (fb::Status), then the error codes, then "OTHER".
  static constexpr size_t kStatuses = std::extent_v<std::remove_reference_t<decltype(fb::EnumValuesStatus())>>;
  static constexpr std::string_view kErrorCodes[] = {"INVALID_REQUEST", "UNAUTHENTICATED", "FORBIDDEN",
                                                     "NOT_FOUND",       "REQUEST_ID_REUSED", "RATE_LIMITED",
                                                     "UNAVAILABLE",     "TIMEOUT",           "INTERNAL"};
  static constexpr int kErrorStatuses[] = {400, 401, 403, 404, 409, 429, 503, 504, 500};  // of kErrorCodes
  static constexpr size_t kOutcomes = kStatuses + std::size(kErrorCodes) + 1;
  static size_t channel_index(std::string_view channel);
  static size_t command_index(std::string_view command);
  static size_t outcome_index(std::string_view outcome);
  static std::string_view outcome_name(size_t index);
  static std::string outcome_http_status(size_t index);  // "other" for OTHER
  size_t slot(size_t channel, size_t command) const { return channel * kCommands + command; }

  std::array<std::atomic<uint64_t>, kChannels * kCommands * kOutcomes> answers_{};
  std::array<std::atomic<uint64_t>, kChannels * kCommands> replays_{};
  std::vector<std::unique_ptr<Histogram>> latency_;  // kChannels * kCommands
};

// A source writes its families into a page being rendered. It runs on the
// thread answering GET /metrics, so it must be quick and must not block; it
// must not add or remove sources.
using MetricsSource = std::function<void(PrometheusText& out)>;

// Who else has something to show on GET /metrics: the adapters (connections),
// the log (dropped lines), Kafka roles (librdkafka statistics: register a
// source that writes the last statistics JSON as gauges). Thread-safe.
class MetricsSources {
 public:
  static constexpr size_t kSourcesMax = 64;
  using Id = uint64_t;

  // Adds a source; the id removes it. Returns 0 (and adds nothing) when
  // kSourcesMax sources are registered already.
  Id add(std::string name, MetricsSource source);
  // Removes a source; once it returns the source is not running and never
  // runs again. Call it before whatever the source reads goes away.
  void remove(Id id);
  // Runs every source in order of registration. A source that throws is
  // reported as a comment; the others still run.
  void write(PrometheusText& out) const;

 private:
  struct Entry {
    Id id;
    std::string name;
    MetricsSource source;
  };
  mutable std::mutex mutex_;  // held while the sources run: remove() waits for them
  std::vector<Entry> entries_;
  Id next_id_ = 1;
};

class Engine;
class Projections;
// The engine's, journal's and projections' families (metrics_page.cc).
// projections may be null.
void write_engine_metrics(PrometheusText& out, const Engine& engine);
void write_projection_metrics(PrometheusText& out, const Projections& projections);

}  // namespace autoriza
