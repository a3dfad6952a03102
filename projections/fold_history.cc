// Affiliate history (IOMA "Mis prestaciones"): one entry per event that
// concerns an affiliate — authorizations (refused ones too), audit requests
// and verdicts, consumptions, annulments, token issues and token uses — as it
// happened; later events add entries, they never rewrite earlier ones.
// Tokens themselves never appear (only their kind and outcome).
#include "projections/fold.h"

namespace autoriza::projections {

namespace {

// What an entry holds besides the event's common fields; views into the
// event or into f.other_bytes.
struct EntryFields {
  bool present = false;
  fbp::HistoryKind kind = fbp::HistoryKind::AUTHORIZATION;
  std::string_view credential, provider, order, sap, reason, month;
  bool items = false;  // the result's items and totals
  bool token = false;  // the token the command tried
  int64_t performed_at_ms = 0;
  fb::Verdict verdict = fb::Verdict::AUTHORIZE;
  fb::TokenKind token_kind = fb::TokenKind::DYNAMIC;
  uint32_t count = 0;
};

bool tried_token(const fb::Event& event) {
  return event.token_use() && event.token_use()->outcome() != fb::TokenOutcome::NONE;
}

// The affiliate an annulment concerns: the owner of its target.
Status annulled_credential(std::string_view target, Fold& f, std::string_view* credential) {
  const fbp::SapRecord* sap = nullptr;
  Status s = read_record(f.batch, Cf::kAudits, sap_key(&f.key, target), &f.other_bytes, "audits", &sap);
  if (s) {
    *credential = as_view(sap->credential());
    return s;
  }
  if (s.kind() != StatusKind::kNotFound) return s;
  const fbp::OrderModel* order = nullptr;
  s = read_record(f.batch, Cf::kOrders, order_key(&f.key, target), &f.other_bytes, "order", &order);
  if (s) {
    *credential = as_view(order->credential());
    return s;
  }
  if (s.kind() != StatusKind::kNotFound) return s;
  const fbp::ConsumptionModel* consumption = nullptr;
  s = read_record(f.batch, Cf::kOrders, consumption_key(&f.key, target), &f.other_bytes, "consumption", &consumption);
  if (s) *credential = as_view(consumption->credential());
  return s;
}

// The entry builders of entry_of, one per kind of event; each leaves
// e->present false when the event adds no entry.

// AUTHORIZATION_DECIDED, AUDIT_OPENED: the request, its items and its token.
void authorization_entry(const fb::Event& event, EntryFields* e) {
  const fb::Result& r = *event.result();
  const fb::AuthorizeCmd& cmd = *event.command_as_AuthorizeCmd();
  e->kind = event.type() == fb::EventType::AUDIT_OPENED ? fbp::HistoryKind::AUDIT_REQUEST
                                                        : fbp::HistoryKind::AUTHORIZATION;
  e->credential = as_view(cmd.credential());
  e->provider = as_view(cmd.provider());
  e->order = as_view(r.order());
  e->sap = as_view(r.sap());
  e->items = e->token = e->present = true;
}

// CONSUMPTION_RECORDED: performed when the command says, else when it came.
void consumption_entry(const fb::Event& event, EntryFields* e) {
  const fb::ConsumeCmd& cmd = *event.command_as_ConsumeCmd();
  e->kind = fbp::HistoryKind::CONSUMPTION;
  e->credential = as_view(cmd.credential());
  e->provider = as_view(cmd.provider());
  e->order = as_view(cmd.order());
  e->performed_at_ms = cmd.performed_at_ms() ? *cmd.performed_at_ms() : event.command_time_ms();
  e->items = e->token = e->present = true;
}

// AUDIT_DECIDED, unless refused: the affiliate and provider come from the
// audit's record (the verdict names only the SAP).
Status audit_verdict_entry(const fb::Event& event, Fold& f, EntryFields* e) {
  const fb::Result& r = *event.result();
  if (r.status() == fb::Status::REFUSED) return Status::ok();
  const fb::AuditVerdictCmd& cmd = *event.command_as_AuditVerdictCmd();
  const fbp::SapRecord* sap = nullptr;
  if (Status s = read_record(f.batch, Cf::kAudits, sap_key(&f.key, as_view(cmd.sap())), &f.other_bytes, "audits", &sap);
      !s) {
    return s;
  }
  e->kind = fbp::HistoryKind::AUDIT_VERDICT;
  e->credential = as_view(sap->credential());
  e->provider = as_view(sap->provider());
  e->sap = as_view(cmd.sap());
  e->verdict = cmd.verdict();
  e->order = as_view(r.order());
  e->items = e->present = true;
  return Status::ok();
}

// ANNULMENT_RECORDED that annulled something: the owner of its first target.
Status annulment_entry(const fb::Event& event, Fold& f, EntryFields* e) {
  if (event.result()->status() != fb::Status::ANNULLED || !event.annulled() || event.annulled()->size() == 0) {
    return Status::ok();
  }
  const fb::AnnulCmd& cmd = *event.command_as_AnnulCmd();
  if (Status s = annulled_credential(as_view(event.annulled()->Get(0)), f, &e->credential); !s) return s;
  e->kind = fbp::HistoryKind::ANNULMENT;
  e->provider = as_view(cmd.provider());
  e->reason = as_view(cmd.reason());
  e->present = true;
  return Status::ok();
}

// ELIGIBILITY_CHECKED: only checks that tried a token.
void token_use_entry(const fb::Event& event, EntryFields* e) {
  if (!tried_token(event)) return;
  const fb::EligibilityCmd& cmd = *event.command_as_EligibilityCmd();
  e->kind = fbp::HistoryKind::TOKEN_USE;
  e->credential = as_view(cmd.credential());
  e->provider = as_view(cmd.provider());
  e->token = e->present = true;
}

// TOKENS_ISSUED: their kind, month and how many (never the tokens).
void token_issue_entry(const fb::Event& event, EntryFields* e) {
  const fb::Result& r = *event.result();
  const fb::TokenIssueCmd& cmd = *event.command_as_TokenIssueCmd();
  e->kind = fbp::HistoryKind::TOKEN_ISSUE;
  e->credential = as_view(cmd.credential());
  e->token_kind = cmd.kind();
  e->count = r.tokens() ? r.tokens()->size() : 0;
  e->month = as_view(cmd.month());
  e->present = true;
}

// The entry of an event and whose history it goes to; !present: none.
Status entry_of(const fb::Event& event, Fold& f, EntryFields* e) {
  switch (event.type()) {
    case fb::EventType::AUTHORIZATION_DECIDED:
    case fb::EventType::AUDIT_OPENED:
      authorization_entry(event, e);
      return Status::ok();
    case fb::EventType::CONSUMPTION_RECORDED:
      consumption_entry(event, e);
      return Status::ok();
    case fb::EventType::AUDIT_DECIDED:
      return audit_verdict_entry(event, f, e);
    case fb::EventType::ANNULMENT_RECORDED:
      return annulment_entry(event, f, e);
    case fb::EventType::ELIGIBILITY_CHECKED:
      token_use_entry(event, e);
      return Status::ok();
    case fb::EventType::TOKENS_ISSUED:
      token_issue_entry(event, e);
      return Status::ok();
    default:
      return Status::ok();
  }
}

fb::Command command_of(fb::EventType type) {
  switch (type) {
    case fb::EventType::AUTHORIZATION_DECIDED:
    case fb::EventType::AUDIT_OPENED:
      return fb::Command::AuthorizeCmd;
    case fb::EventType::CONSUMPTION_RECORDED:
      return fb::Command::ConsumeCmd;
    case fb::EventType::AUDIT_DECIDED:
      return fb::Command::AuditVerdictCmd;
    case fb::EventType::ANNULMENT_RECORDED:
      return fb::Command::AnnulCmd;
    case fb::EventType::ELIGIBILITY_CHECKED:
      return fb::Command::EligibilityCmd;
    case fb::EventType::TOKENS_ISSUED:
      return fb::Command::TokenIssueCmd;
    default:
      return fb::Command::NONE;
  }
}

std::string_view write_entry(const fb::Event& event, const EntryFields& e, Fold& f) {
  const fb::Result& r = *event.result();
  flatbuffers::FlatBufferBuilder& b = f.writer.start();
  const auto transaction = f.writer.string(as_view(r.transaction()));
  const auto credential = f.writer.string(e.credential);
  const auto channel = f.writer.string(as_view(event.channel()));
  const auto provider = f.writer.string(e.provider);
  const auto reasons = r.reasons() && r.reasons()->size() ? b.CreateVector(r.reasons()->data(), r.reasons()->size())
                                                          : 0;
  const auto order = f.writer.string(e.order);
  const auto sap = f.writer.string(e.sap);
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fbp::ModelItem>>> items = 0;
  flatbuffers::Offset<fb::Totals> totals = 0;
  if (e.items) {
    f.items.clear();
    if (r.items()) {
      f.items.resize(r.items()->size());
      for (flatbuffers::uoffset_t i = 0; i < r.items()->size(); ++i) draft_item(*r.items()->Get(i), &f.items[i]);
    }
    items = f.writer.items(f.items);
    if (r.totals()) {
      totals = fb::CreateTotals(b, r.totals()->total_cents(), r.totals()->copay_cents(), r.totals()->covered_cents());
    }
  }
  const bool token = e.token && tried_token(event);
  const auto annulled = e.kind == fbp::HistoryKind::ANNULMENT ? f.writer.strings(event.annulled()) : 0;
  const auto reason = f.writer.string(e.reason);
  const auto month = f.writer.string(e.month);
  return f.writer.finished(fbp::CreateHistoryEntry(
      b, e.kind, event.command_time_ms(), transaction, credential, channel, provider, r.status(), reasons, order, sap,
      items, totals, token ? event.token_use()->outcome() : fb::TokenOutcome::NONE,
      token ? event.token_use()->kind() : e.token_kind, e.performed_at_ms, e.verdict, annulled, reason, e.count,
      month));
}

}  // namespace

Status fold_history(const fb::Event& event, Fold& f) {
  if (event.type() == fb::EventType::REFERENCE_UPSERTED || !event.result()) return Status::ok();
  if (as_view(event.result()->transaction()).empty()) return Status::ok();  // validate mode: not recorded
  const fb::Command expected = command_of(event.type());
  if (expected == fb::Command::NONE) return Status::ok();
  if (event.command_type() != expected || !event.command()) {
    return Status::corruption("an event carries another command than its type's");
  }
  EntryFields e;
  if (Status s = entry_of(event, f, &e); !s) return s;
  if (!e.present || e.credential.empty()) return Status::ok();
  // The key goes to other_key: f.key is the scratch of the reads above.
  history_key(&f.other_key, e.credential, event.command_time_ms(), event.partition(), event.sequence());
  f.batch.append(Cf::kHistory, f.other_key, write_entry(event, e, f));
  return Status::ok();
}

}  // namespace autoriza::projections
