// autoriza replay: the analyst's view of the event log (replay/README.md).
//   rebuild:  --store SRC --into DST [--to-seq ..] [--to-time ..] [--verify|--no-verify]
//   export:   --store SRC --export jsonl|csv [--out FILE] [--type ..] [--provider ..] [--credential ..] [range]
//   what-if:  --store SRC --what-if --data DIR [--csv FILE] [--rows N] [range]
#include <cstring>
#include <fstream>
#include <iostream>

#include "app/cli_common.h"
#include "app/commands.h"
#include "replay/export.h"
#include "replay/replay.h"
#include "replay/whatif.h"

namespace autoriza::cli {

namespace {

struct ReplayArgs {
  std::string store = "autoriza-data";
  std::string into;
  bool verify = false, no_verify = false, projections = false;
  std::vector<std::string> from_seq, to_seq;
  std::string from_time, to_time;
  std::string export_format, out, types, provider, credential;
  bool what_if = false;
  std::string data, csv;
  size_t rows = 50;
  bool no_progress = false;
};

int fail(const Status& s) {
  std::cerr << "autoriza replay: " << s.to_string() << "\n";
  return 1;
}

int usage(const std::string& message) {
  std::cerr << "autoriza replay: " << message << " (see autoriza replay --help)\n";
  return 2;
}

Status build_range(const ReplayArgs& a, LogRange* range) {
  for (const auto& v : a.from_seq) {
    if (Status s = add_seq_bound(v, true, range); !s) return s;
  }
  for (const auto& v : a.to_seq) {
    if (Status s = add_seq_bound(v, false, range); !s) return s;
  }
  if (!a.from_time.empty()) {
    if (Status s = set_time_bound(a.from_time, true, range); !s) return s;
  }
  if (!a.to_time.empty()) {
    if (Status s = set_time_bound(a.to_time, false, range); !s) return s;
  }
  return check_range(*range);
}

// The progress bar of a run, or none with --no-progress.
std::unique_ptr<ProgressBar> progress_bar(const ReplayArgs& a, const char* label) {
  if (a.no_progress) return nullptr;
  return std::make_unique<ProgressBar>(label, std::cerr, ProgressBar::stderr_is_tty());
}

std::string stream_name(PartitionId p) {
  return p == kReferenceStream ? "ref" : std::to_string(p);
}

int run_rebuild(const ReplayArgs& a, const LogRange& range) {
  ReplayOptions options;
  options.range = range;
  options.verify = a.verify || (!a.no_verify && !range.has_to());
  options.projections = a.projections;
  auto bar = progress_bar(a, "rebuild");
  auto projections_bar = progress_bar(a, "projections");
  if (bar) {
    options.progress = [&](uint64_t done, uint64_t total) {
      bar->update(done, total);
      if (done == total) bar->finish();  // the end: the projections' bar follows on its own line
    };
  }
  if (projections_bar) options.projections_progress = projections_bar->callback();
  ReplayReport report;
  Status s = replay_store(a.store, a.into, options, &report);
  if (bar) bar->finish();
  if (projections_bar && a.projections) projections_bar->finish();
  if (!s) return fail(s);
  std::cout << "rebuilt " << format_count(report.events) << " events into " << a.into << " in " << std::fixed
            << std::setprecision(2) << report.seconds << " s ("
            << format_count(uint64_t(report.seconds > 0 ? report.events / report.seconds : 0)) << " events/s)\n";
  if (range.has_to()) {
    std::cout << "state as of the range's end (" << range.describe() << "): last command at "
              << (report.events ? format_instant(Millis{report.last_time_ms}) : std::string("-"));
    for (const auto& [stream, seq] : report.last)
      std::cout << "; stream " << stream_name(stream) << " up to seq " << seq;
    std::cout << "\n";
  }
  if (report.projections) {
    const ProjectionRebuild& p = *report.projections;
    std::cout << "projections (register, billing, audits, history) folded from " << format_count(p.events)
              << " events into " << (std::filesystem::path(a.into) / "projections").string() << " in " << p.seconds
              << " s; digest " << p.digest.substr(0, 16);
    if (report.verified) {
      std::cout << (p.compared ? (p.equal() ? ", equal to live" : ", DIFFERS from live " + p.live_digest.substr(0, 16))
                               : ", not compared: " + p.not_compared);
    }
    std::cout << "\n";
  }
  if (!report.verified) {
    std::cout << "not compared with the live state" << (range.has_to() ? " (a bounded rebuild is earlier)" : "")
              << "\n";
    return 0;
  }
  std::cout << "table         equal  digest (live)\n";
  for (const auto& d : report.digests) {
    std::cout << std::left << std::setw(13) << d.table << " " << std::setw(6) << (d.equal() ? "yes" : "NO") << " "
              << d.source.substr(0, 16) << (d.equal() ? "" : " rebuilt " + d.rebuilt.substr(0, 16)) << "\n";
  }
  std::cout << (report.equal() ? "rebuilt state equals live state\n" : "REBUILT STATE DIFFERS\n");
  return report.equal() ? 0 : 1;
}

int run_export(const ReplayArgs& a, const LogRange& range) {
  ExportOptions options;
  options.filter.range = range;
  options.filter.provider = a.provider;
  options.filter.credential = a.credential;
  if (Status s = parse_export_format(a.export_format, &options.format); !s) return fail(s);
  if (Status s = parse_export_types(a.types, &options.filter.types); !s) return fail(s);
  std::ofstream file;
  if (!a.out.empty()) {
    file.open(a.out, std::ios::binary | std::ios::trunc);
    if (!file) return fail(Status::io_error("cannot write " + a.out + ": " + std::strerror(errno)));
  }
  std::ostream& out = a.out.empty() ? std::cout : file;
  auto bar = progress_bar(a, "export");
  if (bar) options.progress = bar->callback();
  ExportReport report;
  Status s = export_store(a.store, options, out, &report);
  if (bar) bar->finish();
  if (!s) return fail(s);
  if (file.is_open()) {
    file.close();
    if (!file) return fail(Status::io_error("writing " + a.out + " failed"));
  }
  std::cerr << "exported " << format_count(report.written) << " of " << format_count(report.scanned) << " events read ("
            << range.describe() << ")" << (a.out.empty() ? "" : " to " + a.out) << " in " << std::fixed
            << std::setprecision(2) << report.seconds << " s\n";
  return 0;
}

int run_what_if(const ReplayArgs& a, const LogRange& range) {
  WhatIfOptions options;
  options.data = a.data;
  options.range = range;
  std::ofstream csv;
  if (!a.csv.empty()) {
    csv.open(a.csv, std::ios::binary | std::ios::trunc);
    if (!csv) return fail(Status::io_error("cannot write " + a.csv + ": " + std::strerror(errno)));
    csv << what_if_csv_header();
    options.on_change = [&csv](const WhatIfChange& c) { csv << what_if_csv_row(c); };
  }
  auto bar = progress_bar(a, "what-if");
  if (bar) options.progress = bar->callback();
  WhatIfReport report;
  Status s = what_if(a.store, options, &report);
  if (bar) bar->finish();
  if (!s) return fail(s);
  print_what_if(report, options, a.rows, std::cout);
  if (csv.is_open()) {
    csv.close();
    if (!csv) return fail(Status::io_error("writing " + a.csv + " failed"));
    std::cout << "changes written to " << a.csv << "\n";
  }
  return 0;
}

}  // namespace

Run add_replay(CLI::App& app) {
  auto a = std::make_shared<ReplayArgs>();
  app.footer(
      "Modes:\n"
      "  rebuild   --into DST: fold the log into a fresh store; by default compare every state table\n"
      "            with the live store (exit 1 on a difference). --to-seq/--to-time: the state as of then.\n"
      "            --projections: the read-side projections too, into DST/projections.\n"
      "  export    --export jsonl|csv: one line per event, in log order (command time across streams).\n"
      "  what-if   --what-if --data DIR: decide the recorded commands of the period again against the\n"
      "            changed reference data in DIR and list the decisions and amounts that change.\n"
      "Ranges (inclusive): --from-seq/--to-seq N (every partition) or P=N (partition P, 'ref' for\n"
      "reference data), repeatable; --from-time/--to-time ISO-8601 with offset, on the command time.\n"
      "Examples:\n"
      "  autoriza replay --store data --into /tmp/rebuilt\n"
      "  autoriza replay --store data --into /tmp/asof --to-time 2026-11-15T00:00:00-03:00\n"
      "  autoriza replay --store data --export csv --out nov.csv --type authorize,consume --provider LAB127\n"
      "  autoriza replay --store data --what-if --data changed/ --from-time 2026-11-01T00:00:00-03:00 --csv diff.csv");
  app.add_option("--store", a->store, "Store whose event log is read (opened read-only)")->capture_default_str();
  app.add_option("--into", a->into, "Rebuild: new (absent or empty) directory for the rebuilt store");
  app.add_flag("--verify", a->verify, "Rebuild: compare with the live store (default without --to-*)");
  app.add_flag("--no-verify", a->no_verify, "Rebuild: do not compare");
  app.add_flag("--projections", a->projections,
               "Rebuild: also fold the projections (register, billing, audits, history) into DST/projections "
               "and compare them with SRC/projections");
  app.add_option("--from-seq", a->from_seq, "Range start: N or STREAM=N (export, what-if)");
  app.add_option("--to-seq", a->to_seq, "Range end: N or STREAM=N");
  app.add_option("--from-time", a->from_time, "Range start, e.g. 2026-11-01T00:00:00-03:00 (export, what-if)");
  app.add_option("--to-time", a->to_time, "Range end, e.g. 2026-11-30T23:59:59-03:00");
  app.add_option("--export", a->export_format, "Export the events as jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  app.add_option("--out", a->out, "Export: write to FILE instead of standard output");
  app.add_option("--type", a->types, "Export: only these commands (authorize,consume,...) or event types");
  app.add_option("--provider", a->provider, "Export: only events of this provider (and commands on their ids)");
  app.add_option("--credential", a->credential, "Export: only events of this affiliate (and commands on their ids)");
  app.add_flag("--what-if", a->what_if, "Decide the period's commands again against --data");
  app.add_option("--data", a->data,
                 "What-if: folder with the changed reference files (any of plans.csv, practices.csv, providers.csv, "
                 "prescribers.csv, affiliates.csv; absent ones change nothing)");
  app.add_option("--csv", a->csv, "What-if: write every change as CSV into FILE");
  app.add_option("--rows", a->rows, "What-if: changes shown in the table")->capture_default_str();
  app.add_flag("--no-progress", a->no_progress, "No progress bar on standard error");
  return [a] {
    const bool exporting = !a->export_format.empty();
    if (exporting && a->what_if) return usage("--export and --what-if are separate runs; give one");
    if ((exporting || a->what_if) && !a->into.empty())
      return usage("--into is for a rebuild, not for --export or --what-if");
    if ((exporting || a->what_if) && (a->projections || a->verify || a->no_verify)) {
      return usage("--projections, --verify and --no-verify go with a rebuild (--into)");
    }
    if (!exporting && (!a->out.empty() || !a->types.empty() || !a->provider.empty() || !a->credential.empty())) {
      return usage("--out, --type, --provider and --credential go with --export");
    }
    if (!a->what_if && (!a->data.empty() || !a->csv.empty())) return usage("--data and --csv go with --what-if");
    if (a->verify && a->no_verify) return usage("--verify and --no-verify contradict each other");
    LogRange range;
    if (Status s = build_range(*a, &range); !s) return fail(s);
    if (exporting) return run_export(*a, range);
    if (a->what_if) {
      if (a->data.empty()) return usage("--what-if needs --data DIR (the changed reference data)");
      return run_what_if(*a, range);
    }
    if (a->into.empty()) return usage("a rebuild needs --into DST (or give --export or --what-if)");
    return run_rebuild(*a, range);
  };
}

}  // namespace autoriza::cli
