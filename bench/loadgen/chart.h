#pragma once
// Pictures of a benchmark, for a person who would rather look than read a
// table: one self-contained SVG (no script, no font files) with two panels:
//   left   throughput of each run (bars, commands/s, labelled);
//   right  latency by percentile of each run (p50 ... p99.99 and max on a
//          "nines" axis, milliseconds on a log axis), one line per run.
// Written by `autoriza bench --svg FILE` and `kafka-bench --svg FILE`; any
// report with a throughput and a latency histogram per run can use it.
#include <string>
#include <vector>

#include "bench/loadgen/histogram.h"

namespace autoriza::bench {

struct ChartRun {
  std::string name;          // legend and bar label, e.g. "inprocess"
  double throughput_per_s = 0;
  const Histogram* latency = nullptr;  // not owned; may be empty (no line)
};

inline constexpr size_t kChartRunsMax = 12;  // more are left out of the picture (the table has them all)

// The SVG document. title goes on top (escaped); runs beyond kChartRunsMax
// are not drawn. Deterministic: the same runs give the same bytes.
std::string chart_svg(const std::string& title, const std::vector<ChartRun>& runs);

// The percentiles the latency panel draws (0.5 ... 0.9999), then max.
const std::vector<double>& chart_quantiles();

}  // namespace autoriza::bench
