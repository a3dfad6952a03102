#include "bench/projections/log_builder.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "bench/loadgen/driver.h"
#include "engine/engine.h"
#include "bench/loadgen/padron.h"

namespace autoriza::bench {

namespace {


nlohmann::json describe(const LogOptions& o) {
  return {{"affiliates", o.affiliates}, {"providers", o.providers}, {"prescribers", o.prescribers},
          {"seed", o.seed},             {"start", o.start},         {"step_ms", o.step_ms},
          {"events", o.events}};
}

std::filesystem::path manifest(const std::filesystem::path& dir) { return dir / "bench-log.json"; }

// The manifest of an earlier run in dir, when it built this same log.
bool matching_log(const LogOptions& o, LogReport* report) {
  std::ifstream in(manifest(o.dir));
  if (!in) return false;
  const nlohmann::json m = nlohmann::json::parse(in, nullptr, false);
  if (m.is_discarded() || !m.is_object()) return false;
  nlohmann::json wanted = describe(o);
  for (const auto& [key, value] : wanted.items()) {
    if (!m.contains(key) || m[key] != value) return false;
  }
  report->reused = true;
  report->reference_events = m.value("reference_events", uint64_t(0));
  report->commands = m.value("commands", uint64_t(0));
  return true;
}

Status write_manifest(const LogOptions& o, const LogReport& r) {
  nlohmann::json m = describe(o);
  m["reference_events"] = r.reference_events;
  m["commands"] = r.commands;
  m["events_counted"] = r.events;
  std::ofstream out(manifest(o.dir), std::ios::trunc);
  out << m.dump(2) << "\n";
  return out ? Status::ok() : Status::io_error("cannot write " + manifest(o.dir).string());
}

}  // namespace

Status open_loaded_engine(const std::filesystem::path& store, bool sync, const Padron& padron, std::ostream& progress,
                          std::unique_ptr<Engine>* engine, LoadReport* load) {
  EngineOptions eo;
  eo.store = store;
  eo.sync = sync;
  eo.queue_max = std::max(eo.queue_max, kWindow);
  Status s;
  *engine = Engine::open(eo, &s);
  if (!*engine) return s;
  spdlog::set_level(spdlog::level::warn);
  return load_padron(**engine, padron, kLoadChunkRecords, progress, load);
}

std::filesystem::path log_store(const std::filesystem::path& dir) { return dir / "log"; }

uint64_t count_events(const Journal& log) {
  std::string bytes;
  uint64_t total = 0;
  for (PartitionId stream : log.streams()) {
    auto exists = [&](Sequence s) { return log.read_event(stream, s, &bytes).is_ok(); };
    Sequence lo = 0, step = 1;  // lo exists (or is 0)
    while (step < (Sequence(1) << 40) && exists(lo + step)) {
      lo += step;
      step *= 2;
    }
    Sequence hi = lo + step;  // missing
    while (hi - lo > 1) {
      const Sequence mid = lo + (hi - lo) / 2;
      (exists(mid) ? lo : hi) = mid;
    }
    total += lo;
  }
  return total;
}

Status build_log(const LogOptions& o, std::ostream& progress, LogReport* report) {
  AUTORIZA_CHECK(report != nullptr && o.step_ms >= 0);
  *report = LogReport{};
  const auto start = parse_instant(o.start);
  if (!start) return Status::invalid("start must be ISO-8601 with an offset, got '" + o.start + "'", "start");
  if (o.events == 0 || o.events > kLogEventsMax) {
    return Status::invalid("events must be 1.." + std::to_string(kLogEventsMax), "events");
  }
  if (matching_log(o, report)) {
    Status s;
    auto log = open_rocks_journal(log_store(o.dir), RocksJournalOptions{.sync = false, .read_only = true}, &s);
    if (!log) return s;
    report->events = count_events(*log);
    progress << "log: reusing " << log_store(o.dir).string() << " (" << report->events << " events)\n";
    return Status::ok();
  }
  std::error_code ec;
  std::filesystem::remove_all(o.dir, ec);
  std::filesystem::create_directories(o.dir, ec);
  if (ec) return Status::io_error("cannot create " + o.dir.string() + ": " + ec.message());

  const auto began = std::chrono::steady_clock::now();
  Padron padron;
  PadronOptions po{o.affiliates, o.providers, o.prescribers, o.seed, local_day(*start)};
  if (Status s = make_padron(o.data, po, &padron); !s) return s;
  const uint64_t records = padron.base.size() + padron.fixed.size() + o.affiliates;
  if (o.events <= records) {
    return Status::invalid(std::to_string(o.events) + " events leave no room for commands after the padron's " +
                               std::to_string(records) + " records: ask for more events or fewer affiliates",
                           "events");
  }
  std::unique_ptr<Engine> engine;
  LoadReport load;
  // Not synced: the log is a fixture, durability is not what this benchmark measures.
  Status s = open_loaded_engine(log_store(o.dir), false, padron, progress, &engine, &load);
  if (!s) return s;
  report->reference_events = count_events(engine->journal());

  MixOptions mo;
  mo.seed = o.seed;
  mo.request_prefix = "p" + std::to_string(o.seed);
  mo.start = *start;
  mo.step_ms = o.step_ms;
  Mix mix(padron, mo);
  InprocessOptions io;
  io.commands = size_t(o.events - report->reference_events);
  io.window = kWindow;
  const RunReport run = run_inprocess(*engine, mix, io, progress);
  report->commands = run.commands;
  if (run.tally.failures() > 0) {
    progress << "log: " << run.tally.failures() << " commands failed (no event); the log is that much shorter\n";
  }
  report->events = count_events(engine->journal());
  engine.reset();
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  return write_manifest(o, *report);
}

}  // namespace autoriza::bench
