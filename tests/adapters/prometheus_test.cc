// The Prometheus text writer (prometheus.h) and the service's command
// counters (metrics.h), without a server.
#include "adapters/codec/error_codes.h"
#include "adapters/service/prometheus.h"

#include <gtest/gtest.h>

#include <cmath>

#include "adapters/service/metrics.h"

namespace autoriza {
namespace {

TEST(PrometheusTextTest, GroupsSamplesByFamilyWithHelpAndTypeOnce) {
  PrometheusText out;
  out.add("autoriza_a_total", MetricType::kCounter, "As", {{"x", "1"}}, 1);
  out.add("autoriza_b", MetricType::kGauge, "Bs", {}, 2.5);
  out.add("autoriza_a_total", MetricType::kCounter, "ignored: the first help stays", {{"x", "2"}}, 3);
  EXPECT_EQ(out.text(),
            "# HELP autoriza_a_total As\n"
            "# TYPE autoriza_a_total counter\n"
            "autoriza_a_total{x=\"1\"} 1\n"
            "autoriza_a_total{x=\"2\"} 3\n"
            "# HELP autoriza_b Bs\n"
            "# TYPE autoriza_b gauge\n"
            "autoriza_b 2.5\n");
}

TEST(PrometheusTextTest, EscapesLabelValuesAndHelp) {
  PrometheusText out;
  out.add("autoriza_x", MetricType::kGauge, "line\\one\nline two", {{"v", "a\"b\\c\nd"}}, 1);
  EXPECT_EQ(out.text(),
            "# HELP autoriza_x line\\\\one\\nline two\n"
            "# TYPE autoriza_x gauge\n"
            "autoriza_x{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(PrometheusTextTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Histogram h{0.25, 1};  // binary fractions: the sum prints exactly
  h.observe(0.125);
  h.observe(0.5);
  h.observe(0.5);
  h.observe(3);
  PrometheusText out;
  out.add_histogram("autoriza_t_seconds", "T", {{"k", "v"}}, h.snapshot());
  const std::string text = out.text();
  EXPECT_NE(text.find("# TYPE autoriza_t_seconds histogram\n"), std::string::npos) << text;
  EXPECT_NE(text.find("autoriza_t_seconds_bucket{k=\"v\",le=\"0.25\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("autoriza_t_seconds_bucket{k=\"v\",le=\"1\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("autoriza_t_seconds_bucket{k=\"v\",le=\"+Inf\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("autoriza_t_seconds_sum{k=\"v\"} 4.125\n"), std::string::npos) << text;
  EXPECT_NE(text.find("autoriza_t_seconds_count{k=\"v\"} 4\n"), std::string::npos) << text;
}

TEST(PrometheusTextTest, SamplesBeyondTheBoundAreDroppedAndSaidSo) {
  PrometheusText out;
  for (size_t i = 0; i < PrometheusText::kSamplesMax + 10; ++i) {
    out.add("autoriza_many", MetricType::kGauge, "Many", {{"i", std::to_string(i)}}, 1);
  }
  EXPECT_EQ(out.samples(), PrometheusText::kSamplesMax);
  EXPECT_NE(out.text().find("# 10 samples dropped"), std::string::npos);
}

TEST(PrometheusTextTest, NumbersReadBackAsPrometheusReadsThem) {
  EXPECT_EQ(prometheus_number(3), "3");
  EXPECT_EQ(prometheus_number(0.25), "0.25");
  EXPECT_EQ(prometheus_number(1e-4), "0.0001");
  EXPECT_EQ(prometheus_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(prometheus_number(std::nan("")), "NaN");
}

TEST(PrometheusTextTest, AnInvalidMetricNameIsABug) {
  PrometheusText out;
  EXPECT_DEATH(out.add("autoriza-bad", MetricType::kGauge, "", {}, 1), "invariant");
}

TEST(ServiceMetricsTest, CountsByChannelCommandAndOutcomeWithTheHttpStatus) {
  ServiceMetrics metrics;
  CommandTrace http{"http", "authorize", "a1", "LAB127", "provider-LAB127"};
  CommandTrace tcp{"tcp", "eligibility", "e1", "LAB127", "provider-LAB127"};
  metrics.record(http, CommandAnswer{200, "AUTHORIZED", false}, std::chrono::microseconds(300));
  metrics.record(http, CommandAnswer{200, "AUTHORIZED", true}, std::chrono::microseconds(200));
  metrics.record(http, refused(403), std::chrono::microseconds(50));
  metrics.record(tcp, CommandAnswer{200, "NOT_ELIGIBLE", false}, std::chrono::milliseconds(30));
  CommandTrace odd{"carrier-pigeon", "teleport", "", "", ""};
  metrics.record(odd, refused(418), std::chrono::microseconds(1));
  PrometheusText out;
  metrics.write(out);
  const std::string text = out.text();
  EXPECT_NE(text.find("autoriza_commands_total{channel=\"http\",command=\"authorize\",outcome=\"AUTHORIZED\","
                      "http_status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("autoriza_commands_total{channel=\"http\",command=\"authorize\",outcome=\"FORBIDDEN\","
                      "http_status=\"403\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("autoriza_commands_total{channel=\"tcp\",command=\"eligibility\",outcome=\"NOT_ELIGIBLE\","
                      "http_status=\"200\"} 1\n"),
            std::string::npos)
      << text;
  // Names outside the fixed lists fall into "other": the label set stays bounded.
  EXPECT_NE(text.find("autoriza_commands_total{channel=\"other\",command=\"other\",outcome=\"OTHER\","
                      "http_status=\"other\"} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("autoriza_command_replays_total{channel=\"http\",command=\"authorize\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("autoriza_command_latency_seconds_bucket{channel=\"http\",command=\"authorize\",le=\"0.00025\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("autoriza_command_latency_seconds_count{channel=\"tcp\",command=\"eligibility\"} 1\n"),
            std::string::npos)
      << text;
  // No id of any kind in a label.
  EXPECT_EQ(text.find("a1"), std::string::npos);
  EXPECT_EQ(text.find("LAB127"), std::string::npos);
}

TEST(MetricsSourcesTest, SourcesWriteInOrderAndAThrowingOneIsReported) {
  MetricsSources sources;
  const auto a = sources.add("a", [](PrometheusText& out) { out.add("autoriza_a", MetricType::kGauge, "A", {}, 1); });
  sources.add("broken", [](PrometheusText&) { throw std::runtime_error("no stats yet"); });
  sources.add("b", [](PrometheusText& out) { out.add("autoriza_b", MetricType::kGauge, "B", {}, 2); });
  PrometheusText out;
  sources.write(out);
  std::string text = out.text();
  EXPECT_LT(text.find("autoriza_a 1"), text.find("autoriza_b 2")) << text;
  EXPECT_NE(text.find("autoriza_metrics_source_failed{source=\"broken\"} 1"), std::string::npos) << text;
  sources.remove(a);
  PrometheusText again;
  sources.write(again);
  EXPECT_EQ(again.text().find("autoriza_a "), std::string::npos);
}

TEST(MetricsSourcesTest, RegistrationsAreBounded) {
  MetricsSources sources;
  for (size_t i = 0; i < MetricsSources::kSourcesMax; ++i) EXPECT_NE(sources.add("s", [](PrometheusText&) {}), 0u);
  EXPECT_EQ(sources.add("one too many", [](PrometheusText&) {}), 0u);
}

}  // namespace
}  // namespace autoriza
