// The what-if report: a summary and a table for a person, CSV for analysts.
//
// CSV columns: stream,sequence,transaction,time,command,provider,credential,
// old_status,new_status,old_total,new_total,old_copay,new_copay,details
// (amounts "180.00"; details as diff_answers() writes them).
#include <iomanip>

#include "replay/event_text.h"
#include "engine/core/money.h"
#include "replay/progress.h"
#include "replay/whatif.h"

namespace autoriza {

namespace {

std::string money(int64_t cents) {
  return format_cents(Cents{cents});
}

std::string signed_money(int64_t cents) {
  std::string out = cents > 0 ? "+" : "";
  out += money(cents);
  return out;
}

std::string arrow(const std::string& before, const std::string& after) {
  return before == after ? before : before + "->" + after;
}

std::string percent(uint64_t part, uint64_t whole) {
  if (whole == 0) return "0%";
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << 100.0 * double(part) / double(whole) << "%";
  return out.str();
}

void print_summary(const WhatIfReport& r, const WhatIfOptions& options, std::ostream& out) {
  out << "what-if over " << options.range.describe() << ", reference data from " << options.data.string() << "\n";
  out << "  data against the reference before the period's first command: " << r.data.updated << " rows changed, "
      << r.data.added << " added, " << r.data.unchanged << " unchanged";
  if (!r.data_changed.empty()) {
    out << " (";
    for (size_t i = 0; i < r.data_changed.size(); ++i) out << (i ? ", " : "") << r.data_changed[i];
    if (r.data.updated + r.data.added > r.data_changed.size()) out << ", ...";
    out << ")";
  }
  out << "\n";
  out << "  events before the period, applied as recorded: " << format_count(r.events_before) << "\n";
  out << "  commands decided again: " << format_count(r.examined) << ", changed: " << format_count(r.changed) << " ("
      << percent(r.changed, r.examined) << ")";
  if (!r.changed_by_command.empty()) {
    out << " -";
    for (const auto& [command, n] : r.changed_by_command) out << " " << command << " " << format_count(n);
  }
  out << "\n";
  out << "  kept as recorded (not decided again): " << format_count(r.kept_token)
      << " given a token (the log keeps no token to check again), " << format_count(r.kept_sealed)
      << " token/card/account commands (sealed material); " << format_count(r.dropped)
      << " of them dropped (their order no longer fits)\n";
  out << "  reference events in the period: " << format_count(r.reference_in_period) << ", "
      << format_count(r.reference_overridden) << " overridden by the data\n";
  out << "  amounts (new - recorded, over the answers decided again): total " << signed_money(r.total_delta_cents)
      << ", copay " << signed_money(r.copay_delta_cents) << ", covered "
      << signed_money(r.total_delta_cents - r.copay_delta_cents) << "\n";
}

}  // namespace

void print_what_if(const WhatIfReport& r, const WhatIfOptions& options, size_t rows_max, std::ostream& out) {
  print_summary(r, options, out);
  if (r.changes.empty()) {
    out << "no decision or amount changes\n";
    return;
  }
  out << "\n"
      << std::left << std::setw(14) << "transaction" << std::setw(31) << "time" << std::setw(14) << "command"
      << std::setw(32) << "status" << std::setw(22) << "total" << std::setw(20) << "copay"
      << "changes\n";
  const size_t shown = std::min(rows_max, r.changes.size());
  for (size_t i = 0; i < shown; ++i) {
    const WhatIfChange& c = r.changes[i];
    out << std::left << std::setw(14) << c.transaction << std::setw(31) << format_instant(Millis{c.time_ms})
        << std::setw(14) << c.command << std::setw(32) << arrow(c.old_status, c.new_status) << std::setw(22)
        << arrow(money(c.old_total_cents), money(c.new_total_cents)) << std::setw(20)
        << arrow(money(c.old_copay_cents), money(c.new_copay_cents)) << c.details << "\n";
  }
  if (r.changed > shown)
    out << "... and " << format_count(r.changed - shown) << " more (all of them with --csv FILE)\n";
}

std::string what_if_csv_header() {
  return csv_line({"stream", "sequence", "transaction", "time", "command", "provider", "credential", "old_status",
                   "new_status", "old_total", "new_total", "old_copay", "new_copay", "details"});
}

std::string what_if_csv_row(const WhatIfChange& c) {
  return csv_line({std::to_string(c.stream), std::to_string(c.sequence), csv_text(c.transaction),
                   format_instant(Millis{c.time_ms}), c.command, csv_text(c.provider), csv_text(c.credential),
                   c.old_status, c.new_status, money(c.old_total_cents), money(c.new_total_cents),
                   money(c.old_copay_cents), money(c.new_copay_cents), csv_text(c.details)});
}

}  // namespace autoriza
