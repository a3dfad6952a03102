#include "engine/core/state.h"

#include <algorithm>

#include "engine/core/status.h"

namespace autoriza {

namespace {

// An order's (or SAP's) item as the answer decided it.
std::unique_ptr<fb::OrderItemT> order_item_of(const fb::ItemResultT& item) {
  auto oi = std::make_unique<fb::OrderItemT>();
  oi->index = item.index;
  oi->code = item.code;
  oi->description = item.description;
  oi->qty = item.qty;
  oi->tooth = item.tooth;
  oi->faces = item.faces;
  oi->status = item.status;
  oi->professional_cents = item.professional_cents;
  oi->expenses_cents = item.expenses_cents;
  oi->total_cents = item.total_cents;
  oi->copay_cents = item.copay_cents;
  return oi;
}

}  // namespace

PartitionState::PartitionState(PartitionId partition, IdempotencyIndex& idempotency)
    : partition_(partition), idempotency_(idempotency) {}

const fb::OrderStateT* PartitionState::order(std::string_view transaction) const {
  auto it = orders_.find(transaction);
  return it == orders_.end() ? nullptr : &it->second;
}

const fb::ConsumptionStateT* PartitionState::consumption(std::string_view transaction) const {
  auto it = consumptions_.find(transaction);
  return it == consumptions_.end() ? nullptr : &it->second;
}

const fb::SapStateT* PartitionState::sap(std::string_view number) const {
  auto it = saps_.find(number);
  return it == saps_.end() ? nullptr : &it->second;
}

const fb::TokenStateT* PartitionState::tokens(std::string_view credential) const {
  auto it = tokens_.find(credential);
  return it == tokens_.end() ? nullptr : &it->second;
}

const fb::AccountStateT* PartitionState::account(std::string_view credential) const {
  auto it = accounts_.find(credential);
  return it == accounts_.end() ? nullptr : &it->second;
}

const fb::ShareStateT* PartitionState::share(std::string_view link_key) const {
  auto it = shares_.find(link_key);
  return it == shares_.end() ? nullptr : &it->second;
}

const fb::SapStateT* PartitionState::sap_of_transaction(std::string_view transaction) const {
  auto it = sap_by_transaction_.find(transaction);
  return it == sap_by_transaction_.end() ? nullptr : sap(it->second);
}

bool PartitionState::frequency_blocks(std::string_view credential, std::string_view code,
                                      std::optional<int32_t> tooth, LocalDay today,
                                      int32_t frequency_days) const {
  auto it = frequency_.find(credential);
  if (it == frequency_.end()) return false;
  for (const FrequencyEntry& e : it->second) {
    if (e.code == code && e.tooth == tooth && days_between(e.day, today) < frequency_days) return true;
  }
  return false;
}

void PartitionState::apply(const fb::EventT& event, DirtySet& dirty) {
  AUTORIZA_CHECK(event.partition == partition_);
  AUTORIZA_CHECK(event.sequence == last_sequence_ + 1);
  last_sequence_ = event.sequence;
  switch (event.type) {
    case fb::EventType::AUTHORIZATION_DECIDED: apply_authorization(event, dirty); break;
    case fb::EventType::AUDIT_OPENED: apply_audit_opened(event, dirty); break;
    case fb::EventType::AUDIT_DECIDED: apply_audit_decided(event, dirty); break;
    case fb::EventType::AUDIT_ANSWERED: apply_audit_answered(event, dirty); break;
    case fb::EventType::LOGIN_RECORDED:
    case fb::EventType::ACCOUNT_UPDATED: apply_login(event, dirty); break;
    case fb::EventType::CONSUMPTION_RECORDED: apply_consumption(event, dirty); break;
    case fb::EventType::ANNULMENT_RECORDED: apply_annulment(event, dirty); break;
    case fb::EventType::ELIGIBILITY_CHECKED: break;
    case fb::EventType::TOKENS_ISSUED:
    case fb::EventType::CARD_ISSUED: apply_token_material(event, credential_of(event.command), dirty); break;
    case fb::EventType::REGISTRATION_STARTED:
    case fb::EventType::REGISTRATION_CONFIRMED:
    case fb::EventType::PASSWORD_RECOVERY_STARTED:
    case fb::EventType::PASSWORD_RESET: apply_account(event, dirty); break;
    case fb::EventType::SHARE_CREATED:
    case fb::EventType::SHARE_REVOKED: apply_share(event, dirty); break;
    case fb::EventType::REFERENCE_UPSERTED:
    case fb::EventType::UNKNOWN: AUTORIZA_CHECK(!"event type does not belong to a partition");
  }
  const bool token_command = event.type == fb::EventType::ELIGIBILITY_CHECKED ||
                             event.type == fb::EventType::AUTHORIZATION_DECIDED ||
                             event.type == fb::EventType::AUDIT_OPENED || event.type == fb::EventType::CONSUMPTION_RECORDED;
  if (token_command && event.token_use && event.token_use->outcome != fb::TokenOutcome::NONE) {
    apply_token_use(event, credential_of(event.command), dirty);
  }
  if (!event.request_id.empty()) {
    IdempotencyEntry entry;
    AUTORIZA_CHECK(event.request_digest.size() == entry.digest.size());
    std::copy(event.request_digest.begin(), event.request_digest.end(), entry.digest.begin());
    entry.position = {partition_, event.sequence};
    std::string key = idempotency_key(event.scope, event.request_id);
    idempotency_.insert(key, entry);
    dirty.idempotency.emplace_back(std::move(key), entry);
  }
}

void PartitionState::apply_authorization(const fb::EventT& event, DirtySet& dirty) {
  const fb::ResultT& result = *event.result;
  if (result.order.empty()) return;  // refused: nothing but the record
  const fb::AuthorizeCmdT& cmd = *event.command.AsAuthorizeCmd();
  fb::OrderStateT order;
  order.transaction = result.order;
  order.provider = cmd.provider;
  order.credential = cmd.credential;
  order.time_ms = event.command_time_ms;
  order.status = fb::Status::AUTHORIZED;
  for (const auto& item : result.items) {
    auto oi = order_item_of(*item);
    if (item->status == fb::Status::CONSUMED) oi->consumed_by = result.transaction;
    order.items.push_back(std::move(oi));
  }
  if (cmd.consume_now) {
    fb::ConsumptionStateT c;
    c.transaction = result.transaction;
    c.order = result.order;
    c.provider = cmd.provider;
    c.credential = cmd.credential;
    c.time_ms = event.command_time_ms;
    c.performed_at_ms = event.command_time_ms;
    for (const auto& oi : order.items) {
      if (oi->status == fb::Status::CONSUMED) c.items.push_back(oi->index);
    }
    order.consumptions.push_back(c.transaction);
    consumptions_[c.transaction] = std::move(c);
    dirty.consumptions.insert(result.transaction);
  }
  create_order(std::move(order), dirty);
  update_emitted(orders_[result.order], dirty);
}

void PartitionState::create_order(fb::OrderStateT order, DirtySet& dirty) {
  const std::string tx = order.transaction;
  AUTORIZA_CHECK(!orders_.contains(tx));
  index_frequency(order);
  orders_.emplace(tx, std::move(order));
  dirty.orders.insert(tx);
}

void PartitionState::apply_audit_opened(const fb::EventT& event, DirtySet& dirty) {
  const fb::ResultT& result = *event.result;
  if (result.sap.empty()) return;
  const fb::AuthorizeCmdT& cmd = *event.command.AsAuthorizeCmd();
  fb::SapStateT sap;
  sap.sap = result.sap;
  sap.transaction = result.transaction;
  sap.provider = cmd.provider;
  sap.credential = cmd.credential;
  sap.time_ms = event.command_time_ms;
  sap.status = fb::Status::PENDING;
  sap.diagnosis = cmd.diagnosis;
  sap.note = cmd.note;
  sap.diagnosis_type = cmd.diagnosis_type;
  sap.diagnosis_text = cmd.diagnosis_text;
  sap.documents = cmd.documents;
  sap.prescribed_on_day = cmd.prescribed_on_day;
  if (cmd.prescriber) sap.prescriber = std::make_unique<fb::PrescriberRefT>(*cmd.prescriber);
  for (const auto& item : result.items) sap.items.push_back(order_item_of(*item));
  sap_by_transaction_[sap.transaction] = sap.sap;
  dirty.saps.insert(sap.sap);
  saps_.emplace(result.sap, std::move(sap));
}

void PartitionState::apply_audit_decided(const fb::EventT& event, DirtySet& dirty) {
  const fb::AuditVerdictCmdT& cmd = *event.command.AsAuditVerdictCmd();
  const fb::ResultT& result = *event.result;
  if (result.status == fb::Status::REFUSED) return;
  auto message = std::make_unique<fb::SapMessageT>();
  message->auditor = cmd.auditor;
  message->verdict = cmd.verdict;
  message->message = cmd.message;
  fb::SapStateT& sap = add_sap_message(event, cmd.sap, std::move(message), dirty);
  if (cmd.verdict == fb::Verdict::REQUEST_DOCS) return;
  for (auto& item : sap.items) {
    if (item->status != fb::Status::NEEDS_AUDIT) continue;
    fb::Status decided = cmd.verdict == fb::Verdict::AUTHORIZE ? fb::Status::AUTHORIZED : fb::Status::REJECTED;
    if (cmd.verdict == fb::Verdict::PARTIAL) {
      for (const auto& d : cmd.items) {
        if (d->index == item->index && d->decision == fb::ItemDecisionKind::AUTHORIZE) decided = fb::Status::AUTHORIZED;
      }
    }
    item->status = decided;
  }
  if (result.order.empty()) return;
  sap.order = result.order;
  fb::OrderStateT order;
  order.transaction = result.order;
  order.provider = sap.provider;
  order.credential = sap.credential;
  order.time_ms = event.command_time_ms;
  order.status = fb::Status::AUTHORIZED;
  order.sap = sap.sap;
  for (const auto& item : sap.items) order.items.push_back(std::make_unique<fb::OrderItemT>(*item));
  create_order(std::move(order), dirty);
}

void PartitionState::apply_audit_answered(const fb::EventT& event, DirtySet& dirty) {
  const fb::ResultT& result = *event.result;
  if (result.status == fb::Status::REFUSED) return;
  const fb::AuditAnswerCmdT& cmd = *event.command.AsAuditAnswerCmd();
  auto message = std::make_unique<fb::SapMessageT>();
  message->provider = cmd.provider;
  message->message = cmd.message;
  message->documents = cmd.documents;
  add_sap_message(event, cmd.sap, std::move(message), dirty);
}

fb::SapStateT& PartitionState::add_sap_message(const fb::EventT& event, const std::string& sap_id,
                                               std::unique_ptr<fb::SapMessageT> message, DirtySet& dirty) {
  auto it = saps_.find(sap_id);
  AUTORIZA_CHECK(it != saps_.end());
  fb::SapStateT& sap = it->second;
  message->transaction = event.result->transaction;
  message->time_ms = event.command_time_ms;
  sap.messages.push_back(std::move(message));
  sap.status = event.result->status;
  dirty.saps.insert(sap.sap);
  return sap;
}

void PartitionState::mark_consumed(fb::OrderStateT& order, const std::vector<int32_t>& items, const std::string& by) {
  for (int32_t index : items) {
    auto it = std::find_if(order.items.begin(), order.items.end(), [&](auto& i) { return i->index == index; });
    AUTORIZA_CHECK(it != order.items.end());
    (*it)->status = by.empty() ? fb::Status::AUTHORIZED : fb::Status::CONSUMED;
    (*it)->consumed_by = by;
  }
}

void PartitionState::update_emitted(fb::OrderStateT& order, DirtySet& dirty) {
  if (order.status == fb::Status::ANNULLED) return;
  bool any_authorized = false;
  bool any_consumed = false;
  for (const auto& i : order.items) {
    any_authorized |= i->status == fb::Status::AUTHORIZED;
    any_consumed |= i->status == fb::Status::CONSUMED;
  }
  const fb::Status status = any_consumed && !any_authorized ? fb::Status::EMITTED : fb::Status::AUTHORIZED;
  order.status = status;
  if (!order.sap.empty()) {
    auto sit = saps_.find(order.sap);
    AUTORIZA_CHECK(sit != saps_.end());
    if (status == fb::Status::EMITTED) {
      sit->second.status = fb::Status::EMITTED;
    } else if (sit->second.status == fb::Status::EMITTED) {
      // Back from emitted: the verdict's own outcome.
      bool any_rejected = std::any_of(order.items.begin(), order.items.end(),
                                      [](auto& i) { return i->status == fb::Status::REJECTED; });
      sit->second.status = any_rejected ? fb::Status::PARTIALLY_AUTHORIZED : fb::Status::AUTHORIZED;
    }
    dirty.saps.insert(order.sap);
  }
}

void PartitionState::apply_consumption(const fb::EventT& event, DirtySet& dirty) {
  const fb::ResultT& result = *event.result;
  if (result.status != fb::Status::ACCEPTED) return;
  const fb::ConsumeCmdT& cmd = *event.command.AsConsumeCmd();
  auto it = orders_.find(cmd.order);
  AUTORIZA_CHECK(it != orders_.end());
  fb::ConsumptionStateT c;
  c.transaction = result.transaction;
  c.order = cmd.order;
  c.provider = cmd.provider;
  c.credential = cmd.credential;
  c.time_ms = event.command_time_ms;
  c.performed_at_ms = cmd.performed_at_ms ? *cmd.performed_at_ms : event.command_time_ms;
  c.items = cmd.items;
  c.part = cmd.part;
  mark_consumed(it->second, c.items, c.transaction);
  it->second.consumptions.push_back(c.transaction);
  update_emitted(it->second, dirty);
  dirty.orders.insert(cmd.order);
  dirty.consumptions.insert(c.transaction);
  consumptions_[c.transaction] = std::move(c);
}

void PartitionState::apply_annulment(const fb::EventT& event, DirtySet& dirty) {
  if (event.result->status != fb::Status::ANNULLED) return;
  for (const std::string& id : event.annulled) {
    if (auto sit = saps_.find(id); sit != saps_.end()) {
      sit->second.status = fb::Status::ANNULLED;
      dirty.saps.insert(id);
    } else if (auto oit = orders_.find(id); oit != orders_.end()) {
      oit->second.status = fb::Status::ANNULLED;
      unindex_frequency(oit->second);
      dirty.orders.insert(id);
      // Its consumptions fall with it (a consume_now one shares the order's id).
      for (const std::string& c : oit->second.consumptions) {
        auto cit = consumptions_.find(c);
        AUTORIZA_CHECK(cit != consumptions_.end());
        if (!cit->second.annulled) {
          cit->second.annulled = true;
          dirty.consumptions.insert(c);
        }
      }
    } else if (auto cit = consumptions_.find(id); cit != consumptions_.end()) {
      fb::ConsumptionStateT& c = cit->second;
      c.annulled = true;
      dirty.consumptions.insert(id);
      auto order = orders_.find(c.order);
      AUTORIZA_CHECK(order != orders_.end());
      if (order->second.status != fb::Status::ANNULLED) {
        mark_consumed(order->second, c.items, {});
        update_emitted(order->second, dirty);
        dirty.orders.insert(c.order);
      }
    } else {
      AUTORIZA_CHECK(!"annulment names an unknown record");
    }
  }
}

void PartitionState::index_frequency(const fb::OrderStateT& order) {
  if (order.status == fb::Status::ANNULLED) return;
  auto& entries = frequency_[order.credential];
  const LocalDay day = local_day(Millis{order.time_ms});
  for (const auto& item : order.items) {
    if (item_is_live(item->status)) entries.push_back({item->code, item->tooth, day, order.transaction});
  }
}

void PartitionState::unindex_frequency(const fb::OrderStateT& order) {
  auto it = frequency_.find(order.credential);
  if (it == frequency_.end()) return;
  std::erase_if(it->second, [&](const FrequencyEntry& e) { return e.order == order.transaction; });
}

void PartitionState::apply_token_material(const fb::EventT& event, const std::string& credential, DirtySet& dirty) {
  if (event.provisioned_secret.empty() && event.token_hashes.empty() && event.dynamic_counter < 0) return;
  fb::TokenStateT& t = tokens_[credential];
  t.credential = credential;
  if (event.dynamic_counter >= 0) {
    AUTORIZA_CHECK(event.dynamic_counter >= t.dynamic_count);
    std::erase_if(t.dynamic_issued, [&](auto& i) { return event.command_time_ms - i->issued_ms >= kDynamicKeptMs; });
    if (t.dynamic_issued.size() >= kDynamicIssuesKept) t.dynamic_issued.erase(t.dynamic_issued.begin());
    auto issue = std::make_unique<fb::DynamicIssueT>();
    issue->counter = event.dynamic_counter;
    issue->issued_ms = event.command_time_ms;
    t.dynamic_issued.push_back(std::move(issue));
    t.dynamic_count = event.dynamic_counter + 1;
  }
  if (!event.provisioned_secret.empty()) {
    AUTORIZA_CHECK(t.sealed_secret.empty());  // a secret is provisioned once
    t.sealed_secret = event.provisioned_secret;
  }
  for (const auto& h : event.token_hashes) {
    auto p = std::make_unique<fb::PreprintedTokenT>();
    p->hash = h->hash;
    p->key_id = h->key_id;
    p->month = h->month;
    t.preprinted.push_back(std::move(p));
  }
  dirty.tokens.insert(credential);
}

void PartitionState::apply_token_use(const fb::EventT& event, const std::string& credential, DirtySet& dirty) {
  const fb::TokenUseT& use = *event.token_use;
  fb::TokenStateT& t = tokens_[credential];
  t.credential = credential;
  const int64_t now_ms = event.command_time_ms;
  std::erase_if(t.failures_ms, [&](int64_t f) { return now_ms - f >= kFailureWindowMs; });
  if (use.outcome == fb::TokenOutcome::FAILED || use.outcome == fb::TokenOutcome::THROTTLED) {
    t.failures_ms.push_back(now_ms);
  } else if (use.outcome == fb::TokenOutcome::USED && use.kind == fb::TokenKind::DYNAMIC && use.counter >= 0) {
    auto it = std::find_if(t.dynamic_issued.begin(), t.dynamic_issued.end(),
                           [&](auto& i) { return i->counter == use.counter; });
    AUTORIZA_CHECK(it != t.dynamic_issued.end());
    (*it)->used = true;
  } else if (use.outcome == fb::TokenOutcome::USED && use.kind == fb::TokenKind::DYNAMIC) {  // an event before counters
    const int64_t oldest = now_ms / 1000 / kTokenStepSeconds - kUsedStepsKept;
    std::erase_if(t.used_steps, [&](int64_t s) { return s < oldest; });
    t.used_steps.push_back(use.step);
  } else if (use.outcome == fb::TokenOutcome::USED) {
    auto it = std::find_if(t.preprinted.begin(), t.preprinted.end(), [&](auto& p) { return p->hash == use.hash; });
    AUTORIZA_CHECK(it != t.preprinted.end());
    (*it)->used = true;
  }
  dirty.tokens.insert(credential);
}

void PartitionState::restore(fb::TokenStateT tokens) {
  std::string key = tokens.credential;
  tokens_.emplace(std::move(key), std::move(tokens));
}

void PartitionState::restore(fb::AccountStateT account) {
  std::string key = account.document;  // accounts are found by document, as apply_account keeps them
  accounts_.emplace(std::move(key), std::move(account));
}

void PartitionState::restore(std::string link_key, fb::ShareStateT share) {
  shares_.emplace(std::move(link_key), std::move(share));
}

std::string hex_of(const std::vector<uint8_t>& bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

void PartitionState::restore(fb::OrderStateT order) {
  index_frequency(order);
  std::string tx = order.transaction;
  orders_.emplace(std::move(tx), std::move(order));
}

void PartitionState::restore(fb::ConsumptionStateT consumption) {
  std::string tx = consumption.transaction;
  consumptions_.emplace(std::move(tx), std::move(consumption));
}

void PartitionState::restore(fb::SapStateT sap) {
  sap_by_transaction_[sap.transaction] = sap.sap;
  std::string number = sap.sap;
  saps_.emplace(std::move(number), std::move(sap));
}

}  // namespace autoriza
