#include "engine/engine.h"

#include <spdlog/spdlog.h>

#include "engine/core/command_fields.h"
#include "engine/records.h"
#include "engine/state_store.h"

namespace autoriza {

namespace {

constexpr size_t kReferenceCommitMax = 10'000;
constexpr const char* kPartitionsKey = "partitions";

Status check_partition_count(Journal& journal, PartitionId partitions) {
  std::string stored;
  Status s = journal.read_state(StateTable::kMeta, kPartitionsKey, &stored);
  if (s.kind() == StatusKind::kNotFound) {
    CommitBatch b;
    b.writes.push_back({StateTable::kMeta, kPartitionsKey, std::to_string(partitions)});
    return journal.commit(b);
  }
  if (!s) return s;
  if (stored != std::to_string(partitions)) {
    return Status::invalid("this store was created with " + stored + " partitions, not " + std::to_string(partitions) +
                               " (ids embed the partition; replay into a new store to change it)",
                           "--partitions");
  }
  return Status::ok();
}

}  // namespace

std::unique_ptr<Engine> Engine::open(const EngineOptions& options, Status* status) {
  if (options.partitions < 1 || options.partitions > kPartitionsMax) {
    *status = Status::invalid("partitions must be 1.." + std::to_string(kPartitionsMax), "--partitions");
    return nullptr;
  }
  std::unique_ptr<Engine> engine(new Engine());
  engine->options_ = options;
  engine->listener_ = options.on_commit;
  RocksJournalOptions jo;
  jo.sync = options.sync;
  engine->journal_ = open_rocks_journal(options.store, jo, status);
  if (!*status) return nullptr;
  if (options.wrap_journal) engine->journal_ = options.wrap_journal(std::move(engine->journal_));
  *status = check_partition_count(*engine->journal_, options.partitions);
  if (*status) *status = engine->recover();
  if (!*status) return nullptr;
  engine->watch_store();
  return engine;
}

Status Engine::recover() {
  auto reference = std::make_shared<Reference>();
  if (Status s = restore_reference(*journal_, reference.get()); !s) return s;
  if (Status s = read_stream_meta(*journal_, kReferenceStream, &reference_sequence_); !s) return s;
  eras_ = std::make_shared<const std::vector<ReferenceEra>>(std::vector<ReferenceEra>{{Millis{0}, reference}});
  reference_ = std::move(reference);
  std::vector<std::unique_ptr<PartitionState>> states;
  for (PartitionId p = 0; p < options_.partitions; ++p) {
    states.push_back(std::make_unique<PartitionState>(p, idempotency_));
  }
  if (Status s = restore_partitions(*journal_, states, idempotency_); !s) return s;
  for (auto& state : states) {
    partitions_.push_back(std::make_unique<Partition>(std::move(state), idempotency_, *journal_, [this] { return this->reference_eras(); },
                                                      options_.batch_max, options_.queue_max, options_.partitions,
                                                      options_.keys, [this] { notify_commit(); }));
    partitions_.back()->start();
  }
  return Status::ok();
}

void Engine::watch_store() {
  // Asks every partition whose commit failed to reload its state; true when none is failed.
  auto recover = [this] {
    bool healthy = true;
    for (auto& p : partitions_) {
      if (!p->failed()) continue;
      p->reload_after_failure();
      healthy = false;
    }
    return healthy;
  };
  watch_ = std::make_unique<StoreWatch>(options_.store, *journal_, options_.disk_reserve_bytes, recover);
  watch_->check();
  if (options_.store_check_period.count() > 0) watch_->start(options_.store_check_period);
}

Engine::~Engine() {
  watch_.reset();
  partitions_.clear();
}

ReferencePtr Engine::reference() const {
  std::lock_guard lock(reference_mutex_);
  return reference_;
}

ReferenceEras Engine::reference_eras() const {
  std::lock_guard lock(reference_mutex_);
  return eras_;
}

PartitionId Engine::route(const fb::CommandUnion& command) const {
  const PartitionId n = options_.partitions;
  auto by_id = [n](std::optional<EventPosition> pos, std::string_view fallback) {
    return pos && pos->partition < n ? pos->partition : partition_of_credential(fallback, n);
  };
  switch (command.type) {
    case fb::Command::EligibilityCmd: return partition_of_credential(command.AsEligibilityCmd()->credential, n);
    case fb::Command::AuthorizeCmd: return partition_of_credential(command.AsAuthorizeCmd()->credential, n);
    case fb::Command::TokenIssueCmd: return partition_of_credential(command.AsTokenIssueCmd()->credential, n);
    case fb::Command::ConsumeCmd: {
      const auto& c = *command.AsConsumeCmd();
      return by_id(parse_transaction_id(c.order), c.credential);
    }
    case fb::Command::AnnulCmd: {
      const std::string& id = command.AsAnnulCmd()->transaction;
      auto pos = parse_transaction_id(id);
      return by_id(pos ? pos : parse_sap_number(id), id);
    }
    case fb::Command::AuditVerdictCmd:
    case fb::Command::AuditAnswerCmd: {
      const std::string& sap = command.type == fb::Command::AuditVerdictCmd ? command.AsAuditVerdictCmd()->sap
                                                                             : command.AsAuditAnswerCmd()->sap;
      return by_id(parse_sap_number(sap), sap);
    }
    case fb::Command::CardIssueCmd:
    case fb::Command::ShareCreateCmd:
    case fb::Command::ShareRevokeCmd: return partition_of_credential(credential_of(command), n);
    case fb::Command::RegisterCmd:
    case fb::Command::RegisterConfirmCmd:
    case fb::Command::PasswordRecoverCmd:
    case fb::Command::AccountLoginCmd:
    case fb::Command::AccountUpdateCmd:
    case fb::Command::PasswordResetCmd: return partition_of_credential(document_of(command), n);  // accounts by document
    case fb::Command::NONE: break;
  }
  return 0;
}

void Engine::submit(fb::CommandUnion command, Millis now, Callback done, std::string channel, int64_t command_offset) {
  const PartitionId p = route(command);
  if (sink_) {
    // Kafka gateway: the index is the mirror's, folded from every partition,
    // so a request id already used with another body is refused here even
    // when its first use went to a partition another validator owns. A retry
    // with the same body goes on: its partition's owner answers it.
    if (const std::string scope = idempotency_scope(command); !scope.empty()) {
      const auto entry = idempotency_.find(idempotency_key(scope, request_id_of(command)));
      if (entry && entry->digest != command_digest(command)) {
        return done({reused_request_id(request_id_of(command)), nullptr, false});
      }
    }
    return sink_(p, Submission{std::move(command), now, std::move(done), std::move(channel), command_offset, {}});
  }
  // A full disk: refused before anything is decided (reads go on).
  if (!watch_->writable()) return done({watch_->refuse(), nullptr, false});
  Submission s{std::move(command), now, std::move(done), std::move(channel), command_offset, {}};
  partitions_[p]->submit(std::move(s));
}

void Engine::apply_event(std::string event_bytes, Callback done, int64_t source_offset) {
  std::vector<uint64_t> storage;
  const fb::Event* event = verified_root<fb::Event>(event_bytes, &storage);
  if (!event) {
    return done({Status::corruption("event bytes do not verify (" + std::to_string(event_bytes.size()) + " bytes)"),
                 nullptr, false});
  }
  const PartitionId p = event->partition();
  if (p >= partitions_.size()) {
    return done({Status::corruption("event of partition " + std::to_string(p) + " but this store has " +
                                    std::to_string(partitions_.size())),
                 nullptr, false});
  }
  Submission s;
  s.done = std::move(done);
  s.event = std::move(event_bytes);
  s.source_offset = source_offset;
  partitions_[p]->submit(std::move(s));
}

Outcome Engine::execute(fb::CommandUnion command, Millis now) {
  std::promise<Outcome> promise;
  auto future = promise.get_future();
  submit(std::move(command), now, [&promise](Outcome o) { promise.set_value(std::move(o)); });
  return future.get();
}

Status Engine::load_reference(const std::vector<fb::ReferenceRecordUnion>& records, ReferenceLoadStats* stats,
                              Millis loaded_at, Millis in_force_from) {
  std::lock_guard load_lock(load_mutex_);
  if (!watch_->writable()) return watch_->refuse();
  ReferencePtr current = reference();
  auto next = std::make_shared<Reference>(*current);
  CommitBatch batch;
  Sequence sequence = reference_sequence_;
  auto flush = [&]() -> Status {
    if (batch.events.empty()) return Status::ok();
    Status s = journal_->commit(batch);
    batch.clear();
    return s;
  };
  for (const auto& record : records) {
    if (next->contains_equal(record)) {
      ++stats->unchanged;
      continue;
    }
    const bool known = next->contains_key(record);
    ++(known ? stats->updated : stats->added);
    next->upsert(record, loaded_at.value);
    fb::EventT event;
    event.type = fb::EventType::REFERENCE_UPSERTED;
    event.partition = kReferenceStream;
    event.sequence = ++sequence;
    event.command_time_ms = loaded_at.value;
    event.reference = record;
    batch.events.push_back({kReferenceStream, sequence, pack_event(event)});
    write_reference(record, loaded_at.value, sequence, batch);
    if (batch.events.size() >= kReferenceCommitMax) {
      if (Status s = flush(); !s) return s;
    }
  }
  if (Status s = flush(); !s) return s;
  std::lock_guard lock(reference_mutex_);
  auto eras = std::make_shared<std::vector<ReferenceEra>>();
  if (in_force_from > Millis{0}) {
    // Eras from in_force_from on are superseded: next holds their data too
    // (and, when none is earlier, serves every earlier time as the first).
    for (const ReferenceEra& era : *eras_) {
      if (era.from < in_force_from) eras->push_back(era);
    }
  }
  eras->push_back({in_force_from, next});
  while (eras->size() > kReferenceErasMax) eras->erase(eras->begin());  // the oldest times take the next era
  eras_ = std::move(eras);
  reference_ = std::move(next);
  reference_sequence_ = sequence;
  return Status::ok();
}

Status Engine::account(std::string_view document, fb::AccountStateT* out) const {
  std::string value;
  if (Status s = journal_->read_state(StateTable::kAccounts, std::string(document), &value); !s) return s;
  return unpack_record(value, out);
}

Status Engine::active_shares(std::string_view credential, Millis now, std::vector<Share>* out) const {
  out->clear();
  std::string value;
  fb::TokenStateT tokens;
  Status s = journal_->read_state(StateTable::kTokens, std::string(credential), &value);
  if (s.kind() == StatusKind::kNotFound) return Status::ok();
  if (s) s = unpack_record(value, &tokens);
  for (size_t i = 0; s && i < tokens.share_keys.size(); ++i) {
    Share share{tokens.share_keys[i], {}};
    s = journal_->read_state(StateTable::kShares, share.key, &value);
    if (s) s = unpack_record(value, &share.state);
    if (s && !share.state.revoked && share.state.expires_ms > now.value) out->push_back(std::move(share));
  }
  return s;
}

Status Engine::transaction(std::string_view id, TransactionView* out) const {
  auto pos = parse_transaction_id(id);
  const bool is_sap = !pos && (pos = parse_sap_number(id));
  if (!pos || pos->partition >= options_.partitions) return Status::not_found("no transaction " + std::string(id));
  std::string bytes;
  if (Status s = journal_->read_event(pos->partition, pos->sequence, &bytes); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::not_found("no transaction " + std::string(id)) : s;
  }
  if (Status s = unpack_event(bytes, &out->event); !s) return s;
  const fb::ResultT* r = out->event.result.get();
  if (!r || (is_sap ? r->sap != id : r->transaction != id)) return Status::not_found("no transaction " + std::string(id));
  std::string value;
  auto read = [&](StateTable t, const std::string& key, auto& slot) -> Status {
    if (key.empty()) return Status::ok();
    Status s = journal_->read_state(t, key, &value);
    if (s.kind() == StatusKind::kNotFound) return Status::ok();
    if (!s) return s;
    slot = std::make_unique<typename std::remove_reference_t<decltype(slot)>::element_type>();
    return unpack_record(value, slot.get());
  };
  Status s = read(StateTable::kOrders, r->transaction, out->order);
  if (s) s = read(StateTable::kConsumptions, r->transaction, out->consumption);
  if (s) s = read(StateTable::kSaps, r->sap, out->sap);
  return s;
}

std::vector<PartitionStats> Engine::stats() const {
  std::vector<PartitionStats> out;
  for (auto& p : partitions_) out.push_back(p->stats());
  return out;
}

std::vector<PartitionMetrics> Engine::metrics() const {
  std::vector<PartitionMetrics> out;
  out.reserve(partitions_.size());
  for (auto& p : partitions_) out.push_back(p->metrics());
  return out;
}

size_t Engine::queue_depth() const {
  size_t n = 0;
  for (auto& p : partitions_) n += p->queue_depth();
  return n;
}

}  // namespace autoriza
