#include "replay/export.h"

#include <chrono>
#include <unordered_set>

#include "adapters/codec/codec.h"
#include "replay/event_text.h"
#include "replay/log_reader.h"
#include "engine/core/money.h"
#include "engine/core/reasons.h"
#include "replay/replay.h"

namespace autoriza {

namespace {

// Bytes of output gathered before a write to the stream.
constexpr size_t kOutputChunkBytes = 1 << 20;

const std::vector<std::string> kCsvHeader = {
    "stream",  "sequence", "type",        "time",  "channel", "scope", "request_id", "provider", "credential",
    "command", "status",   "transaction", "order", "sap",     "total", "copay",      "reasons",  "item_reasons"};

std::string reasons_text(const std::vector<fb::ReasonCode>& reasons) {
  std::string out;
  for (fb::ReasonCode r : reasons) {
    if (!out.empty()) out += '|';
    out += reason_code_name(r);
  }
  return out;
}

std::string item_reasons_text(const fb::ResultT& result) {
  std::string out;
  for (const auto& item : result.items) {
    for (fb::ReasonCode r : item->reasons) {
      if (!out.empty()) out += '|';
      out += std::to_string(item->index);
      out += ':';
      out += reason_code_name(r);
    }
  }
  return out;
}

// The answer as the provider saw it, minus what could be a secret.
Json answer_json(const fb::EventT& e) {
  if (!e.result) return nullptr;
  const fb::Command type = e.command.type;
  const bool section3 = type == fb::Command::EligibilityCmd || type == fb::Command::AuthorizeCmd ||
                        type == fb::Command::ConsumeCmd || type == fb::Command::AnnulCmd ||
                        type == fb::Command::AuditVerdictCmd || type == fb::Command::AuditAnswerCmd ||
                        type == fb::Command::TokenIssueCmd;
  if (!section3) {
    return {{"transaction", e.result->transaction.empty() ? Json(nullptr) : Json(e.result->transaction)},
            {"status", fb::EnumNameStatus(e.result->status)}};
  }
  Json j = encode_result(type, *e.result);
  if (type == fb::Command::TokenIssueCmd && j.contains("tokens")) {
    for (Json& t : j["tokens"]) t.erase("token");  // recorded without them; never risk it
  }
  return j;
}

Json command_json(const fb::EventT& e) {
  Json j = encode_command(e.command);
  if (!j.is_null()) return j;
  // Account and card commands: the name only (their fields are sealed
  // material, password hashes, e-mail addresses).
  return {{"command", command_name(e.command.type)}, {"request_id", e.request_id}};
}

// Keys in the documented order (nlohmann's object would sort them).
std::string jsonl_line(const fb::EventT& e) {
  std::string line = "{\"stream\":" + std::to_string(e.partition) + ",\"sequence\":" + std::to_string(e.sequence);
  auto add = [&line](const char* key, const Json& value) {
    line += ",\"";
    line += key;
    line += "\":";
    line += value.dump();
  };
  add("type", fb::EnumNameEventType(e.type));
  add("time", format_instant(Millis{e.command_time_ms}));
  add("channel", e.channel);
  add("scope", e.scope);
  add("request_id", e.request_id);
  if (e.type == fb::EventType::REFERENCE_UPSERTED) {
    add("record", Reference::record_key(e.reference));
  } else {
    add("command", command_json(e));
    add("answer", answer_json(e));
  }
  line += "}\n";
  return line;
}

std::string csv_row(const fb::EventT& e) {
  const fb::ResultT* r = e.result.get();
  const bool totals = r && r->totals;
  std::string transaction = r ? r->transaction : "";
  if (e.type == fb::EventType::REFERENCE_UPSERTED) transaction = Reference::record_key(e.reference);
  return csv_line({std::to_string(e.partition), std::to_string(e.sequence), fb::EnumNameEventType(e.type),
                   format_instant(Millis{e.command_time_ms}), csv_text(e.channel), csv_text(e.scope),
                   csv_text(e.request_id), csv_text(provider_of(e.command)), csv_text(credential_of_event(e)),
                   command_name(e.command.type), r ? fb::EnumNameStatus(r->status) : "", csv_text(transaction),
                   csv_text(r ? r->order : ""), csv_text(r ? r->sap : ""),
                   totals ? format_cents(Cents{r->totals->total_cents}) : "",
                   totals ? format_cents(Cents{r->totals->copay_cents}) : "", r ? reasons_text(r->reasons) : "",
                   r ? csv_text(item_reasons_text(*r)) : ""});
}

// The filter, with the ids created by matching events (so that commands
// acting on them match too). Bounded by the number of matching events.
class Matcher {
 public:
  explicit Matcher(const ExportFilter& filter) : filter_(filter) {}

  bool by_party() const { return !filter_.provider.empty() || !filter_.credential.empty(); }

  // Whether e passes the party filter; links what it created when it does.
  bool party(const fb::EventT& e) {
    if (!by_party()) return true;
    const bool direct = (filter_.provider.empty() || provider_of(e.command) == filter_.provider) &&
                        (filter_.credential.empty() || credential_of_event(e) == filter_.credential);
    const std::string& target = target_of(e.command);
    const bool linked = !target.empty() && linked_.contains(target);
    if (!direct && !linked) return false;
    if (e.result) {
      for (const std::string* id : {&e.result->transaction, &e.result->order, &e.result->sap}) {
        if (!id->empty()) linked_.insert(*id);
      }
    }
    return true;
  }

  bool type(const fb::EventT& e) const {
    if (filter_.types.empty()) return true;
    return filter_.types.contains(command_name(e.command.type)) ||
           filter_.types.contains(fb::EnumNameEventType(e.type));
  }

 private:
  const ExportFilter& filter_;
  std::unordered_set<std::string> linked_;
};

}  // namespace

Status parse_export_types(std::string_view text, std::set<std::string>* types) {
  types->clear();
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    const std::string name(text.substr(start, comma - start));
    start = comma + 1;
    if (name.empty()) continue;
    bool known = std::find(command_names().begin(), command_names().end(), name) != command_names().end();
    for (auto t = uint8_t(fb::EventType::MIN); !known && t <= uint8_t(fb::EventType::MAX); ++t) {
      known = name == fb::EnumNameEventType(fb::EventType(t));
    }
    if (!known) {
      std::string valid;
      for (const auto& n : command_names()) {
        if (!valid.empty()) valid += ", ";
        valid += n;
      }
      return Status::invalid("unknown type '" + name + "'; expected command names (" + valid +
                                 ") or event types (AUTHORIZATION_DECIDED...)",
                             "--type");
    }
    types->insert(name);
  }
  return Status::ok();
}

Status parse_export_format(std::string_view text, ExportFormat* format) {
  if (text == "jsonl")
    *format = ExportFormat::kJsonl;
  else if (text == "csv")
    *format = ExportFormat::kCsv;
  else
    return Status::invalid("unknown format '" + std::string(text) + "'; expected jsonl or csv", "--export");
  return Status::ok();
}

Status export_events(const Journal& journal, const ExportOptions& options, std::ostream& out, ExportReport* report) {
  if (Status s = check_range(options.filter.range); !s) return s;
  const auto start = std::chrono::steady_clock::now();
  uint64_t total = 0;
  if (Status s = count_events(journal, &total); !s) return s;
  Matcher matcher(options.filter);
  const std::vector<PartitionId> streams = journal.streams();
  std::vector<StreamCut> cuts;
  std::vector<Sequence> starts;
  for (PartitionId stream : streams) {
    cuts.emplace_back(options.filter.range, stream);
    // Filtering by party reads from the start, to link what earlier events created.
    starts.push_back(matcher.by_party() ? 1 : cuts.back().first_possible());
  }
  std::string chunk;
  if (options.format == ExportFormat::kCsv) chunk = csv_line(kCsvHeader);
  MergedLog log(journal, streams, starts);
  LogEvent entry;
  fb::EventT event;
  for (bool done = false;;) {
    if (Status s = log.next(&entry, &done); !s) return s;
    if (done) break;
    if (++report->scanned % kProgressEveryEvents == 0 && options.progress) options.progress(report->scanned, total);
    const size_t i = size_t(std::find(streams.begin(), streams.end(), entry.stream) - streams.begin());
    const Where where = cuts[i].classify(entry.sequence, entry.time_ms);
    if (where == Where::kAfter) {
      log.close_stream(entry.stream);
      continue;
    }
    event = fb::EventT();
    entry.event().UnPackTo(&event);
    if (!matcher.party(event) || where == Where::kBefore || !matcher.type(event)) continue;
    chunk += options.format == ExportFormat::kCsv ? csv_row(event) : jsonl_line(event);
    ++report->written;
    if (chunk.size() >= kOutputChunkBytes) {
      out << chunk;
      chunk.clear();
    }
  }
  out << chunk << std::flush;
  if (!out) return Status::io_error("writing the export failed");
  if (options.progress) options.progress(report->scanned, report->scanned);
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::ok();
}

Status export_store(const std::filesystem::path& store, const ExportOptions& options, std::ostream& out,
                    ExportReport* report) {
  Status s;
  RocksJournalOptions ro;
  ro.read_only = true;
  auto journal = open_rocks_journal(store, ro, &s);
  if (!s) return s;
  return export_events(*journal, options, out, report);
}

}  // namespace autoriza
