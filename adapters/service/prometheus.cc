#include "adapters/service/prometheus.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "engine/core/status.h"

namespace autoriza {

namespace {

bool valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const bool ok = std::isalpha(c) || c == '_' || (colon_allowed && c == ':') || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

const char* type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter: return "counter";
    case MetricType::kGauge: return "gauge";
    case MetricType::kHistogram: return "histogram";
    case MetricType::kSummary: return "summary";
  }
  return "untyped";
}

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// HELP text escapes backslash and newline only.
void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string prometheus_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{}", int64_t(value));
  return fmt::format("{}", value);  // shortest text that reads back the same double
}

PrometheusText::Family* PrometheusText::family(std::string_view name, MetricType type, std::string_view help) {
  AUTORIZA_CHECK(valid_name(name, true));
  auto it = index_.find(std::string(name));
  if (it != index_.end()) return &families_[it->second];
  index_.emplace(std::string(name), families_.size());
  families_.push_back(Family{std::string(name), type, std::string(help), {}});
  return &families_.back();
}

void PrometheusText::line(Family& f, std::string_view suffix, const MetricLabel* labels, size_t count,
                          const MetricLabel* extra, double value) {
  if (samples_ >= kSamplesMax) {
    ++dropped_;
    return;
  }
  ++samples_;
  std::string& out = f.lines;
  out += f.name;
  out += suffix;
  if (count > 0 || extra) {
    out += '{';
    bool first = true;
    auto label = [&](const MetricLabel& l) {
      AUTORIZA_CHECK(valid_name(l.first, false));
      if (!first) out += ',';
      first = false;
      out += l.first;
      out += "=\"";
      append_label_value(out, l.second);
      out += '"';
    };
    for (size_t i = 0; i < count; ++i) label(labels[i]);
    if (extra) label(*extra);
    out += '}';
  }
  out += ' ';
  out += prometheus_number(value);
  out += '\n';
}

void PrometheusText::add(std::string_view name, MetricType type, std::string_view help, MetricLabels labels,
                         double value) {
  line(*family(name, type, help), {}, labels.begin(), labels.size(), nullptr, value);
}

void PrometheusText::add(std::string_view name, MetricType type, std::string_view help,
                         const std::vector<MetricLabel>& labels, double value) {
  line(*family(name, type, help), {}, labels.data(), labels.size(), nullptr, value);
}

void PrometheusText::add_histogram(std::string_view name, std::string_view help, MetricLabels labels,
                                   const HistogramSnapshot& h) {
  AUTORIZA_CHECK(h.counts.size() == h.upper_bounds.size() + 1);
  Family& f = *family(name, MetricType::kHistogram, help);
  uint64_t cumulative = 0;
  for (size_t b = 0; b < h.counts.size(); ++b) {
    cumulative += h.counts[b];
    const std::string le = b < h.upper_bounds.size() ? prometheus_number(h.upper_bounds[b]) : "+Inf";
    const MetricLabel extra{"le", le};
    line(f, "_bucket", labels.begin(), labels.size(), &extra, double(cumulative));
  }
  line(f, "_sum", labels.begin(), labels.size(), nullptr, h.sum);
  line(f, "_count", labels.begin(), labels.size(), nullptr, double(cumulative));
}

void PrometheusText::add_summary(std::string_view name, std::string_view help, MetricLabels labels, uint64_t count,
                                 double sum, std::initializer_list<std::pair<double, double>> quantiles) {
  Family& f = *family(name, MetricType::kSummary, help);
  for (const auto& [q, value] : quantiles) {
    const std::string text = prometheus_number(q);
    const MetricLabel extra{"quantile", text};
    line(f, {}, labels.begin(), labels.size(), &extra, value);
  }
  line(f, "_sum", labels.begin(), labels.size(), nullptr, sum);
  line(f, "_count", labels.begin(), labels.size(), nullptr, double(count));
}

std::string PrometheusText::text() const {
  std::string out;
  for (const Family& f : families_) {
    if (f.lines.empty()) continue;
    out += "# HELP " + f.name + " ";
    append_help(out, f.help);
    out += "\n# TYPE " + f.name + " " + type_name(f.type) + "\n";
    out += f.lines;
  }
  if (dropped_ > 0) out += "# " + std::to_string(dropped_) + " samples dropped beyond " + std::to_string(kSamplesMax) + "\n";
  return out;
}

}  // namespace autoriza
