#pragma once
// The Prometheus text exposition format (version 0.0.4), written by GET
// /metrics and by every metrics source (metrics.h):
//
//   # HELP autoriza_commands_total Commands answered, by channel, command and outcome.
//   # TYPE autoriza_commands_total counter
//   autoriza_commands_total{channel="http",command="authorize",outcome="AUTHORIZED",http_status="200"} 12
//
// Samples are grouped by family whatever order they are added in (the
// format wants a family's lines together, and its HELP and TYPE once); a
// family keeps the type and help it was first added with. Label values are
// escaped (backslash, double quote, newline). Bounded: at most kSamplesMax
// sample lines; beyond it samples are dropped and a comment says so.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/codec/error_codes.h"
#include "engine/histogram.h"

namespace autoriza {

enum class MetricType : uint8_t { kCounter, kGauge, kHistogram, kSummary };

using MetricLabel = std::pair<std::string_view, std::string_view>;  // name, value
using MetricLabels = std::initializer_list<MetricLabel>;

class PrometheusText {
 public:
  static constexpr size_t kSamplesMax = 50'000;

  // family: [a-zA-Z_:][a-zA-Z0-9_:]* (checked); counters end in _total.
  // Label names: [a-zA-Z_][a-zA-Z0-9_]* (checked); values any bytes.
  void add(std::string_view family, MetricType type, std::string_view help, MetricLabels labels, double value);
  void add(std::string_view family, MetricType type, std::string_view help, const std::vector<MetricLabel>& labels,
           double value);
  // family_bucket{...,le="..."} (cumulative), family_sum, family_count.
  void add_histogram(std::string_view family, std::string_view help, MetricLabels labels, const HistogramSnapshot& h);
  // family{...,quantile="0.5"}..., family_sum, family_count; quantiles as (q, value).
  void add_summary(std::string_view family, std::string_view help, MetricLabels labels, uint64_t count, double sum,
                   std::initializer_list<std::pair<double, double>> quantiles);

  size_t samples() const { return samples_; }
  // The whole text, families in the order they were first added.
  std::string text() const;

 private:
  struct Family {
    std::string name;
    MetricType type;
    std::string help;
    std::string lines;
  };
  Family* family(std::string_view name, MetricType type, std::string_view help);
  void line(Family& f, std::string_view suffix, const MetricLabel* labels, size_t count, const MetricLabel* extra,
            double value);

  std::vector<Family> families_;
  std::unordered_map<std::string, size_t> index_;
  size_t samples_ = 0;
  size_t dropped_ = 0;
};

// A sample value as Prometheus reads it: integers without a point, +Inf, NaN.
std::string prometheus_number(double value);

}  // namespace autoriza
