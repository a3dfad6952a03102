#pragma once
// Export of recorded events for analysts (`autoriza replay --export`), in log
// order (command time across streams, see log_reader.h), one line per event.
//
// JSON Lines, one object per event:
//   {"stream":0,"sequence":12,"type":"AUTHORIZATION_DECIDED",
//    "time":"2026-11-02T10:00:00-03:00","channel":"http",
//    "scope":"provider:LAB127","request_id":"r1",
//    "command":{...encode_command...},"answer":{...encode_result...}}
//   reference data: {"stream":65535,...,"type":"REFERENCE_UPSERTED","record":"practice:000118"}
//   (only the record's key: affiliate rows hold personal data).
// CSV (RFC 4180, header row), the main columns flattened:
//   stream,sequence,type,time,channel,scope,request_id,provider,credential,
//   command,status,transaction,order,sap,total,copay,reasons,item_reasons
//   reasons: request-level codes joined by '|'; item_reasons: "index:CODE"
//   joined by '|'; amounts "180.00" (empty when the answer has no totals).
//
// Never exported: secrets. The log keeps none in clear (tokens are redacted
// to "*" in commands, token answers are recorded without the tokens); sealed
// fields (secrets, codes, links) and password hashes are never read, and
// commands other than those of docs/rules.md §5 are exported by name only.
#include <filesystem>
#include <ostream>
#include <set>
#include <string>

#include "engine/journal.h"
#include "replay/log_range.h"
#include "replay/progress.h"

namespace autoriza {

enum class ExportFormat : uint8_t { kJsonl, kCsv };

struct ExportFilter {
  LogRange range;
  // Command names (command_names(): "authorize", "consume", "reference"...)
  // or event types ("AUDIT_OPENED"); empty: every event.
  std::set<std::string> types;
  // Events whose command names this provider / affiliate, and the commands
  // that act on what those created (a consume of their order, an annulment,
  // an audit verdict on their SAP), even when these name neither.
  std::string provider;
  std::string credential;
};

struct ExportOptions {
  ExportFormat format = ExportFormat::kJsonl;
  ExportFilter filter;
  ProgressFn progress;
};

struct ExportReport {
  uint64_t scanned = 0;  // events read
  uint64_t written = 0;  // lines written (header excluded)
  double seconds = 0;
};

// Parses "--type authorize,consume"; an unknown name is kInvalidRequest
// listing the valid ones.
Status parse_export_types(std::string_view text, std::set<std::string>* types);
// "jsonl" or "csv".
Status parse_export_format(std::string_view text, ExportFormat* format);

// Writes the events of journal that pass the filter to out.
Status export_events(const Journal& journal, const ExportOptions& options, std::ostream& out, ExportReport* report);
// Same, opening store read-only.
Status export_store(const std::filesystem::path& store, const ExportOptions& options, std::ostream& out,
                    ExportReport* report);

}  // namespace autoriza
