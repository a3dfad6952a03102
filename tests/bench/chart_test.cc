// The benchmark picture (bench/loadgen/chart.h): what it draws must follow
// from the runs it is given.
#include "bench/loadgen/chart.h"

#include <gtest/gtest.h>

#include <regex>
#include <string>

namespace autoriza::bench {
namespace {

Histogram latencies(uint64_t from_ns, uint64_t to_ns, uint64_t step_ns) {
  Histogram h;
  for (uint64_t v = from_ns; v <= to_ns; v += step_ns) h.record(v);
  return h;
}

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Heights of the bars, in order.
std::vector<double> bar_heights(const std::string& svg) {
  std::vector<double> out;
  const std::regex bar(R"re(<rect x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="([0-9.]+)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it) {
    out.push_back(std::stod((*it)[1]));
  }
  return out;
}

TEST(Chart, OneBarAndOneLinePerRunWithBarsProportionalToThroughput) {
  const Histogram fast = latencies(100'000, 2'000'000, 1'000);  // 0.1-2 ms
  const Histogram slow = latencies(1'000'000, 40'000'000, 10'000);
  const std::string svg = chart_svg("t", {{"inprocess", 40'000, &fast}, {"http", 10'000, &slow}});
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline"), 2u);
  const std::vector<double> bars = bar_heights(svg);
  ASSERT_EQ(bars.size(), 2u);
  EXPECT_NEAR(bars[0] / bars[1], 4.0, 0.01);
  EXPECT_NE(svg.find(">inprocess<"), std::string::npos);
  EXPECT_NE(svg.find(">40k<"), std::string::npos);  // the bar's label
}

TEST(Chart, SlowerRunIsDrawnHigherOnTheLatencyPanel) {
  const Histogram fast = latencies(100'000, 2'000'000, 1'000);
  const Histogram slow = latencies(1'000'000, 40'000'000, 10'000);
  const std::string svg = chart_svg("t", {{"fast", 1, &fast}, {"slow", 1, &slow}});
  // SVG y grows downwards: at each percentile the slow run's point is above
  // (smaller y than) the fast run's.
  const std::regex poly(R"re(<polyline [^>]*points="([^"]+)")re");
  std::vector<std::vector<double>> ys;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), poly); it != std::sregex_iterator(); ++it) {
    std::vector<double> y;
    const std::string points = (*it)[1];
    const std::regex pair(R"(([0-9.]+),([0-9.]+))");
    for (auto p = std::sregex_iterator(points.begin(), points.end(), pair); p != std::sregex_iterator(); ++p) {
      y.push_back(std::stod((*p)[2]));
    }
    ys.push_back(y);
  }
  ASSERT_EQ(ys.size(), 2u);
  ASSERT_EQ(ys[0].size(), chart_quantiles().size() + 1);  // the percentiles and max
  for (size_t i = 0; i < ys[0].size(); ++i) EXPECT_LT(ys[1][i], ys[0][i]) << "point " << i;
  for (size_t i = 1; i < ys[0].size(); ++i) EXPECT_LE(ys[0][i], ys[0][i - 1]) << "percentiles never go down";
}

TEST(Chart, TitleIsEscapedAndRunsBeyondTheBoundAreLeftOut) {
  const Histogram h = latencies(1'000, 2'000, 10);
  std::vector<ChartRun> runs(kChartRunsMax + 3, ChartRun{"r", 100, &h});
  const std::string svg = chart_svg("a <b> & \"c\"", runs);
  EXPECT_NE(svg.find("a &lt;b&gt; &amp; "), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_EQ(bar_heights(svg).size(), kChartRunsMax);
  EXPECT_NE(svg.find("3 more runs in the table"), std::string::npos);
}

TEST(Chart, RunsWithoutSamplesDrawNoLine) {
  const Histogram empty;
  const std::string svg = chart_svg("t", {{"idle", 0, &empty}, {"none", 0, nullptr}});
  EXPECT_EQ(count(svg, "<polyline"), 0u);
  EXPECT_NE(svg.find("no latency samples"), std::string::npos);
  EXPECT_EQ(chart_svg("t", {{"idle", 0, &empty}}), chart_svg("t", {{"idle", 0, &empty}}));  // deterministic
}

}  // namespace
}  // namespace autoriza::bench
