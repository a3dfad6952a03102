// The engine's, journal's and projections' part of GET /metrics (metrics.h).
#include <algorithm>

#include "engine/engine.h"
#include "adapters/service/metrics.h"
#include "projections/projections.h"

namespace autoriza {

namespace {

void write_partition_counters(PrometheusText& out, const std::vector<PartitionStats>& stats) {
  for (size_t p = 0; p < stats.size(); ++p) {
    const std::string partition = std::to_string(p);
    const PartitionStats& s = stats[p];
    out.add("autoriza_partition_commands_total", MetricType::kCounter, "Commands a partition's writer handled",
            {{"partition", partition}}, double(s.commands));
    out.add("autoriza_partition_batches_total", MetricType::kCounter, "Group commits of a partition",
            {{"partition", partition}}, double(s.batches));
    out.add("autoriza_partition_events_total", MetricType::kCounter, "Events a partition recorded",
            {{"partition", partition}}, double(s.events));
    out.add("autoriza_partition_retries_total", MetricType::kCounter,
            "Idempotent retries a partition answered from the log", {{"partition", partition}}, double(s.retries));
    out.add("autoriza_partition_failed_commits_total", MetricType::kCounter,
            "Batches a partition could not commit (a full disk): none of them was answered with success",
            {{"partition", partition}}, double(s.failed_commits));
    out.add("autoriza_partition_reloads_total", MetricType::kCounter,
            "Times a partition rebuilt its state from the store after a failed commit", {{"partition", partition}},
            double(s.reloads));
  }
}

// A full disk (engine/store_health.h): whether commands are taken, free space.
void write_store_metrics(PrometheusText& out, const StoreHealthReport& store) {
  out.add("autoriza_store_writable", MetricType::kGauge,
          "1 while the store takes commands; 0 while they are refused with 503 STORE_FULL (a full disk), reads go on",
          {}, store.writable ? 1 : 0);
  out.add("autoriza_store_refused_writes_total", MetricType::kCounter,
          "Commands refused because the store took no writes (a full disk)", {}, double(store.refused_writes));
  out.add("autoriza_store_resumes_total", MetricType::kCounter,
          "Times the store took writes again by itself after a write error", {}, double(store.resumes));
  out.add("autoriza_store_available_bytes", MetricType::kGauge,
          "Free bytes on the store's file system (for this process), as last checked", {}, double(store.available_bytes));
  out.add("autoriza_store_size_bytes", MetricType::kGauge, "Size of the store's file system", {},
          double(store.size_bytes));
  out.add("autoriza_store_reserve_bytes", MetricType::kGauge,
          "Free bytes below which commands are refused (serve --disk-reserve-mib)", {}, double(store.reserve_bytes));
}

void write_partition_metrics(PrometheusText& out, const std::vector<PartitionMetrics>& metrics, size_t queue_max) {
  for (size_t p = 0; p < metrics.size(); ++p) {
    const std::string partition = std::to_string(p);
    const PartitionMetrics& m = metrics[p];
    out.add("autoriza_partition_queue_depth", MetricType::kGauge, "Commands waiting for a partition's writer",
            {{"partition", partition}}, double(m.queue_depth));
    out.add("autoriza_partition_queue_capacity", MetricType::kGauge,
            "Commands a partition's queue holds before it answers 503", {{"partition", partition}}, double(queue_max));
    out.add_histogram("autoriza_partition_batch_commands", "Commands per group commit", {{"partition", partition}},
                      m.batch_commands);
    out.add_histogram("autoriza_partition_commit_seconds",
                      "One group commit's journal write, WAL fsync included", {{"partition", partition}},
                      m.commit_seconds);
  }
}

void write_journal_metrics(PrometheusText& out, const JournalMetrics& journal) {
  for (const JournalMetric& m : journal.values) {
    const std::string name = "autoriza_" + m.name;
    const MetricType type = m.kind == JournalMetric::Kind::kCounter ? MetricType::kCounter : MetricType::kGauge;
    if (m.table.empty()) {
      out.add(name, type, m.help, {}, m.value);
    } else {
      out.add(name, type, m.help, {{"table", m.table}}, m.value);
    }
  }
  for (const JournalTiming& t : journal.timings) {
    const std::string name = "autoriza_" + t.name;
    out.add_summary(name, t.help, {}, t.count, t.sum_s, {{0.5, t.p50_s}, {0.99, t.p99_s}});
    out.add(name + "_max", MetricType::kGauge, t.help + " (the longest since start)", {}, t.max_s);
  }
}

}  // namespace

void write_engine_metrics(PrometheusText& out, const Engine& engine) {
  write_partition_counters(out, engine.stats());
  write_partition_metrics(out, engine.metrics(), engine.options().queue_max);
  write_journal_metrics(out, engine.journal().metrics());
  write_store_metrics(out, engine.store_health());
}

void write_projection_metrics(PrometheusText& out, const Projections& projections) {
  const nlohmann::json positions = projections.positions();
  for (const nlohmann::json& p : positions) {
    if (!p.contains("name") || !p.contains("lag")) continue;
    out.add("autoriza_projection_lag_events", MetricType::kGauge,
            "Committed events a projection has not folded yet", {{"projection", p["name"].get<std::string>()}},
            p["lag"].get<double>());
  }
}

}  // namespace autoriza
