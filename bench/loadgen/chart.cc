#include "bench/loadgen/chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "adapters/codec/html_escape.h"

namespace autoriza::bench {
namespace {

// Layout, in SVG user units (px).
constexpr double kWidth = 1100, kHeight = 500;
constexpr double kTop = 60, kBottom = 390;                 // plot area, both panels
constexpr double kBarsLeft = 80, kBarsRight = 420;         // throughput panel
constexpr double kLinesLeft = 520, kLinesRight = 1080;     // latency panel
constexpr const char* kColours[kChartRunsMax] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                                  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"};

std::string num(double v, int decimals = 1) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "1.2k", "35k", "1.1M": axis and bar labels.
std::string short_count(double v) {
  if (v >= 1e6) return num(v / 1e6, v >= 1e7 ? 0 : 1) + "M";
  if (v >= 1e3) return num(v / 1e3, v >= 1e4 ? 0 : 1) + "k";
  return num(v, 0);
}

std::string ms_label(double ms) {
  if (ms >= 1000) return num(ms / 1000, ms >= 10000 ? 0 : 1) + " s";
  if (ms >= 1) return num(ms, ms >= 10 ? 0 : 1) + " ms";
  return num(ms * 1000, 0) + " µs";
}

std::string text(double x, double y, const std::string& s, const char* anchor = "middle", int size = 12) {
  return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
         std::to_string(size) + "\">" + html_escape(s) + "</text>\n";
}

std::string line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1) {
  return "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(x2) + "\" y2=\"" + num(y2) +
         "\" stroke=\"" + stroke + "\" stroke-width=\"" + num(width) + "\"/>\n";
}

// "p50", "p99.5", "p99.99": the percent with no trailing zeros.
std::string percentile_label(double q) {
  std::string pct = num(q * 100, 2);
  while (pct.back() == '0') pct.pop_back();
  if (pct.back() == '.') pct.pop_back();
  return "p" + pct;
}

// x of quantile q on the "nines" axis: -log10(1 - q), so p50, p90, p99,
// p99.9 are evenly spaced; max sits one step to the right of the last one.
double nines(double q) { return -std::log10(1.0 - q); }

std::string bars_panel(const std::vector<ChartRun>& runs) {
  std::string out = text((kBarsLeft + kBarsRight) / 2, kTop - 20, "throughput (commands/s)", "middle", 14);
  double top = 0;
  for (const ChartRun& r : runs) top = std::max(top, r.throughput_per_s);
  if (top <= 0) top = 1;
  out += line(kBarsLeft, kBottom, kBarsRight, kBottom, "#000");
  out += line(kBarsLeft, kTop, kBarsLeft, kBottom, "#000");
  for (int i = 0; i <= 4; ++i) {  // grid at quarters of the best run
    const double y = kBottom - (kBottom - kTop) * i / 4.0;
    out += line(kBarsLeft, y, kBarsRight, y, "#ddd");
    out += text(kBarsLeft - 6, y + 4, short_count(top * i / 4.0), "end", 11);
  }
  const double slot = (kBarsRight - kBarsLeft) / double(std::max<size_t>(1, runs.size()));
  for (size_t i = 0; i < runs.size(); ++i) {
    const double h = (kBottom - kTop) * runs[i].throughput_per_s / top;
    const double x = kBarsLeft + slot * double(i) + slot * 0.15;
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(kBottom - h) + "\" width=\"" + num(slot * 0.7) + "\" height=\"" +
           num(h) + "\" fill=\"" + kColours[i] + "\"/>\n";
    out += text(x + slot * 0.35, kBottom - h - 5, short_count(runs[i].throughput_per_s), "middle", 11);
    // Every other label one line lower, so long names side by side stay apart.
    out += text(x + slot * 0.35, kBottom + 16 + 14 * double(i % 2), runs[i].name, "middle", 11);
  }
  return out;
}

std::string lines_panel(const std::vector<ChartRun>& runs) {
  std::string out = text((kLinesLeft + kLinesRight) / 2, kTop - 20, "latency by percentile (log scale)", "middle", 14);
  const std::vector<double>& qs = chart_quantiles();
  double lo_ms = 1e300, hi_ms = 0;
  for (const ChartRun& r : runs) {
    if (r.latency == nullptr || r.latency->count() == 0) continue;
    lo_ms = std::min(lo_ms, std::max(1e-3, double(r.latency->percentile_ns(qs.front())) / 1e6));
    hi_ms = std::max(hi_ms, double(r.latency->max_ns()) / 1e6);
  }
  if (hi_ms <= 0) return out + text((kLinesLeft + kLinesRight) / 2, (kTop + kBottom) / 2, "no latency samples");
  // Whole decades around the samples.
  const int lo_decade = int(std::floor(std::log10(lo_ms)));
  const int hi_decade = std::max(lo_decade + 1, int(std::ceil(std::log10(hi_ms))));
  const auto y_of = [&](double ms) {
    const double f = (std::log10(std::max(ms, 1e-3)) - lo_decade) / double(hi_decade - lo_decade);
    return kBottom - (kBottom - kTop) * f;
  };
  const double x_last = nines(qs.back()) + 1;  // the max column
  const auto x_of = [&](double position) {
    return kLinesLeft + (kLinesRight - kLinesLeft) * (position - nines(qs.front())) / (x_last - nines(qs.front()));
  };
  out += line(kLinesLeft, kBottom, kLinesRight, kBottom, "#000");
  out += line(kLinesLeft, kTop, kLinesLeft, kBottom, "#000");
  for (int d = lo_decade; d <= hi_decade; ++d) {
    const double y = y_of(std::pow(10.0, d));
    out += line(kLinesLeft, y, kLinesRight, y, "#ddd");
    out += text(kLinesLeft - 6, y + 4, ms_label(std::pow(10.0, d)), "end", 11);
  }
  for (double q : qs) {
    const double x = x_of(nines(q));
    out += line(x, kTop, x, kBottom, "#eee");
    out += text(x, kBottom + 16, percentile_label(q), "middle", 11);
  }
  out += text(x_of(x_last), kBottom + 16, "max", "middle", 11);
  for (size_t i = 0; i < runs.size(); ++i) {
    const Histogram* h = runs[i].latency;
    if (h == nullptr || h->count() == 0) continue;
    std::string points;
    for (double q : qs) points += num(x_of(nines(q))) + "," + num(y_of(double(h->percentile_ns(q)) / 1e6)) + " ";
    points += num(x_of(x_last)) + "," + num(y_of(double(h->max_ns()) / 1e6));
    out += "<polyline fill=\"none\" stroke=\"" + std::string(kColours[i]) + "\" stroke-width=\"2\" points=\"" + points +
           "\"/>\n";
    // Legend under the panel, three to a row.
    const double lx = kLinesLeft + 190 * double(i % 3), ly = kBottom + 40 + 16 * double(i / 3);
    out += line(lx, ly - 4, lx + 20, ly - 4, kColours[i], 3);
    out += text(lx + 26, ly, runs[i].name + "  p99 " + ms_label(double(h->percentile_ns(0.99)) / 1e6), "start", 11);
  }
  return out;
}

}  // namespace

const std::vector<double>& chart_quantiles() {
  static const std::vector<double> qs = {0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999};
  return qs;
}

std::string chart_svg(const std::string& title, const std::vector<ChartRun>& all_runs) {
  const std::vector<ChartRun> runs(all_runs.begin(), all_runs.begin() + std::min(all_runs.size(), kChartRunsMax));
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(kWidth, 0) + "\" height=\"" +
                    num(kHeight, 0) + "\" viewBox=\"0 0 " + num(kWidth, 0) + " " + num(kHeight, 0) +
                    "\" font-family=\"sans-serif\">\n";
  out += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  out += text(kWidth / 2, 22, title, "middle", 16);
  out += bars_panel(runs);
  out += lines_panel(runs);
  if (all_runs.size() > runs.size()) {
    out += text(kWidth / 2, kHeight - 10, std::to_string(all_runs.size() - runs.size()) + " more runs in the table");
  }
  out += "</svg>\n";
  return out;
}

}  // namespace autoriza::bench
