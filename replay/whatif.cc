#include "replay/whatif.h"

#include <cassert>
#include <chrono>
#include <unordered_set>

#include "adapters/codec/error_codes.h"
#include "replay/event_text.h"
#include "replay/log_reader.h"
#include "engine/core/reference_loader.h"
#include "replay/replay.h"
#include "engine/core/validator.h"

namespace autoriza {

namespace {

bool token_given(const fb::CommandUnion& command) {
  if (auto* c = command.AsEligibilityCmd()) return !c->token.empty();
  if (auto* c = command.AsAuthorizeCmd()) return !c->token.empty();
  if (auto* c = command.AsConsumeCmd()) return !c->token.empty();
  return false;
}

// Commands whose decision depends only on reference data and state in clear.
bool decidable(const fb::CommandUnion& command) {
  switch (command.type) {
    case fb::Command::EligibilityCmd:
    case fb::Command::AuthorizeCmd:
    case fb::Command::ConsumeCmd:
    case fb::Command::AnnulCmd:
    case fb::Command::AuditVerdictCmd:
    case fb::Command::AuditAnswerCmd:
      return true;
    default:
      return false;
  }
}

int64_t total_of(const fb::ResultT* r) {
  return r && r->totals ? r->totals->total_cents : 0;
}
int64_t copay_of(const fb::ResultT* r) {
  return r && r->totals ? r->totals->copay_cents : 0;
}

class WhatIf {
 public:
  WhatIf(const WhatIfOptions& options, WhatIfReport& report, PartitionId partitions)
      : options_(options), report_(report), partitions_(partitions) {
    for (PartitionId p = 0; p < partitions; ++p) states_.push_back(std::make_unique<PartitionState>(p, index_));
  }

  // One event of the log, in log order.
  Status visit(const LogEvent& entry, Where where) {
    fb::EventT event;
    entry.event().UnPackTo(&event);
    // --data is laid over the reference as the period's first command sees
    // it (reference events up to then apply as recorded).
    if (where == Where::kInside && !data_loaded_ && entry.stream != kReferenceStream) {
      if (Status s = load_data(event.command_time_ms); !s) return s;
    }
    if (entry.stream == kReferenceStream) {
      visit_reference(event, where);
      return Status::ok();
    }
    if (event.partition >= partitions_) {
      return Status::corruption("event " + std::to_string(event.partition) + "/" + std::to_string(event.sequence) +
                                " is in no partition of this store");
    }
    PartitionState& state = *states_[event.partition];
    AUTORIZA_CHECK(event.sequence == state.last_sequence() + 1);  // every event takes its sequence
    if (where == Where::kBefore) {
      ++report_.events_before;
      apply(state, event);
    } else if (decidable(event.command) && !token_given(event.command)) {
      decide_again(state, event);
    } else {
      keep(state, event);
    }
    return Status::ok();
  }

  // At the end: --data is loaded even when the period holds no event.
  Status finish() { return data_loaded_ ? Status::ok() : load_data(0); }

 private:
  void apply(PartitionState& state, const fb::EventT& event) {
    state.apply(event, dirty_);
    dirty_.clear();  // nothing is written: the what-if world lives in memory
    assert(state.last_sequence() == event.sequence);
  }

  // A sequence the what-if world does not use (the command is now an
  // error, or kept but no longer fits): later ids stay those of the log.
  static void skip(PartitionState& state, Sequence sequence) {
    AUTORIZA_CHECK(sequence == state.last_sequence() + 1);
    state.restore_last_sequence(sequence);
  }

  void visit_reference(const fb::EventT& event, Where where) {
    if (where == Where::kInside) ++report_.reference_in_period;
    if (data_loaded_ && data_keys_.contains(Reference::record_key(event.reference))) {
      if (where == Where::kInside) ++report_.reference_overridden;
      return;
    }
    reference_.upsert(event.reference, event.command_time_ms);
  }

  Status load_data(int64_t at_ms) {
    data_loaded_ = true;
    // Any of the five files: one that is absent changes nothing. A present
    // file is validated whole, like `autoriza load` does.
    ReferenceLoad load = load_reference_dir(options_.data, reference_);
    std::string why;
    size_t present = 0;
    for (const FileReport& f : load.files) {
      std::error_code ec;
      if (!std::filesystem::exists(options_.data / f.file, ec)) continue;
      ++present;
      for (const std::string& e : f.errors) {
        if (!why.empty()) why += "; ";
        why += e;
      }
    }
    if (!why.empty()) {
      return Status::invalid("the changed reference data does not load: " + why, "--data " + options_.data.string());
    }
    if (present == 0) {
      return Status::invalid(
          "no reference file (plans.csv, practices.csv, providers.csv, prescribers.csv, "
          "affiliates.csv) in " +
              options_.data.string(),
          "--data");
    }
    for (const auto& record : load.records) {
      const std::string key = Reference::record_key(record);
      data_keys_.insert(key);
      if (reference_.contains_equal(record)) {
        ++report_.data.unchanged;
        continue;
      }
      ++(reference_.contains_key(record) ? report_.data.updated : report_.data.added);
      if (report_.data_changed.size() < kWhatIfDataChangesKept) report_.data_changed.push_back(key);
      reference_.upsert(record, at_ms);
    }
    return Status::ok();
  }

  void keep(PartitionState& state, const fb::EventT& event) {
    ++(token_given(event.command) ? report_.kept_token : report_.kept_sealed);
    if (!fits(state, event)) {
      // Listed with the changes: the consumption does not happen in the
      // what-if world (it would most likely be refused).
      ++report_.dropped;
      skip(state, event.sequence);
      const fb::ResultT* old = event.result.get();
      report_.total_delta_cents -= total_of(old);
      report_.copay_delta_cents -= copay_of(old);
      record(event, old, nullptr, "DROPPED",
             "given a token, not decided again; order " + event.command.AsConsumeCmd()->order +
                 " no longer fits in the what-if world");
      return;
    }
    apply(state, event);
  }

  // Whether a kept event can apply to the what-if world: a consume needs
  // its order live with every consumed item authorized.
  static bool fits(const PartitionState& state, const fb::EventT& event) {
    if (event.type != fb::EventType::CONSUMPTION_RECORDED || !event.result ||
        event.result->status != fb::Status::ACCEPTED) {
      return true;
    }
    const fb::ConsumeCmdT& cmd = *event.command.AsConsumeCmd();
    const fb::OrderStateT* order = state.order(cmd.order);
    if (!order || order->status == fb::Status::ANNULLED) return false;
    for (int32_t index : cmd.items) {
      auto it = std::find_if(order->items.begin(), order->items.end(), [&](auto& i) { return i->index == index; });
      if (it == order->items.end() || (*it)->status != fb::Status::AUTHORIZED) return false;
    }
    return true;
  }

  void decide_again(PartitionState& state, const fb::EventT& recorded) {
    ++report_.examined;
    const DecideContext ctx{
        reference_,  state,  Millis{recorded.command_time_ms}, recorded.partition, recorded.sequence,
        partitions_, nullptr};
    Decision d = decide(ctx, recorded.command);
    const fb::ResultT* old = recorded.result.get();
    if (!d.status || !d.record) {
      // Now an error (e.g. a PARTIAL verdict naming an item that is no
      // longer pending): no event, its sequence stays unused.
      skip(state, recorded.sequence);
      report_.total_delta_cents -= total_of(old);
      report_.copay_delta_cents -= copay_of(old);
      const std::string what = d.status ? "NOT_RECORDED" : error_code_name(d.status.kind());
      changed(recorded, old, nullptr, what, d.status ? "" : d.status.message());
      return;
    }
    fb::EventT& event = d.event;
    event.partition = recorded.partition;
    event.sequence = recorded.sequence;
    event.scope = recorded.scope;
    event.request_id = recorded.request_id;
    event.request_digest = recorded.request_digest;
    event.channel = recorded.channel;
    event.command = recorded.command;
    apply(state, event);
    const fb::ResultT* now = event.result.get();
    AUTORIZA_CHECK(now != nullptr);
    report_.total_delta_cents += total_of(now) - total_of(old);
    report_.copay_delta_cents += copay_of(now) - copay_of(old);
    std::string details = old ? diff_answers(*old, *now) : "recorded without an answer";
    if (!details.empty()) changed(recorded, old, now, fb::EnumNameStatus(now->status), details);
  }

  void changed(const fb::EventT& recorded, const fb::ResultT* old, const fb::ResultT* now, std::string new_status,
               std::string details) {
    ++report_.changed;
    ++report_.changed_by_command[command_name(recorded.command.type)];
    record(recorded, old, now, std::move(new_status), std::move(details));
  }

  // A row of the changes (a changed decision or a dropped kept command).
  void record(const fb::EventT& recorded, const fb::ResultT* old, const fb::ResultT* now, std::string new_status,
              std::string details) {
    WhatIfChange c;
    c.stream = recorded.partition;
    c.sequence = recorded.sequence;
    c.transaction =
        old && !old->transaction.empty() ? old->transaction : transaction_id(recorded.partition, recorded.sequence);
    c.time_ms = recorded.command_time_ms;
    c.command = command_name(recorded.command.type);
    c.provider = provider_of(recorded.command);
    c.credential = credential_of_event(recorded);
    c.old_status = old ? fb::EnumNameStatus(old->status) : "";
    c.new_status = std::move(new_status);
    c.old_total_cents = total_of(old);
    c.new_total_cents = total_of(now);
    c.old_copay_cents = copay_of(old);
    c.new_copay_cents = copay_of(now);
    c.details = std::move(details);
    if (options_.on_change) options_.on_change(c);
    if (report_.changes.size() < kWhatIfChangesKept) report_.changes.push_back(std::move(c));
  }

  const WhatIfOptions& options_;
  WhatIfReport& report_;
  const PartitionId partitions_;
  Reference reference_;
  IdempotencyIndex index_;
  std::vector<std::unique_ptr<PartitionState>> states_;
  DirtySet dirty_;
  bool data_loaded_ = false;
  std::unordered_set<std::string> data_keys_;
};

}  // namespace

Status what_if(const Journal& journal, const WhatIfOptions& options, WhatIfReport* report) {
  if (Status s = check_range(options.range); !s) return s;
  std::error_code ec;
  if (!std::filesystem::is_directory(options.data, ec)) {
    return Status::invalid("no such folder " + options.data.string(), "--data");
  }
  const auto start = std::chrono::steady_clock::now();
  PartitionId partitions = 1;
  if (Status s = read_partition_count(journal, &partitions); !s) return s;
  uint64_t total = 0;
  if (Status s = count_events(journal, &total); !s) return s;
  const std::vector<PartitionId> streams = journal.streams();
  std::vector<StreamCut> cuts;
  for (PartitionId stream : streams) cuts.emplace_back(options.range, stream);
  // Every stream from its first event: the period's state needs the prefix.
  MergedLog log(journal, streams, std::vector<Sequence>(streams.size(), 1));
  WhatIf world(options, *report, partitions);
  LogEvent entry;
  uint64_t scanned = 0;
  for (bool done = false;;) {
    if (Status s = log.next(&entry, &done); !s) return s;
    if (done) break;
    if (++scanned % kProgressEveryEvents == 0 && options.progress) options.progress(scanned, total);
    const size_t i = size_t(std::find(streams.begin(), streams.end(), entry.stream) - streams.begin());
    const Where where = cuts[i].classify(entry.sequence, entry.time_ms);
    if (where == Where::kAfter) {
      log.close_stream(entry.stream);
      continue;
    }
    if (Status s = world.visit(entry, where); !s) return s;
  }
  if (Status s = world.finish(); !s) return s;
  if (options.progress) options.progress(scanned, scanned);
  report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::ok();
}

Status what_if(const std::filesystem::path& store, const WhatIfOptions& options, WhatIfReport* report) {
  Status s;
  RocksJournalOptions ro;
  ro.read_only = true;
  auto journal = open_rocks_journal(store, ro, &s);
  if (!s) return s;
  return what_if(*journal, options, report);
}

}  // namespace autoriza
